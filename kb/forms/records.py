"""The record import form: a file or pasted text (one of them), bounded in size."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from papers.services.records import ERROR_TOO_LARGE, MAX_BYTES

ERROR_NOTHING = _("请选择题录文件或粘贴题录文本。")
ERROR_BOTH = _("请只选择文件或只粘贴文本，不要同时提供。")
ACCEPT = ".txt,.ris,.bib,.json,.net,.enw,.rdf,text/plain,application/json"


class RecordImportForm(forms.Form):
    file = forms.FileField(
        label=_("题录文件"),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "知网导出的 EndNote、NoteExpress、RefWorks 文件，或 RIS、BibTeX、CSL-JSON、Zotero RDF；最大 5 MB。"
        ),
    )
    text = forms.CharField(
        label=_("或粘贴题录文本"),
        required=False,
        strip=False,
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get("text") or ""
        if upload and text.strip():
            raise ValidationError(ERROR_BOTH, code="both")
        if upload:
            if upload.size > MAX_BYTES:
                raise ValidationError(ERROR_TOO_LARGE % {"mb": MAX_BYTES // 2**20}, code="size")
            data["data"], data["name"] = upload.read(), upload.name[:200]
        elif text.strip():
            data["data"], data["name"] = text.encode("utf-8"), ""
        else:
            raise ValidationError(ERROR_NOTHING, code="required")
        return data
