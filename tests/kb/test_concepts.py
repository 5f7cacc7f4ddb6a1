"""The thesaurus: curated data, loading, create/rename/merge, definition sources, candidates."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kb.models import Concept, Mention
from kb.models.concepts import CandidateStatus, ConceptCandidate
from kb.services import concepts as services
from kb.services.concepts.thesaurus import thesaurus_load as load_thesaurus
from kb.services.mentions import mentions_detect
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_curated_thesaurus_is_rich_enough():
    data = json.loads(services.THESAURUS_FILE.read_text(encoding="utf-8"))
    concepts = {c["slug"]: c for c in data["concepts"]}
    assert len(concepts) >= 40
    labels = {c["label_zh"] for c in concepts.values()}
    for required in [
        "共同富裕",
        "数字鸿沟",
        "公共价值失灵",
        "数字社会治理",
        "数字平权",
        "数字新质生产力",
        "数据孤岛",
        "算法黑箱",
    ]:
        assert required in labels
    narrower = {c["label_zh"] for c in concepts.values() if c.get("broader") == "digital-divide"}
    assert {"接入沟", "使用沟", "知识沟", "代际数字鸿沟"} <= narrower
    for concept in concepts.values():
        assert concept["label_en"] and concept["definition"] and concept["group"], concept["slug"]
        assert all(
            s in concepts for s in [concept.get("broader", "digital-divide"), *concept.get("related", [])]
        )


def test_load_thesaurus_is_idempotent():
    call_command("load_thesaurus", verbosity=0)
    state = list(Concept.objects.order_by("slug").values_list("slug", "label_zh", "broader__slug", "aliases"))
    call_command("load_thesaurus", verbosity=0)
    assert (
        list(Concept.objects.order_by("slug").values_list("slug", "label_zh", "broader__slug", "aliases"))
        == state
    )
    divide = Concept.objects.get(slug="digital-divide")
    assert set(divide.narrower.values_list("label_zh", flat=True)) >= {
        "接入沟",
        "使用沟",
        "知识沟",
        "代际数字鸿沟",
    }
    assert "數位落差" in divide.aliases


def test_definitions_cite_the_defining_passage(corpus):
    concept = Concept.objects.get(slug="digital-social-governance")
    assert concept.definition_source is not None
    assert concept.definition_source.paper == corpus["003"]
    assert "嵌入性与场景的适用性" in concept.definition_source.text


def test_create_refuses_a_taken_label(divide):
    with pytest.raises(ValidationError) as info:
        services.concept_create(label_zh="数字鸿沟")
    assert info.value.messages == [services.CONCEPT_LABEL_TAKEN.format(label="数字鸿沟")]


def test_rename_keeps_the_old_label_as_alias(divide):
    passage = f.PassageFactory(text="数字鸿沟与数字分化")
    mentions_detect(passages=[passage])
    services.concept_edit(
        concept=divide,
        user=None,
        label_zh="数字分化",
        label_en=divide.label_en,
        aliases=list(divide.aliases or []),
        definition=divide.definition,
        group=divide.group,
        broader=[],
        related=[],
    )
    divide.refresh_from_db()
    assert divide.label_zh == "数字分化"
    assert "数字鸿沟" in divide.aliases
    assert sorted(passage.mentions.values_list("surface", flat=True)) == ["数字分化", "数字鸿沟"]


def test_broader_cycle_is_refused(divide, prosperity):
    services.concept_update(concept=prosperity, broader=divide)
    with pytest.raises(ValidationError) as info:
        services.concept_update(concept=divide, broader=prosperity)
    assert info.value.messages == [services.CONCEPT_BROADER_CYCLE]


def test_a_concept_may_sit_under_several_broader_ones(divide, prosperity, editor_client):
    digital = services.concept_create(label_zh="数字化", slug="digitalisation")
    governance = services.concept_create(label_zh="治理", slug="governance")
    both = services.concept_create(label_zh="数字治理能力", slug="dg-capacity", broader=[digital, governance])
    assert set(both.broader.all()) == {digital, governance}
    assert both in digital.narrower.all() and both in governance.narrower.all()
    # A cycle through any of them is refused, and nothing changes.
    with pytest.raises(ValidationError):
        services.concept_update(concept=governance, broader=[prosperity, both])
    assert list(governance.broader.all()) == []
    html = editor_client.get(both.get_absolute_url()).content.decode()
    assert digital.get_absolute_url() in html and governance.get_absolute_url() in html
    services.concept_update(concept=both, broader=None)
    assert list(both.broader.all()) == []


def test_merging_keeps_the_hierarchy_without_cycles(divide, prosperity):
    top = services.concept_create(label_zh="社会不平等", slug="inequality")
    source = services.concept_create(label_zh="数字差距", slug="digital-gap", broader=[top, divide])
    child = services.concept_create(label_zh="接入差距", slug="access-gap", broader=source)
    services.concept_merge(source=source, target=divide)
    # The child moves up to the target; the target takes the source's other broader concept,
    # not itself.
    assert list(child.broader.all()) == [divide]
    assert list(divide.broader.all()) == [top]
    assert list(source.broader.all()) == []


def test_thesaurus_broader_may_be_a_list_and_loading_keeps_editors_links(db):
    data = {
        "concepts": [
            {"slug": "a", "label_zh": "甲"},
            {"slug": "b", "label_zh": "乙"},
            {"slug": "c", "label_zh": "丙", "broader": ["a", "b"]},
        ]
    }
    load_thesaurus(data=data)
    c = Concept.objects.get(slug="c")
    assert {x.slug for x in c.broader.all()} == {"a", "b"}
    extra = services.concept_create(label_zh="丁", slug="d")
    c.broader.add(extra)
    load_thesaurus(data=data)  # idempotent, and the editor's link stays
    assert {x.slug for x in Concept.objects.get(slug="c").broader.all()} == {"a", "b", "d"}


def test_merge_moves_mentions_links_and_leaves_a_redirect(divide, prosperity, client):
    gap = services.concept_create(label_zh="数字差距", label_en="digital gap", slug="digital-gap")
    child = services.concept_create(label_zh="接入沟", slug="access-divide", broader=gap)
    services.concept_update(concept=gap, related=[prosperity])
    passage = f.PassageFactory(text="数字差距与数字鸿沟")
    mentions_detect(passages=[passage])
    claim = f.ClaimFactory()
    claim.concepts.add(gap)

    services.concept_merge(source=gap, target=divide)

    gap.refresh_from_db()
    divide.refresh_from_db()
    child.refresh_from_db()
    assert gap.merged_into == divide
    assert {"数字差距", "digital gap"} <= set(divide.aliases)
    assert list(child.broader.all()) == [divide]
    assert prosperity in divide.related.all()
    assert list(claim.concepts.all()) == [divide]
    assert Mention.objects.filter(concept=gap).count() == 0
    assert sorted(passage.mentions.values_list("surface", flat=True)) == ["数字差距", "数字鸿沟"]
    response = client.get(gap.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == divide.get_absolute_url()


def test_merge_into_itself_or_twice_is_refused(divide, prosperity):
    with pytest.raises(ValidationError) as info:
        services.concept_merge(source=divide, target=divide)
    assert info.value.messages == [services.CONCEPT_MERGE_SELF]
    services.concept_merge(source=prosperity, target=divide)
    with pytest.raises(ValidationError) as info:
        services.concept_merge(source=prosperity, target=divide)
    assert info.value.messages == [services.CONCEPT_MERGE_MERGED]


def test_candidates_are_frequent_terms_that_are_not_concepts(corpus, editor):
    assert services.concept_candidates_refresh() > 0
    terms = set(ConceptCandidate.objects.values_list("term", flat=True))
    known = set(Concept.objects.values_list("label_zh", flat=True))
    assert terms and not (terms & known)
    assert not (terms & services.CANDIDATE_STOPWORDS)
    candidate = ConceptCandidate.objects.order_by("-score").first()
    concept = services.concept_candidate_accept(candidate=candidate, user=editor, group="数字治理")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ACCEPTED and candidate.concept == concept
    assert concept.mentions.exists()
    with pytest.raises(ValidationError) as info:
        services.concept_candidate_dismiss(candidate=candidate, user=editor)
    assert info.value.messages == [services.CANDIDATE_CLOSED]


def test_edit_with_a_new_label_keeps_the_old_labels_and_drops_removed_aliases(divide, editor):
    divide.related.clear()
    services.concept_edit(
        concept=divide,
        user=editor,
        label_zh="数字分化",
        label_en="digital division",
        aliases=["数字差距"],  # the editor removed 數位落差
        definition="",
        group="数字不平等",
        broader=None,
        related=[],
    )
    divide.refresh_from_db()
    assert divide.label_zh == "数字分化" and divide.label_en == "digital division"
    assert divide.aliases == ["数字差距", "数字鸿沟", "digital divide"]


def test_edit_without_a_new_label_keeps_the_aliases_as_given(divide, editor):
    services.concept_edit(
        concept=divide,
        user=editor,
        label_zh="数字鸿沟",
        label_en="digital divide",
        aliases=["数字差距"],
        definition="",
        group="",
        broader=None,
        related=[],
    )
    divide.refresh_from_db()
    assert divide.aliases == ["数字差距"]


def test_create_links_related_concepts(divide):
    concept = services.concept_create(label_zh="数据要素", related=[divide])
    assert list(concept.related.all()) == [divide]
    assert list(divide.related.all()) == [concept]


def test_merge_drops_a_mention_the_target_already_has(divide, prosperity):
    passage = f.PassageFactory(text="数字鸿沟")
    mentions_detect(passages=[passage])
    Mention.objects.create(
        concept=prosperity, passage=passage, start=0, end=4, surface="数字鸿沟", origin="manual"
    )
    assert passage.mentions.count() == 2
    services.concept_merge(source=prosperity, target=divide)
    assert list(passage.mentions.values_list("concept_id", "start", "end")) == [(divide.pk, 0, 4)]
