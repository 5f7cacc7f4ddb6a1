"""Footnotes and references in the reader: continuous numbers, placement and back links.

The ingest keeps footnote markers as printed (``①`` restarting on every page), and a
footnote passage sits in the passage order where it was printed (the foot of its page).
The reader numbers the footnotes continuously through the paper (``Footnote.order`` + 1),
shows each footnote at the end of its section instead of pooling them at the end, and
gives every footnote and reference entry links back to each marker that cites it
(``↩ a b c``, as Wikipedia does). Pure functions over rows already fetched: no queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from kb.lib.spans import Span

# More back links than this on one note are summarised ("… and 12 more"): a page stays readable.
MAX_BACKLINKS = 26


@dataclass(frozen=True)
class BackLink:
    label: str  # a, b, c …
    target: str  # the marker's element id (cite-<pk>)


def entry(passage, name: str):
    """The passage's ``footnote_entry`` or ``reference_entry`` (select_related), or None."""
    try:
        return getattr(passage, name)
    except ObjectDoesNotExist:
        return None


def note_number(passage) -> int | None:
    """The continuous number of the footnote printed in ``passage`` (1, 2, 3 … through the paper)."""
    footnote = entry(passage, "footnote_entry")
    return footnote.order + 1 if footnote is not None else None


def citation_target(citation):
    """The passage a citation marker points at: its footnote's, else its reference's (or None)."""
    if citation.footnote and citation.footnote.passage:
        return citation.footnote.passage
    if citation.reference and citation.reference.passage:
        return citation.reference.passage
    return None


def citation_spans(passage) -> list[Span]:
    """Links of the citation markers of ``passage`` (its ``citations`` prefetched)."""
    spans = []
    for citation in passage.citations.all():
        target = citation_target(citation)
        if target is None:
            spans.append(Span(citation.start, citation.end, "span", (("class", "cite"),)))
            continue
        number = citation.footnote.order + 1 if citation.footnote and citation.footnote.passage else None
        attrs: tuple[tuple[str, str], ...] = (
            ("class", "cite cite--note" if number else "cite cite--ref"),
            ("href", f"#{target.anchor}"),
            ("id", f"cite-{citation.pk}"),
            ("data-popover", target.anchor),
        )
        if number:
            attrs += (("data-note", str(number)),)
        spans.append(Span(citation.start, citation.end, "a", attrs))
    return spans


def note_marker_span(passage) -> list[Span]:
    """The printed marker opening a footnote's text, to show its continuous number instead."""
    footnote = entry(passage, "footnote_entry")
    marker = footnote.marker.strip() if footnote is not None else ""
    if not marker or not passage.text.lstrip().startswith(marker):
        return []
    start = len(passage.text) - len(passage.text.lstrip())
    attrs = (("class", "note-marker"), ("data-note", str(footnote.order + 1)), ("title", marker))
    return [Span(start, start + len(marker), "span", attrs)]


def _label(i: int) -> str:
    return chr(ord("a") + i) if i < MAX_BACKLINKS else str(i + 1)


def backlinks(passages) -> dict[int, list[BackLink]]:
    """Target passage id -> links back to every marker citing it, in reading order."""
    found: dict[int, list[str]] = {}
    for p in passages:  # passages in order, so the links are too
        for citation in p.citations.all():
            target = citation_target(citation)
            if target is not None:
                found.setdefault(target.pk, []).append(f"cite-{citation.pk}")
    return {
        pk: [BackLink(label=_label(i), target=t) for i, t in enumerate(targets[:MAX_BACKLINKS])]
        for pk, targets in found.items()
    }


def place_notes(body: list, notes: list) -> list:
    """Attach each footnote to the last body item of its section; the notes left over are returned.

    A footnote was printed at the foot of its page, inside the section running there: it
    goes to the end of that section. A footnote of a part with no body passage (rare) stays
    in the pooled list at the end of the paper.
    """
    last_of_section: dict[int | None, object] = {}
    for item in body:
        last_of_section[item.passage.section_id] = item
    rest = []
    for note in notes:
        owner = last_of_section.get(note.passage.section_id)
        if owner is None:
            rest.append(note)
        else:
            owner.notes_after.append(note)
    return rest
