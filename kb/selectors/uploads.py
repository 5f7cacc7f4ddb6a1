"""Reads for the admin upload pages: the upload list, one upload, and its preview."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from kb.models import Upload
from papers.models import Paper, PassageKind, SourceFile
from papers.services.ingest import record_match, title_matches
from papers.titles import normalise_title
from papers.warnings import warning_messages

FIRST_PASSAGES = 12
LIST_LIMIT = 100
KIND_LABELS = dict(PassageKind.choices)


def upload_list(*, batch: str | None = None):
    uploads = Upload.objects.select_related("uploaded_by", "paper").defer("preview")
    if batch:
        uploads = uploads.filter(batch=batch)
    return uploads[:LIST_LIMIT]


def upload_get(*, pk: int, with_preview: bool = True) -> Upload:
    uploads = Upload.objects.select_related("uploaded_by", "paper")
    if not with_preview:
        uploads = uploads.defer("preview")
    return get_object_or_404(uploads, pk=pk)


def upload_metadata(*, upload: Upload) -> dict:
    """The metadata as it will be published: the parsed values with the admin's corrections on top."""
    parsed = upload.preview or {}
    corrections = upload.corrections or {}
    authors = [a.get("name", "") for a in parsed.get("authors", [])]
    meta = {
        "title": parsed.get("title", ""),
        "subtitle": parsed.get("subtitle", ""),
        "title_en": parsed.get("title_en", ""),
        "authors": authors,
        "year": parsed.get("year"),
        "venue": parsed.get("venue", ""),
        "doi": parsed.get("doi", ""),
        "keywords": list(parsed.get("keywords", [])),
    }
    meta.update({key: value for key, value in corrections.items() if key in meta})
    return meta


def _existing_paper(meta: dict) -> tuple[Paper | None, str]:
    """A paper the upload would revise, by the same rule as the save (DOI, or title and first author)."""
    if meta["doi"]:
        paper = Paper.objects.filter(doi__iexact=meta["doi"]).first()
        if paper:
            return paper, "doi"
    key = normalise_title(meta["title"] or meta["title_en"] or "")
    if not key:
        return None, ""
    first_author = meta["authors"][0] if meta["authors"] else None
    for paper in title_matches(key).prefetch_related("authorships__author")[:20]:
        names = [a.author.name for a in paper.authorships.all()]
        if first_author is None or (names and names[0] == first_author):
            return paper, "title"
    return None, ""


def _record_for(upload: Upload, meta: dict) -> Paper | None:
    """The metadata-only paper (imported record) this upload's text will be attached to: the one
    the admin picked, else one matching the metadata (``papers.services.ingest.record_match``)."""
    picked = (upload.corrections or {}).get("record")
    if picked:
        return Paper.objects.filter(pk=picked, revisions__isnull=True).first()
    if meta["doi"] and Paper.objects.filter(doi__iexact=meta["doi"], revisions__isnull=True).exists():
        return Paper.objects.filter(doi__iexact=meta["doi"]).first()
    first = meta["authors"][0] if meta["authors"] else ""
    return record_match(titles=[meta["title"], meta["title_en"]], first_author=first)


def upload_preview(*, upload: Upload) -> dict:
    """Everything the preview shows: metadata, outline, first passages, counts, warnings, matches."""
    parsed = upload.preview
    if not parsed:
        return {"preview": None}
    meta = upload_metadata(upload=upload)
    sections = parsed.get("sections", [])
    passages = parsed.get("passages", [])
    # Front matter (title, author and date lines) is already in the metadata; show where the text begins.
    body = [p for p in passages if p.get("kind") != "metadata"] or passages
    first = []
    for passage in body[:FIRST_PASSAGES]:
        index = passage.get("section")
        section = sections[index] if isinstance(index, int) and 0 <= index < len(sections) else None
        first.append(
            {
                **passage,
                "kind_label": KIND_LABELS.get(passage.get("kind"), passage.get("kind")),
                "section_heading": section.get("heading", "") if section else "",
            }
        )
    duplicate = (
        SourceFile.objects.filter(sha256=upload.sha256, paper__isnull=False).select_related("paper").first()
    )
    existing, matched_by = (None, "") if duplicate else _existing_paper(meta)
    record = _record_for(upload, meta) if not duplicate else None
    # As the save decides: the record the admin picked, else a match with a text first.
    if record is not None and (
        existing is None or existing.pk == record.pk or "record" in upload.corrections
    ):
        existing, matched_by = record, "record"
    authors_by_name = {a.get("name"): a for a in parsed.get("authors", [])}
    return {
        "preview": parsed,
        "meta": meta,
        "authors": [authors_by_name.get(name) or {"name": name} for name in meta["authors"]],
        "sections": sections,
        "first_passages": first,
        "counts": {
            "passages": len(passages),
            "sections": len(sections),
            "footnotes": len(parsed.get("footnotes", [])),
            "references": len(parsed.get("references", [])),
            "citations": len(parsed.get("citations", [])),
        },
        "warnings": warning_messages(warnings=parsed.get("warnings", []), codes=parsed.get("warning_codes")),
        "duplicate_of": duplicate.paper if duplicate else None,
        "revision_of": existing,
        "matched_by": matched_by,
        "needs_review": bool(parsed.get("warnings")) or not (meta["title"]),
    }
