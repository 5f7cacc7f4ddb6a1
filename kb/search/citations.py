"""Citation statements in search: their index documents and the ``cited:`` filter.

A statement's document holds the citing sentence (text and snippet), the citing paper's
title, year and authors (as every document of a paper does), its stance (``kind``: the
editor's, else the suggested one) and what it cites (``cited``): ``paper:<id>`` when the
reference is resolved to a library paper, ``work:<id>`` for its cited work. The cited
target's kind, id and title are stored for the result line.

``cited:12`` finds the statements citing library paper 12, ``cited:w7`` (or ``cited:work:7``)
those citing cited work 7. A statement is shown to whoever may read its paper (the paper's
status, as for passages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kb.models import CitationStatement
from kb.search.index import IndexDoc

_WORK = re.compile(r"^(?:w|work:)(\d+)$", re.IGNORECASE)
_PAPER = re.compile(r"^(?:p|paper:)?(\d+)$", re.IGNORECASE)


def citations_in_papers(paper_ids: Iterable[int]):
    """The statements of these papers' current revisions."""
    return CitationStatement.objects.filter(citing_paper__in=list(paper_ids))


def cited_values(value: str) -> list[str]:
    """What a ``cited:`` value means in the index; [] when it names nothing."""
    value = value.strip()
    if match := _WORK.match(value):
        return [f"work:{int(match.group(1))}"]
    if match := _PAPER.match(value):
        return [f"paper:{int(match.group(1))}"]
    return []


def _target(statement: CitationStatement) -> tuple[list[str], str, str]:
    """(filter values, the target shown as "paper:<id>"/"work:<id>", its title)."""
    reference = statement.reference
    raw = reference.raw[:300] if reference is not None else ""
    link = getattr(reference, "link", None) if reference is not None else None
    if link is None:
        return [], "", raw
    values, shown, label = [], "", ""
    if link.resolved:
        values.append(f"paper:{link.paper_id}")
        shown, label = f"paper:{link.paper_id}", str(link.paper.display_title)
    if link.cited_work_id:
        values.append(f"work:{link.cited_work_id}")
        if not shown:
            shown, label = f"work:{link.cited_work_id}", str(link.cited_work) or raw
    return values, shown, label or raw


def citation_documents(queryset) -> Iterator[IndexDoc]:
    """Documents for the statements in ``queryset`` that sit in a current passage."""
    from kb.search.documents import _paper_infos

    statements = list(
        queryset.filter(passage__revision__is_current=True)
        .select_related("passage", "reference__link__paper", "reference__link__cited_work")
        .order_by("pk")
    )
    infos = _paper_infos(s.citing_paper_id for s in statements)
    for statement in statements:
        info = infos[statement.citing_paper_id]
        sentence = statement.passage.text[statement.start : statement.end] or statement.passage.text
        values, shown, label = _target(statement)
        yield IndexDoc(
            key=f"citation:{statement.pk}",
            type="citation",
            obj_id=statement.pk,
            text=sentence,
            body=sentence,
            paper_id=statement.citing_paper_id,
            year=info.year,
            kind=statement.current_stance,
            order=statement.passage.order,
            status=info.status,
            title=info.title,
            label=info.label,
            author_ids=info.author_ids,
            cited=values,
            cited_target=shown,
            cited_label=label,
        )


def cited_target(urls, doc: dict) -> dict[str, str]:
    """A citation hit's cited target, from its stored fields: its title and its page (a library
    paper or a cited work). ``urls`` reverses a URL name for an id (``selectors._Urls``)."""
    target = doc.get("cited_target")
    if not target:
        return {}
    kind, _sep, pk = target[0].decode().partition(":")
    if not pk.isdigit():
        return {}
    name = "papers:paper-detail" if kind == "paper" else "kb:cited-work-detail"
    return {"cited_url": urls(name, int(pk)), "cited_label": doc["cited_label"][0].decode()}
