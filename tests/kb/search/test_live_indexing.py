"""Every write path keeps the index current: what an editor or admin just saved (or removed) is
what the next search finds, through the background task each service enqueues on commit."""

from __future__ import annotations

import pytest

from kb.models import Annotation, Concept, Mention
from kb.search.selectors import search_query
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import history as history_services
from kb.services import mentions as mention_services
from kb.services.concepts import editing as concept_services
from papers.services.metadata import paper_update_metadata
from tests.kb.search.conftest import make_paper


@pytest.fixture
def paper(db, reindex):
    paper, passages = make_paper(
        "平台治理研究",
        [("paragraph", "平台经济的治理需要新的监管工具。"), ("paragraph", "算法推荐改变了信息分发的方式。")],
    )
    reindex()
    return paper


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write and its on-commit callbacks (the enqueued index tasks run at once here)."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def keys(query: str, user) -> set[tuple[str, int]]:
    return {(hit.type, hit.obj_id) for hit in search_query(query=query, user=user).hits}


def test_annotations_are_searchable_as_written_and_gone_once_deleted(paper, editor, scholar, committed):
    passage = paper.passages.get(order=0)
    note = committed(
        lambda: annotation_services.annotation_create(
            user=editor,
            passage=passage,
            start=0,
            end=4,
            exact="平台经济",
            body="值得追踪的垄断议题",
            visibility="public",
        )
    )
    assert ("annotation", note.pk) in keys("垄断议题", scholar)
    committed(
        lambda: annotation_services.annotation_update(user=editor, annotation=note, body="改写后的反垄断观察")
    )
    assert ("annotation", note.pk) not in keys("追踪", scholar)
    assert ("annotation", note.pk) in keys("反垄断观察", scholar)
    committed(
        lambda: annotation_services.annotation_update(user=editor, annotation=note, visibility="private")
    )
    assert ("annotation", note.pk) not in keys("反垄断观察", scholar)
    assert ("annotation", note.pk) in keys("反垄断观察", editor)
    pk = note.pk
    committed(lambda: annotation_services.annotation_delete(user=editor, annotation=note))
    assert keys("反垄断观察", editor) == set()
    # Restoring it from its history brings it back.
    record = Annotation.history.filter(id=pk).exclude(history_type="-").first()
    committed(
        lambda: history_services.history_restore(
            user=editor, model=Annotation, pk=pk, history_id=record.history_id
        )
    )
    assert ("annotation", pk) in keys("反垄断观察", editor)


def test_claims_follow_their_statement(paper, editor, scholar, committed):
    passage = paper.passages.get(order=1)
    evidence = [{"passage": passage, "start": 0, "end": 4, "exact": "算法推荐"}]
    claim = committed(
        lambda: claim_services.claim_create(
            user=editor, paper=paper, statement="算法重塑舆论生态", evidence=evidence
        )
    )
    assert ("claim", claim.pk) in keys("舆论生态", scholar)
    committed(
        lambda: claim_services.claim_update(
            user=editor, claim=claim, statement="算法改变注意力分配", kind=claim.kind, concepts=[]
        )
    )
    assert ("claim", claim.pk) not in keys("舆论生态", scholar)
    assert ("claim", claim.pk) in keys("注意力分配", scholar)


def test_concepts_their_mentions_and_merges_reach_the_index(paper, editor, scholar, committed):
    first = paper.passages.get(order=0)
    supervision = committed(lambda: concept_services.concept_create(label_zh="监管工具", user=editor))
    assert ("concept", supervision.pk) in keys("监管工具", scholar)
    assert ("passage", first.pk) in keys("concept:监管工具", scholar)

    mention = Mention.objects.get(concept=supervision, passage=first)
    committed(lambda: mention_services.mention_reject(mention=mention, user=editor))
    assert ("passage", first.pk) not in keys("concept:监管工具", scholar)
    committed(
        lambda: mention_services.mention_create(
            passage=first, concept=supervision, start=mention.start, end=mention.end, user=editor
        )
    )
    assert ("passage", first.pk) in keys("concept:监管工具", scholar)

    governance = committed(lambda: concept_services.concept_create(label_zh="治理手段", user=editor))
    committed(lambda: concept_services.concept_merge(source=supervision, target=governance, user=editor))
    assert ("concept", supervision.pk) not in keys("监管工具", scholar)  # merged: only the target remains
    assert ("concept", governance.pk) in keys("监管工具", scholar)  # its old label is an alias now
    assert ("passage", first.pk) in keys("concept:治理手段", scholar)
    assert Concept.objects.get(pk=supervision.pk).merged_into == governance


def test_corrected_metadata_is_found(paper, admin_user, scholar, committed):
    committed(lambda: paper_update_metadata(paper=paper, user=admin_user, title="数字平台的监管逻辑"))
    assert ("paper", paper.pk) in keys("监管逻辑", scholar)
    assert ("paper", paper.pk) not in keys("平台治理研究", scholar)


def test_a_thesaurus_reload_makes_a_new_definition_searchable(db, reindex, scholar, committed):
    from kb.services.concepts.thesaurus import thesaurus_load

    entry = {"slug": "platform", "label_zh": "平台经济", "definition": "以平台为中介的经济形态。"}
    committed(lambda: thesaurus_load(data={"concepts": [entry]}))
    concept = Concept.objects.get(slug="platform")
    assert ("concept", concept.pk) in keys("中介", scholar)
    committed(lambda: thesaurus_load(data={"concepts": [{**entry, "definition": "双边市场的组织者。"}]}))
    assert ("concept", concept.pk) in keys("双边市场", scholar)
    assert ("concept", concept.pk) not in keys("中介", scholar)


def test_imported_annotations_are_searchable_anchored_or_not(paper_with_text, editor, reindex, committed):
    from kb.services import w3c
    from tests.kb.test_w3c import HYPOTHESIS_EXPORT

    reindex()
    report = committed(
        lambda: w3c.annotations_import(
            paper=paper_with_text, data=HYPOTHESIS_EXPORT, user=editor, visibility="public"
        )
    )
    assert ("annotation", report.anchored[0].annotation.pk) in keys("Hypothesis", editor)
    assert ("annotation", report.orphaned[0].annotation.pk) in keys("找不到的引文", editor)
