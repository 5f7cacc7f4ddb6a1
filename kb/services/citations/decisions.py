"""Editors' decisions on resolved references: confirm a suggested paper, reject it (never
proposed again for that reference), set the paper by hand, and promote a cited work to a
metadata-only paper of the library (which can later receive its full text).

Each decision is one transaction, names the editor (``decided_by`` and the history record)
and is checked against the version the editor saw (``StaleEdit``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.models import CitedWork, LinkStatus, ReferenceLink
from kb.search.service import search_index_enqueue_citations
from kb.services.versions import version_take
from papers.models import Paper
from papers.services.metadata import paper_create_metadata_only

LINK_NOT_EDITOR = _("只有编辑可以确认、否决或指定参考文献的关联。")
LINK_NO_PAPER = _("这条参考文献尚未关联本库论文，无可确认。")
LINK_SELF = _("论文不能引用自身。")
LINK_ALREADY_PAPER = _("该被引文献已是本库论文。")
LINK_NO_TITLE = _("该被引文献没有题名，无法创建论文。")


def _check_editor(user) -> None:
    if not roles.is_editor(user):
        raise PermissionDenied(LINK_NOT_EDITOR)


def _save(link: ReferenceLink, user) -> ReferenceLink:
    link.decided_by = user
    link._history_user = user
    link.full_clean()
    link.save()
    # The statements citing through this reference are searched by what it cites (``cited:``).
    search_index_enqueue_citations(reference_ids=[link.reference_id])
    return link


@transaction.atomic
def reference_link_confirm(*, link: ReferenceLink, user, version: int | None = None) -> ReferenceLink:
    _check_editor(user)
    version_take(link, version=version)
    if link.paper_id is None:
        raise ValidationError(LINK_NO_PAPER)
    link.status = LinkStatus.CONFIRMED
    return _save(link, user)


@transaction.atomic
def reference_link_reject(*, link: ReferenceLink, user, version: int | None = None) -> ReferenceLink:
    """The suggested paper is not the work the reference names: it is never proposed again."""
    _check_editor(user)
    version_take(link, version=version)
    if link.paper_id is None:
        raise ValidationError(LINK_NO_PAPER)
    if link.paper_id not in link.rejected_papers:
        link.rejected_papers = [*link.rejected_papers, link.paper_id]
    link.paper, link.score, link.reason, link.status = None, None, {}, LinkStatus.REJECTED
    return _save(link, user)


@transaction.atomic
def reference_link_set(
    *, link: ReferenceLink, paper: Paper, user, version: int | None = None
) -> ReferenceLink:
    """The editor names the library paper the reference cites (confirmed at once)."""
    _check_editor(user)
    version_take(link, version=version)
    if paper.pk == link.citing_paper_id:
        raise ValidationError(LINK_SELF)
    link.rejected_papers = [pk for pk in link.rejected_papers if pk != paper.pk]
    link.paper, link.score, link.reason, link.status = paper, None, {"editor": True}, LinkStatus.CONFIRMED
    return _save(link, user)


@transaction.atomic
def cited_work_promote(*, work: CitedWork, user) -> Paper:
    """A metadata-only paper from the cited work's record; its references then link to it
    (confirmed: the editor decided), except where an editor confirmed another paper."""
    _check_editor(user)
    if work.paper_id is not None:
        raise ValidationError(LINK_ALREADY_PAPER)
    if not work.title.strip():
        raise ValidationError(LINK_NO_TITLE)
    fields = {"title": work.title[:500], "year": work.year, "venue": work.venue[:300]}
    if work.doi and not Paper.objects.filter(doi__iexact=work.doi).exists():
        fields["doi"] = work.doi
    paper = paper_create_metadata_only(
        user=user, authors=[work.first_author] if work.first_author else [], **fields
    )
    work.paper = paper
    work.save(update_fields=["paper"])
    for link in work.links.exclude(status=LinkStatus.CONFIRMED).exclude(citing_paper=paper):
        link.paper, link.score, link.reason, link.status = (
            paper,
            None,
            {"promoted": True},
            LinkStatus.CONFIRMED,
        )
        _save(link, user)
    return paper
