"""Mention detection, rejection that survives re-detection, and mentions added by hand."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kb.models import Mention, MentionOrigin, MentionStatus
from kb.services import mentions as services
from kb.services.concepts import concept_create, concept_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def surfaces(passage):
    return [
        (m.surface, m.concept.label_zh) for m in passage.mentions.filter(status="active").order_by("start")
    ]


def test_detects_labels_and_aliases_with_offsets(divide, prosperity):
    passage = f.PassageFactory(text="弥合数字鸿沟与數位落差，是实现共同富裕的路径。")
    assert services.mentions_detect(passages=[passage]) == 3
    got = list(passage.mentions.order_by("start").values_list("start", "end", "surface"))
    assert got == [(2, 6, "数字鸿沟"), (7, 11, "數位落差"), (15, 19, "共同富裕")]
    assert all(passage.text[s:e] == surface for s, e, surface in got)


def test_longest_match_wins_in_the_database_too(db):
    concept_create(label_zh="新质生产力", slug="nqpf", detect=False)
    concept_create(label_zh="数字新质生产力", slug="dnqpf", detect=False)
    passage = f.PassageFactory(text="数字新质生产力是新质生产力的一种形态。")
    services.mentions_detect(passages=[passage])
    assert surfaces(passage) == [("数字新质生产力", "数字新质生产力"), ("新质生产力", "新质生产力")]


def test_full_width_and_traditional_text(divide):
    passage = f.PassageFactory(text="縮小數字鴻溝，ＤＩＧＩＴＡＬ ＤＩＶＩＤＥ。")
    services.mentions_detect(passages=[passage])
    assert [s for s, _ in surfaces(passage)] == ["數字鴻溝", "ＤＩＧＩＴＡＬ ＤＩＶＩＤＥ"]


def test_rejected_mention_survives_redetection(divide):
    passage = f.PassageFactory(text="数字鸿沟问题与数字鸿沟的弥合。")
    services.mentions_detect(passages=[passage])
    first = passage.mentions.order_by("start").first()
    services.mention_reject(mention=first, user=None)
    services.mentions_detect(passages=[passage])
    services.mentions_detect_all()
    assert passage.mentions.filter(status=MentionStatus.REJECTED).count() == 1
    assert list(passage.mentions.filter(status="active").values_list("start", flat=True)) == [7]


def test_rejection_carries_over_to_a_new_revision_of_the_paper(divide):
    old = f.PassageFactory(text="这里的数字鸿沟是误报。另一处数字鸿沟是真的。")
    services.mentions_detect(passages=[old])
    services.mention_reject(mention=old.mentions.order_by("start").first(), user=None)
    old.revision.is_current = False
    old.revision.save()
    new_revision = f.RevisionFactory(paper=old.paper, number=2)
    new = f.PassageFactory(revision=new_revision, text="前言。这里的数字鸿沟是误报。另一处数字鸿沟是真的。")
    services.mentions_detect(passages=[new])
    assert [m.start for m in new.mentions.filter(status="active")] == [17]


def test_thesaurus_change_redetects_only_that_concept(divide, prosperity):
    passage = f.PassageFactory(text="数字分化与共同富裕")
    services.mentions_detect(passages=[passage])
    assert surfaces(passage) == [("共同富裕", "共同富裕")]
    concept_update(concept=divide, aliases=["数字分化"])
    assert surfaces(passage) == [("数字分化", "数字鸿沟"), ("共同富裕", "共同富裕")]


def test_editor_adds_a_mention_by_selecting_text(divide, editor):
    passage = f.PassageFactory(text="城乡之间的数字差距日益明显。")
    mention = services.mention_create(passage=passage, concept=divide, start=5, end=9, user=editor)
    assert (mention.surface, mention.origin, mention.created_by) == ("数字差距", MentionOrigin.MANUAL, editor)
    services.mentions_detect(passages=[passage])
    assert passage.mentions.filter(status="active").count() == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 99, services.MENTION_BAD_SPAN), (3, 3, services.MENTION_BAD_SPAN), (0, 1, services.MENTION_EMPTY)],
)
def test_manual_mention_rejects_bad_spans(divide, editor, start, end, message):
    passage = f.PassageFactory(text=" 城乡之间的数字差距。")
    with pytest.raises(ValidationError) as info:
        services.mention_create(passage=passage, concept=divide, start=start, end=end, user=editor)
    assert info.value.messages == [message]


def test_manual_mention_twice_is_refused(divide, editor):
    passage = f.PassageFactory(text="城乡之间的数字差距。")
    services.mention_create(passage=passage, concept=divide, start=5, end=9, user=editor)
    with pytest.raises(ValidationError) as info:
        services.mention_create(passage=passage, concept=divide, start=5, end=9, user=editor)
    assert info.value.messages == [services.MENTION_EXISTS]


def test_reference_list_entries_are_not_mentions(divide):
    passage = f.PassageFactory(kind="reference", text="[1] 张三. 数字鸿沟研究[J]. 2020.")
    assert services.mentions_detect(passages=[passage]) == 0
    assert not Mention.objects.exists()
