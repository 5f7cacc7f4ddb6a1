"""Fixtures of the read API tests: a small world with one of everything, and token headers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kb.models import ClaimStatus, CrossReference, CrossRefStatus
from kb.search import dictionary
from kb.search.index import forget_index
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services.tokens import token_create
from papers.models import PaperStatus
from tests import factories as f


@pytest.fixture
def api_world(paper_with_text, editor, other_editor, scholar):
    """Published paper with passages, a draft, a concept with a mention, claims (proposed and
    rejected) with evidence, a claim relation, cross-references (confirmed and suggested) and
    annotations (public, editors, private)."""
    paper = paper_with_text
    passage = paper.passages.get(order=1)
    draft = f.PaperFactory(title="未发布的草稿", status=PaperStatus.DRAFT, year=2021)
    draft_passage = f.PassageFactory(revision=f.RevisionFactory(paper=draft), order=0)
    other_passage = f.PassageFactory(text="数字鸿沟的另一种说法，出现在另一篇论文里。")
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="digital-divide", label_en="digital divide")
    concept.aliases = ["數字鴻溝", "信息鸿沟"]
    concept.save()
    broader = f.ConceptFactory(label_zh="数字化", slug="digitalisation")
    concept.broader.add(broader)
    mention = f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
    f.MentionFactory(concept=concept, passage=draft_passage, start=0, end=4)
    evidence = [{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟", "stance": "supports"}]
    claim = claim_services.claim_create(
        user=editor, paper=paper, statement="数字鸿沟阻碍共同富裕。", concepts=[concept], evidence=evidence
    )
    rejected = claim_services.claim_create(
        user=editor, paper=paper, statement="被驳回的论断。", evidence=evidence
    )
    claim_services.claim_review(user=other_editor, claim=rejected, decision=ClaimStatus.REJECTED)
    relation = claim_services.claim_relation_create(
        user=editor, source=claim, target=rejected, relation="contradicts"
    )
    confirmed = CrossReference.objects.create(
        source_passage=passage,
        target_passage=other_passage,
        status=CrossRefStatus.CONFIRMED,
        relation="supports",
    )
    suggested = CrossReference.objects.create(
        source_passage=other_passage, target_passage=passage, status=CrossRefStatus.SUGGESTED, score=0.4
    )
    notes = {
        visibility: annotation_services.annotation_create(
            user=editor,
            passage=passage,
            start=0,
            end=4,
            exact="数字鸿沟",
            body=f"{visibility} 批注",
            tags=["定义"],
            visibility=visibility,
        )
        for visibility in ("public", "editors", "private")
    }
    return SimpleNamespace(
        paper=paper,
        passage=passage,
        draft=draft,
        concept=concept,
        mention=mention,
        claim=claim,
        rejected=rejected,
        relation=relation,
        confirmed=confirmed,
        suggested=suggested,
        notes=notes,
        editor=editor,
        scholar=scholar,
    )


@pytest.fixture
def editor_token(editor):
    _token, key = token_create(user=editor, name="脚本")
    return key


@pytest.fixture
def bearer(editor_token):
    return {"HTTP_AUTHORIZATION": f"Bearer {editor_token}"}


@pytest.fixture
def search_index(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    yield
    forget_index(settings.KB_SEARCH_INDEX_DIR)
