"""Writing claims, their evidence, their review and their relations.

Contract:

- Editors propose claims (``claim_create``): a statement, a kind, concepts and
  at least one evidence quote, each anchored like an annotation (a selection
  of a passage, current revision). A new claim is ``proposed``.
- Evidence (``evidence_add``) may come from any passage of any paper: a claim
  such as "数字技术赋能共同富裕" gathers quotes from every paper that supports,
  contradicts or qualifies it (``Stance``). The same quote twice is an error
  (``DUPLICATE_EVIDENCE``); an editor changes a stance with
  ``evidence_set_stance`` (history records who and when).
- Review (``claim_review``): an admin, or an editor who did not create the
  claim, approves or rejects it (``SELF_REVIEW`` otherwise); the reviewer and
  the time are recorded.
- Relations (``claim_relation_create``): a ``CrossReference`` between two
  different claims with one of supports, contradicts, elaborates, equivalent
  and a note; created by an editor, it is ``confirmed``. The same relation
  between the same claims twice is an error (``DUPLICATE_RELATION``).
- Every save records history with the acting user.
- Statements and notes go through ``kb.lib.usertext.clean_text`` (sizes in
  ``LIMITS``); an update names the version it was based on (``kb.services.versions``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.usertext import clean_text
from kb.models import Claim, ClaimKind, ClaimStatus, Concept, CrossReference, CrossRefStatus, Evidence
from kb.models.claims import CLAIM_RELATIONS, Stance
from kb.search.service import search_index_enqueue, searchable
from kb.services.anchoring import NOT_EDITOR, target_from_selection
from kb.services.versions import version_take
from papers.models import Paper, Passage

EMPTY_STATEMENT = _("论断陈述不能为空。")
BAD_KIND = _("未知的论断类型。")
NO_EVIDENCE = _("论断至少需要一条证据引文。")
BAD_STANCE = _("未知的证据立场。")
DUPLICATE_EVIDENCE = _("这段引文已是该论断的证据。")
SELF_REVIEW = _("论断须由另一位编辑或管理员审核。")
BAD_DECISION = _("未知的审核结果。")
BAD_RELATION = _("未知的论断关系。")
SAME_CLAIM = _("论断不能与自身建立关系。")
DUPLICATE_RELATION = _("这两条论断之间已有该关系。")


def _require_editor(user) -> None:
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_EDITOR)


def _save(obj, *, user, reason: str = "", exclude: Iterable[str] = ()):
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.full_clean(exclude=list(exclude))
    obj.save()
    if searchable(obj):
        search_index_enqueue(obj=obj)
    return obj


def _check_stance(stance: str) -> str:
    if stance not in Stance.values:
        raise ValidationError(BAD_STANCE, code="stance")
    return stance


def evidence_add(
    *,
    user,
    claim: Claim,
    passage: Passage,
    start: int | None,
    end: int | None,
    exact: str,
    stance: str = Stance.SUPPORTS,
) -> Evidence:
    """A quote of ``passage`` (any paper, current revision) as evidence for ``claim``."""
    _require_editor(user)
    _check_stance(stance)
    target = target_from_selection(passage=passage, start=start, end=end, exact=exact)
    duplicate = Evidence.objects.filter(
        claim=claim, passage=passage, start=target["start"], end=target["end"]
    ).exists()
    if duplicate:
        raise ValidationError(DUPLICATE_EVIDENCE, code="duplicate")
    return _save(Evidence(claim=claim, stance=stance, **target), user=user)


@transaction.atomic
def evidence_set_stance(*, user, evidence: Evidence, stance: str, version: int | None = None) -> Evidence:
    """Change whether ``evidence`` supports, contradicts or qualifies its claim.

    ``version``: the one the edit was based on (``StaleEdit`` when another save came first)."""
    _require_editor(user)
    _check_stance(stance)
    if stance == evidence.stance:
        return evidence
    version_take(evidence, version=version)
    evidence.stance = stance
    return _save(evidence, user=user, reason=f"stance:{stance}")


@transaction.atomic
def claim_create(
    *,
    user,
    paper: Paper,
    statement: str,
    kind: str = ClaimKind.THESIS,
    concepts: Iterable[Concept] = (),
    evidence: Iterable[dict] = (),
) -> Claim:
    """``evidence``: dicts with passage, start, end (passage-relative), exact and optionally stance."""
    _require_editor(user)
    statement = clean_text(statement, limit="statement")
    if not statement.strip():
        raise ValidationError(EMPTY_STATEMENT, code="empty")
    if kind not in ClaimKind.values:
        raise ValidationError(BAD_KIND, code="kind")
    evidence = list(evidence)
    if not evidence:
        raise ValidationError(NO_EVIDENCE, code="no_evidence")
    claim = _save(Claim(paper=paper, statement=statement.strip(), kind=kind, creator=user), user=user)
    claim.concepts.set(list(concepts))
    for item in evidence:
        evidence_add(user=user, claim=claim, **item)
    return claim


@transaction.atomic
def claim_update(
    *, user, claim: Claim, statement: str, kind: str, concepts: Iterable[Concept], version: int | None = None
) -> Claim:
    """``version``: the one the edit was based on (``StaleEdit`` when another save came first)."""
    _require_editor(user)
    statement = clean_text(statement, limit="statement")
    if not statement.strip():
        raise ValidationError(EMPTY_STATEMENT, code="empty")
    if kind not in ClaimKind.values:
        raise ValidationError(BAD_KIND, code="kind")
    version_take(claim, version=version)
    claim.statement, claim.kind = statement.strip(), kind
    if claim.status == ClaimStatus.APPROVED:
        # A changed claim needs a fresh review.
        claim.status, claim.reviewed_by, claim.reviewed_at = ClaimStatus.PROPOSED, None, None
    _save(claim, user=user)
    claim.concepts.set(list(concepts))
    return claim


def can_review(user, claim: Claim) -> bool:
    return roles.is_admin(user) or (roles.is_editor(user) and claim.creator_id != user.pk)


@transaction.atomic
def claim_review(*, user, claim: Claim, decision: str) -> Claim:
    """Approve or reject (``decision`` is a ``ClaimStatus`` value other than proposed)."""
    _require_editor(user)
    if decision not in (ClaimStatus.APPROVED, ClaimStatus.REJECTED):
        raise ValidationError(BAD_DECISION, code="decision")
    if not can_review(user, claim):
        raise PermissionDenied(SELF_REVIEW)
    version_take(claim, version=None)  # a form opened before the review is stale
    claim.status, claim.reviewed_by, claim.reviewed_at = decision, user, timezone.now()
    return _save(claim, user=user, reason=f"review:{decision}")


@transaction.atomic
def claim_relation_create(
    *, user, source: Claim, target: Claim, relation: str, note: str = ""
) -> CrossReference:
    _require_editor(user)
    if relation not in CLAIM_RELATIONS:
        raise ValidationError(BAD_RELATION, code="relation")
    if source.pk == target.pk:
        raise ValidationError(SAME_CLAIM, code="same")
    if CrossReference.objects.filter(source_claim=source, target_claim=target, relation=relation).exists():
        raise ValidationError(DUPLICATE_RELATION, code="duplicate")
    crossref = CrossReference(
        source_claim=source,
        target_claim=target,
        relation=relation,
        note=clean_text(note, limit="note").strip(),
        status=CrossRefStatus.CONFIRMED,
        creator=user,
    )
    return _save(crossref, user=user)


@transaction.atomic
def relation_delete(*, user, crossref: CrossReference) -> None:
    _require_editor(user)
    crossref._history_user = user
    crossref.delete()
