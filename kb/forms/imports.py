"""The form of every "upload or paste → preview → apply" import: a file or pasted text.

``UploadOrPasteForm`` takes exactly one of them, at most ``stage.max_bytes`` (the
``papers.staging.Stage`` the upload will wait in), and leaves the bytes in
``cleaned_data["data"]`` and the file name ("" for pasted text) in ``cleaned_data["name"]``.
A subclass names its stage, labels, accepted types and the message for an empty form; the
page renders it with ``templates/kb/_upload_fields.html``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kb.services.concepts.skos_apply import THESAURUS_UPLOADS
from kb.services.w3c_import import ANNOTATION_UPLOADS
from papers.services.records import RECORD_UPLOADS
from papers.staging import Stage

ERROR_BOTH = _("请只选择文件或只粘贴文本，不要同时提供。")
MAX_NAME = 200  # characters of the file name kept for the preview


class UploadOrPasteForm(forms.Form):
    stage: Stage
    file_label = _("文件")
    help_text: Any = ""  # a lazy message
    accept = ""
    text_name = "text"  # the pasted text's field (and POST) name
    text_label = _("或粘贴文本")
    text_rows = 8
    error_nothing = _("请选择文件或粘贴文本。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = forms.FileField(
            label=self.file_label,
            required=False,
            allow_empty_file=True,
            widget=forms.ClearableFileInput(attrs={"accept": self.accept}),
            help_text=self.help_text,
        )
        self.fields[self.text_name] = forms.CharField(
            label=self.text_label,
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": self.text_rows, "spellcheck": "false"}),
        )

    @classmethod
    def from_request(cls, request):
        """Bound to a POST (with its files), unbound otherwise."""
        return cls(request.POST, request.FILES) if request.method == "POST" else cls()

    @property
    def paste(self):
        """The pasted-text field, whatever its name (for the template)."""
        return self[self.text_name]

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), data.get(self.text_name) or ""
        if upload and text.strip():
            raise ValidationError(ERROR_BOTH, code="both")
        if upload:
            self.stage.check_size(upload.size)
            data["data"], data["name"] = upload.read(), upload.name[:MAX_NAME]
        elif text.strip():
            data["data"], data["name"] = text.encode("utf-8"), ""
            self.stage.check_size(len(data["data"]))
        else:
            raise ValidationError(self.error_nothing, code="required")
        return data


class RecordImportForm(UploadOrPasteForm):
    stage = RECORD_UPLOADS
    file_label = _("题录文件")
    help_text = _(
        "知网导出的 EndNote、NoteExpress、RefWorks 文件，或 RIS、BibTeX、CSL-JSON、Zotero RDF；最大 5 MB。"
    )
    accept = ".txt,.ris,.bib,.json,.net,.enw,.rdf,text/plain,application/json"
    text_label = _("或粘贴题录文本")
    error_nothing = _("请选择题录文件或粘贴题录文本。")


class ThesaurusImportForm(UploadOrPasteForm):
    stage = THESAURUS_UPLOADS
    file_label = _("SKOS 词表文件")
    help_text = _(
        "JSON-LD 格式的 SKOS 概念体系（本站导出的 skos.jsonld，或 VocBench、Skosmos 等工具的导出）；最大 5 MB。"
    )
    accept = ".jsonld,.json,application/ld+json,application/json"
    text_label = _("或粘贴 JSON-LD 文本")
    error_nothing = _("请选择词表文件或粘贴 JSON-LD 文本。")


class AnnotationImportForm(UploadOrPasteForm):
    stage = ANNOTATION_UPLOADS
    file_label = _("JSON 文件")
    accept = ".json,.jsonld,application/json,application/ld+json"
    text_name = "json"
    text_label = _("或粘贴 JSON")
    text_rows = 6
    error_nothing = _("请选择 JSON 文件或粘贴 JSON。")
