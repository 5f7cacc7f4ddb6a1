"""Reads of the citation network: a paper's resolved references, the statements of the
library papers citing it, the works cited together with it, and a cited work's page.

Each read runs a fixed number of queries (no per-row query) and shows only papers the user
may see; the lists are bounded (``CITED_BY_LIMIT``, ``COCITED_LIMIT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, When
from django.http import Http404
from django.utils.html import format_html

from kb.lib import roles
from kb.models import CitationStance, CitationStatement, CitedWork, LinkStatus, ReferenceLink
from papers.models import Paper

CITED_BY_LIMIT = 200  # statements shown on one page
COCITED_LIMIT = 10
CONTEXT_CHARS = 160  # passage text shown on either side of a citing sentence
RESOLVED = (LinkStatus.SUGGESTED, LinkStatus.CONFIRMED)


@dataclass
class CitingPaper:
    paper: Paper
    links: list[ReferenceLink] = field(default_factory=list)
    statements: list[CitationStatement] = field(default_factory=list)


@dataclass
class CoCited:
    count: int
    paper: Paper | None = None
    work: CitedWork | None = None


@dataclass
class Network:
    references: list[ReferenceLink]
    cited_by: list[CitingPaper]
    cocited: list[CoCited]
    is_editor: bool
    stances: list = field(default_factory=lambda: CitationStance.choices)

    def __bool__(self) -> bool:
        return bool(self.references or self.cited_by)


def statement_html(statement: CitationStatement) -> str:
    """The passage around the citing sentence, escaped, with the sentence in ``<mark>``."""
    text = statement.passage.text
    before = text[max(0, statement.start - CONTEXT_CHARS) : statement.start]
    after = text[statement.end : statement.end + CONTEXT_CHARS]
    return format_html(
        '{}{}<mark class="citing-sentence citing-sentence--{}">{}</mark>{}{}',
        "…" if statement.start > CONTEXT_CHARS else "",
        before,
        statement.current_stance,
        text[statement.start : statement.end],
        after,
        "…" if statement.end + CONTEXT_CHARS < len(text) else "",
    )


def _group_citing(links, statements) -> list[CitingPaper]:
    citing: dict[int, CitingPaper] = {}
    for link in links:
        citing.setdefault(link.citing_paper_id, CitingPaper(paper=link.citing_paper)).links.append(link)
    for statement in statements:
        statement.html = statement_html(statement)
        entry = citing.get(statement.citing_paper_id)
        if entry is not None:
            entry.statements.append(statement)
    return sorted(citing.values(), key=lambda c: (-(c.paper.year or 0), c.paper.title, c.paper.pk))


def _citing_links(user, **where):
    visible = Paper.objects.visible_to(user)
    return (
        ReferenceLink.objects.filter(reference__revision__is_current=True, citing_paper__in=visible, **where)
        .select_related("citing_paper", "reference")
        .order_by("citing_paper_id", "reference__order")
    )


def _statements_of(link_ids: list[int]):
    return (
        CitationStatement.objects.filter(reference__link__in=link_ids)
        .select_related("passage", "citation", "confirmed_by")
        .order_by("citing_paper_id", "passage__order", "start")[:CITED_BY_LIMIT]
    )


def cited_target(visible=None) -> Case:
    """A current reference's target as one integer, to group by: the library paper it resolves
    to (suggested or confirmed, and in ``visible`` when given), positive; else its cited work,
    negative; else null. The citation graph, the co-cited list and a concept's most-cited works
    count alike."""
    resolved = Q(status__in=RESOLVED, paper__isnull=False)
    if visible is not None:
        resolved &= Q(paper__in=visible.values("pk"))
    return Case(
        When(resolved, then=F("paper_id")),
        When(cited_work__isnull=False, then=-F("cited_work_id")),
        default=None,
        output_field=IntegerField(),
    )


def _most_cited(*, citing, user, limit: int, exclude_paper: int | None = None) -> list[CoCited]:
    """The works the papers ``citing`` (ids, or a query of ids) cite most: library papers and
    cited works (``cited_target``), with the number of those papers citing each, most first.
    One grouping query, and one read of titles per kind found."""
    visible = Paper.objects.visible_to(user)
    links = (
        ReferenceLink.objects.filter(citing_paper_id__in=citing, reference__revision__is_current=True)
        .annotate(target=cited_target(visible))
        .filter(target__isnull=False)
    )
    if exclude_paper is not None:
        links = links.exclude(target=exclude_paper)
    rows = list(
        links.values("target")
        .annotate(n=Count("citing_paper", distinct=True))
        .order_by("-n", "target")[:limit]
    )
    paper_ids = [r["target"] for r in rows if r["target"] > 0]
    work_ids = [-r["target"] for r in rows if r["target"] < 0]
    found = visible.in_bulk(paper_ids) if paper_ids else {}
    works = CitedWork.objects.in_bulk(work_ids) if work_ids else {}
    items = []
    for row in rows:
        key = row["target"]
        if key > 0 and key in found:
            items.append(CoCited(count=row["n"], paper=found[key]))
        elif key < 0 and -key in works:
            items.append(CoCited(count=row["n"], work=works[-key]))
    return items


def paper_citation_network(*, paper: Paper, user) -> Network:
    """The reader's three sections: references, cited by in this library, co-cited with."""
    references = list(
        ReferenceLink.objects.filter(citing_paper=paper, reference__revision__is_current=True)
        .select_related("reference", "paper", "cited_work")
        .order_by("reference__order")
    )
    linked = {link.paper_id for link in references if link.paper_id}
    if linked:
        visible = set(Paper.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
        for link in references:
            if link.paper_id and link.paper_id not in visible:
                link.paper = None  # never reveal a paper the reader may not see
    links = list(_citing_links(user, paper=paper, status__in=RESOLVED)[:CITED_BY_LIMIT])
    statements = list(_statements_of([link.pk for link in links])) if links else []
    cited_by = _group_citing(links, statements)
    citing_ids = [c.paper.pk for c in cited_by]
    cocited = (
        _most_cited(citing=citing_ids, user=user, limit=COCITED_LIMIT, exclude_paper=paper.pk)
        if citing_ids
        else []
    )
    return Network(references=references, cited_by=cited_by, cocited=cocited, is_editor=roles.is_editor(user))


def cited_work_detail(*, pk: int, user) -> tuple[CitedWork, list[CitingPaper], Paper | None]:
    """A cited work, the library papers whose references name it (with their statements), and
    the library paper it is, if the user may see it."""
    work = CitedWork.objects.filter(pk=pk).first()
    if work is None or not roles.can_read(user):
        raise Http404("no such cited work")
    links = list(_citing_links(user, cited_work=work)[:CITED_BY_LIMIT])
    statements = list(_statements_of([link.pk for link in links])) if links else []
    same = Paper.objects.visible_to(user).filter(pk=work.paper_id).first() if work.paper_id else None
    return work, _group_citing(links, statements), same


def link_get(*, pk: int) -> ReferenceLink:
    link = ReferenceLink.objects.filter(pk=pk).select_related("reference").first()
    if link is None:
        raise Http404("no such link")
    return link


def statement_get(*, pk: int) -> CitationStatement:
    statement = CitationStatement.objects.filter(pk=pk).first()
    if statement is None:
        raise Http404("no such statement")
    return statement


CONCEPT_PAPER_CAP = 500  # the papers mentioning a concept most that are read for its most-cited works


def concept_cited_works(*, concept_id: int, user, limit: int = COCITED_LIMIT) -> list[CoCited]:
    """The works most cited by the papers that mention the concept (the ``CONCEPT_PAPER_CAP``
    mentioning it most, from the stored counts): library papers and cited works, with the number
    of those papers citing each. One grouping query (a resolved reference counts for its paper,
    any other for its cited work), and one read of titles per kind found."""
    from kb.models.aggregates import PaperConceptCount

    # Read first, then passed as ids: as a subquery the planner joins every reference link.
    papers = list(
        PaperConceptCount.objects.filter(concept_id=concept_id, paper__in=Paper.objects.visible_to(user))
        .order_by("-mentions", "paper_id")
        .values_list("paper_id", flat=True)[:CONCEPT_PAPER_CAP]
    )
    return _most_cited(citing=papers, user=user, limit=limit) if papers else []
