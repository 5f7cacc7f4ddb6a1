"""The page aggregates kept incrementally equal a whole-library recomputation, whatever happens.

Random sequences of loads, new revisions, mention rejections and manual mentions, concept
merges, status changes (archiving and publishing again) and year corrections; after each
step the stored aggregates are compared with ``aggregates_expected()``.
"""

from __future__ import annotations

import random

import pytest

from kb.models import Concept, Mention, MentionStatus
from kb.models.aggregates import ConceptPair, ConceptStat, LibraryStat
from kb.services.aggregates import aggregates_expected, aggregates_rebuild, aggregates_stored
from kb.services.concepts import concept_create, concept_merge
from kb.services.followups import paper_loaded
from kb.services.mentions import mention_create, mention_reject
from papers.models import Paper, PaperStatus, Passage
from papers.services.ingest import LOADED, REVISED, IngestOutcome
from papers.services.metadata import paper_update_metadata
from tests import factories as f

pytestmark = pytest.mark.django_db

LABELS = ["数字鸿沟", "共同富裕", "数字素养", "数字治理", "公共价值"]
SENTENCES = [
    "弥合数字鸿沟是实现共同富裕的重要路径，需要提升农村居民的数字素养。",
    "数字治理以公共价值为导向，回应数字鸿沟带来的新问题。",
    "共同富裕需要数字治理能力的现代化。",
    "数字素养教育让老年人跨越数字鸿沟。",
    "公共价值的创造离不开多元主体的协同。",
    "这一段没有任何概念，只谈方法与数据来源。",
]


@pytest.fixture
def concepts(db):
    return [concept_create(label_zh=label, slug=f"c{i}") for i, label in enumerate(LABELS)]


def _load(rng: random.Random, admin) -> Paper:
    paper = f.PaperFactory(year=rng.choice([2019, 2021, 2023, None]))
    revision = f.RevisionFactory(paper=paper)
    for i in range(rng.randint(1, 4)):
        f.PassageFactory(revision=revision, order=i, text="".join(rng.sample(SENTENCES, rng.randint(1, 3))))
    paper_loaded(IngestOutcome(status=LOADED, paper=paper, revision=revision))
    return paper


def _revise(rng: random.Random, paper: Paper) -> None:
    old = paper.revisions.get(is_current=True)
    old.is_current = False
    old.save()
    revision = f.RevisionFactory(paper=paper, number=old.number + 1)
    for i in range(rng.randint(1, 3)):
        f.PassageFactory(revision=revision, order=i, text="".join(rng.sample(SENTENCES, 2)))
    paper_loaded(IngestOutcome(status=REVISED, paper=paper, revision=revision))


def _step(rng: random.Random, admin, editor) -> str:
    papers = list(Paper.objects.order_by("pk"))
    action = rng.choice(["load", "load", "revise", "reject", "create", "merge", "status", "year"])
    if action == "load" or not papers:
        _load(rng, admin)
        return "load"
    paper = rng.choice(papers)
    if action == "revise":
        _revise(rng, paper)
    elif action == "reject":
        mention = Mention.objects.filter(status=MentionStatus.ACTIVE).order_by("?").first()
        if mention:
            mention_reject(mention=mention, user=editor)
    elif action == "create":
        passage = Passage.objects.filter(paper=paper).current().first()
        live = [c for c in Concept.objects.filter(merged_into=None)]
        if passage and live and len(passage.text) > 4:
            start = rng.randrange(0, len(passage.text) - 3)
            try:
                mention_create(
                    passage=passage, concept=rng.choice(live), start=start, end=start + 2, user=editor
                )
            except Exception:  # noqa: BLE001 - an existing span is refused; that is fine here
                return "create refused"
    elif action == "merge":
        live = list(Concept.objects.filter(merged_into=None))
        if len(live) > 2:
            source, target = rng.sample(live, 2)
            concept_merge(source=source, target=target, user=editor)
    elif action == "status":
        new = PaperStatus.ARCHIVED if paper.status == PaperStatus.PUBLISHED else PaperStatus.PUBLISHED
        paper_update_metadata(paper=paper, user=admin, status=new)
    elif action == "year":
        paper_update_metadata(paper=paper, user=admin, year=rng.choice([2018, 2020, 2024]))
    return action


@pytest.mark.parametrize("seed", range(4))
def test_incremental_aggregates_equal_a_full_recomputation(seed, concepts, admin_user, editor):
    rng = random.Random(seed)  # noqa: S311 - a reproducible test sequence
    done, counted = [], 0
    for _ in range(10):
        done.append(_step(rng, admin_user, editor))
        expected = aggregates_expected()
        assert aggregates_stored() == expected, done
        counted += bool(expected["concept"] and expected["pair"])
    assert "load" in done and counted  # the sequence did count mentions and pairs


def test_counts_mean_what_the_pages_say(concepts, admin_user):
    paper = f.PaperFactory(year=2021)
    revision = f.RevisionFactory(paper=paper)
    f.PassageFactory(revision=revision, order=0, text="数字鸿沟与共同富裕。数字鸿沟再次出现。")
    f.PassageFactory(revision=revision, order=1, text="共同富裕。")
    f.PassageFactory(revision=revision, order=2, text="无概念。")
    paper_loaded(IngestOutcome(status=LOADED, paper=paper, revision=revision))
    divide, prosperity = concepts[0], concepts[1]
    assert ConceptStat.objects.get(concept=divide).mentions == 2
    assert ConceptStat.objects.get(concept=prosperity).passages == 2
    assert (
        ConceptPair.objects.get(a=min(divide.pk, prosperity.pk), b=max(divide.pk, prosperity.pk)).passages
        == 1
    )
    library = dict(LibraryStat.objects.values_list("key", "value"))
    assert library == {"papers": 1, "passages": 3, "mentioned_passages": 2}
    paper_update_metadata(paper=paper, user=admin_user, status=PaperStatus.ARCHIVED)
    assert not ConceptStat.objects.exists()  # an archived paper counts nowhere
    assert dict(LibraryStat.objects.values_list("key", "value"))["papers"] == 0


def test_rebuild_gives_the_same_tables(concepts, admin_user, editor):
    rng = random.Random(7)  # noqa: S311 - a reproducible test sequence
    for _ in range(8):
        _step(rng, admin_user, editor)
    before = aggregates_stored()
    ConceptStat.objects.all().delete()  # damage, then rebuild
    assert aggregates_stored() != before
    aggregates_rebuild()
    assert aggregates_stored() == before == aggregates_expected()
