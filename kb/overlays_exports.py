"""Reader overlay of the notes export: a link in the bar above the paper to download the paper's
annotations and claims as Markdown (``kb:paper-notes-export``). Registered in ``KbConfig.ready``;
it adds no spans and runs no query."""

from __future__ import annotations

from papers.reader import Overlay

TOOLS_TEMPLATE = "kb/_reader_notes_export.html"


def notes_export_overlay(*, paper, passages, user) -> Overlay:
    return Overlay(tool_templates=[TOOLS_TEMPLATE])
