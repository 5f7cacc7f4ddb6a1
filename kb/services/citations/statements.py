"""Citation statements: the sentence in which a paper cites, with the stance it suggests.

``statements_build(paper=...)`` runs after a paper is saved (``kb.services.followups``): each
citation marker of the current revision (``[1]``, author–year, a footnote's ①) gets its
sentence or clause as offsets into the passage (``kb.lib.citestance.sentence_around``), and
the stance its cue phrases suggest, the cue kept as the reason. A stance an editor confirmed
on the same sentence of an older revision carries over. Three queries, whatever the library.

``statement_set_stance`` is the one write path of editors: confirm the suggestion or correct
it; every change keeps a version (history) and reindexes the statement (search shows stances).
New statements are indexed with their paper (the caller enqueues it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from kb.lib import roles
from kb.lib.citestance import sentence_around, suggest_stance
from kb.models import CitationStance, CitationStatement
from kb.search.service import search_index_enqueue
from kb.services.versions import version_take
from papers.models import Citation, Paper

STANCE_UNKNOWN = _("未知的引用立场。")
STANCE_NOT_EDITOR = _("只有编辑可以确认或更正引用立场。")


def statements_build(*, paper: Paper) -> int:
    """Statements for the current revision's citations that have none yet; returns how many."""
    citations = list(
        Citation.objects.filter(
            passage__paper=paper, passage__revision__is_current=True, statement__isnull=True
        )
        .select_related("passage")
        .order_by("passage__order", "start")
    )
    if not citations:
        return 0
    confirmed = {
        (s.passage.text[s.start : s.end], s.citation.marker): s
        for s in CitationStatement.objects.filter(citing_paper=paper)
        .exclude(stance="")
        .select_related("passage", "citation")
    }
    new = []
    for citation in citations:
        text = citation.passage.text
        start, end = sentence_around(text, citation.start, citation.end)
        stance, cue = suggest_stance(text[start:end])
        statement = CitationStatement(
            citation=citation,
            passage=citation.passage,
            citing_paper=paper,
            reference_id=citation.reference_id,
            start=start,
            end=end,
            suggested_stance=stance,
            cue=cue,
        )
        old = confirmed.get((text[start:end], citation.marker))
        if old is not None:
            statement.stance, statement.confirmed_by_id = old.stance, old.confirmed_by_id
        new.append(statement)
    bulk_create_with_history(new, CitationStatement)
    return len(new)


@transaction.atomic
def statement_set_stance(
    *, statement: CitationStatement, stance: str, user, version: int | None = None
) -> CitationStatement:
    """An editor confirms (the suggested stance) or corrects the stance of a statement."""
    if not roles.is_editor(user):
        raise PermissionDenied(STANCE_NOT_EDITOR)
    if stance not in CitationStance.values:
        raise ValidationError(STANCE_UNKNOWN)
    version_take(statement, version=version)
    statement.stance = stance
    statement.confirmed_by = user
    statement._history_user = user
    statement.full_clean()
    statement.save()
    search_index_enqueue(obj=statement)  # its stance is searched and shown
    return statement
