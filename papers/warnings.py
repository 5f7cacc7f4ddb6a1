"""Ingest warnings in the reader's language.

The pure pipeline (``papers.ingest``) records each warning as an English sentence
(``ParsedPaper.warnings``, for the command line and other tools) and as a code with
parameters (``warning_codes``). The site shows the message of the code from the table
below (Chinese msgids, English in the catalog). A stored sentence without its code (a
paper saved before the codes existed) is matched back to its code; one that matches no
code is shown as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from papers.ingest.pipeline import warning_from_text

MESSAGES = {
    "no_title": _("未识别出标题（可能缺少首页）：请手动填写标题。"),
    "no_cn_title": _("只识别出英文标题，没有中文标题：请检查首页。"),
    "no_authors": _("未识别出作者：请手动添加。"),
    "unlinked_notes": _("%(n)s 个脚注标记在其所在页上没有对应的脚注文字。"),
    "no_references": _("有 %(n)s 处编号引用，但没有参考文献列表。"),
    "raw_references": _("%(n)s 条参考文献无法解析，按原文保留。"),
}


def _message(code: str, params: dict) -> str | None:
    message = MESSAGES.get(code)
    if message is None:
        return None
    return str(message) % params if params else str(message)


def warning_messages(*, warnings: list[str], codes: list[dict] | None = None) -> list[str]:
    """The warnings to show, translated where their code is known (``codes`` pairs with ``warnings``)."""
    if codes and len(codes) == len(warnings):
        pairs = [
            (text, code.get("code", ""), code.get("params") or {})
            for text, code in zip(warnings, codes, strict=True)
        ]
    else:
        pairs = []
        for text in warnings:
            info = warning_from_text(text)
            pairs.append((text, info.code, info.params) if info else (text, "", {}))
    return [_message(code, params) or text for text, code, params in pairs]
