"""Citation statements: the citing sentence of every marker, the stance its cue phrases
suggest (the cue is the reason), and editors' confirmations and corrections with history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kb.lib.citestance import sentence_around, sentences, suggest_stance
from kb.models import CitationStatement
from kb.services import citations as services
from kb.services import loading
from kb.services.versions import StaleEdit
from tests.kb.citation_samples import CITED, CITING


@pytest.mark.parametrize(
    ("sentence", "stance", "cue"),
    [
        ("本文的发现与张明的结论一致[1]。", "supporting", "与张明的结论一致"),
        ("这一判断证实了前人的观察[2]。", "supporting", "证实了"),
        ("该结果验证了数字红利假说[3]。", "supporting", "验证了"),
        ("实证结果支持了这一推断[4]。", "supporting", "支持了"),
        ("然而王某认为数字鸿沟会自然消失[5]。", "contrasting", "然而王某认为"),
        ("不同于已有研究，本文关注使用鸿沟[6]。", "contrasting", "不同于"),
        ("有学者质疑这一测度的效度[7]。", "contrasting", "质疑"),
        ("本文结论与李某的发现不同[8]。", "contrasting", "与李某的发现不同"),
        ("既有政策未能缩小城乡差距[9]。", "contrasting", "未能"),
        ("本文采用熵值法测度数字包容水平[10]。", "using_method", "采用熵值法"),
        ("借鉴刘某的做法构建指标体系[11]。", "using_method", "借鉴"),
        ("参照国家统计局的口径划分区域[12]。", "using_method", "参照"),
        ("Our results are consistent with Smith (2020).", "supporting", "consistent with"),
        ("However, Lee (2019) argues the opposite.", "contrasting", "However"),
        ("We adopt the entropy method of Wang (2018).", "using_method", "adopt"),
        ("数字鸿沟是数字时代社会不平等的新形态[13]。", "mentioning", ""),
        ("政府支持数字基础设施建设[14]。", "mentioning", ""),
    ],
)
def test_stance_cues(sentence, stance, cue):
    assert suggest_stance(sentence) == (stance, cue)


def test_sentences_split_on_chinese_and_english_ends_keep_decimals():
    text = "第一句。第二句！第三句；Rates rose 3.5 percent (Lou, 2012; Li, 2015). Next one? 末尾没有句号"
    parts = [text[s:e] for s, e in sentences(text)]
    assert parts == [
        "第一句。",
        "第二句！",
        "第三句；",
        "Rates rose 3.5 percent (Lou, 2012; Li, 2015).",
        " Next one?",
        " 末尾没有句号",
    ]


def test_a_marker_after_the_full_stop_belongs_to_the_sentence_before():
    text = "前文如此。本文与其一致。[3]后文另起。"
    start = text.index("[3]")
    s, e = sentence_around(text, start, start + 3)
    assert text[s:e] == "本文与其一致。[3]"
    subject = "前文如此。Scholes(1972)的研究奠定了基础。"
    start = subject.index("Scholes")
    s, e = sentence_around(subject, start, start + len("Scholes(1972)"))
    assert subject[s:e] == "Scholes(1972)的研究奠定了基础。"
    inner = "甲说如此[1]，乙不同意。"
    s, e = sentence_around(inner, 4, 7)
    assert inner[s:e] == inner


@pytest.fixture
def loaded(db):
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt")
    loading.paper_load(data=CITED.encode(), filename="b.txt")
    return citing.paper_id


def test_statements_are_stored_with_sentence_offsets_and_cues(loaded):
    rows = [
        (s.citation.marker, s.passage.text[s.start : s.end], s.suggested_stance, s.cue)
        for s in CitationStatement.objects.filter(citing_paper_id=loaded).select_related(
            "citation", "passage"
        )
    ]
    assert rows == [
        (
            "[1]",
            "已有研究从接入与使用两个层次测度数字鸿沟，本文的发现与张明的结论一致[1]。",
            "supporting",
            "与张明的结论一致",
        ),
        ("[2]", "然而也有学者认为数字鸿沟会自然消失[2]。", "contrasting", "然而也有学者认为"),
        ("[3]", "本文采用熵值法测度数字包容水平[3]。", "using_method", "采用熵值法"),
        ("[2]", "数字包容是共同富裕的重要条件[2]。", "mentioning", ""),
    ]
    assert all(s.reference_id for s in CitationStatement.objects.all())


def test_editor_corrects_a_stance_with_history(loaded, editor, other_editor):
    statement = CitationStatement.objects.get(citing_paper_id=loaded, citation__marker="[3]")
    services.statement_set_stance(
        statement=statement, stance="mentioning", user=editor, version=statement.version
    )
    statement.refresh_from_db()
    assert (statement.current_stance, statement.suggested_stance, statement.confirmed_by) == (
        "mentioning",
        "using_method",
        editor,
    )
    history = statement.history.order_by("history_date")
    assert [(h.stance, h.history_user_id) for h in history] == [("", None), ("mentioning", editor.pk)]
    with pytest.raises(StaleEdit):  # another editor, from the page before the change
        services.statement_set_stance(statement=statement, stance="supporting", user=other_editor, version=1)


def test_only_editors_and_known_stances(loaded, scholar, editor):
    statement = CitationStatement.objects.filter(citing_paper_id=loaded).first()
    with pytest.raises(PermissionDenied):
        services.statement_set_stance(statement=statement, stance="supporting", user=scholar)
    with pytest.raises(ValidationError) as exc:
        services.statement_set_stance(statement=statement, stance="agree", user=editor)
    assert exc.value.messages == [str(services.STANCE_UNKNOWN)]
    assert CitationStatement.objects.get(pk=statement.pk).stance == ""


def test_a_confirmed_stance_carries_over_to_the_next_revision(loaded, editor):
    statement = CitationStatement.objects.get(citing_paper_id=loaded, citation__marker="[3]")
    services.statement_set_stance(statement=statement, stance="mentioning", user=editor)
    revised = CITING.replace("二、结论", "二、结论与讨论")
    assert loading.paper_load(data=revised.encode(), filename="a.txt").status == "revised"
    current = CitationStatement.objects.get(
        citing_paper_id=loaded, citation__marker="[3]", passage__revision__is_current=True
    )
    assert current.pk != statement.pk and current.stance == "mentioning"
