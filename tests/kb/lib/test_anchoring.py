"""kb.lib.anchoring: describing selections and finding them again (pure, no database)."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kb.lib import anchoring as a

TEXT = (
    "数字鸿沟是数字时代社会不平等的新形态。弥合数字鸿沟是实现共同富裕的重要路径。"
    "数字经济发展迅速，但城乡之间的数字鸿沟依然明显。"
)


def _span(text, quote, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def test_context_runs_to_the_sentence():
    start, end = _span(TEXT, "重要路径")
    selector = a.describe(TEXT, start, end)
    assert selector.prefix == "弥合数字鸿沟是实现共同富裕的"
    assert selector.suffix == "。数字经济发展迅速，但城乡之间的数字鸿沟依然明显。"


def test_short_context_reaches_into_the_previous_sentence():
    start, end = _span(TEXT, "数字鸿沟", nth=1)
    selector = a.describe(TEXT, start, end)
    assert selector.prefix.endswith("新形态。弥合")
    assert len(selector.prefix) >= a.CONTEXT_MIN


def test_describe_rejects_bad_range():
    for start, end in [(3, 3), (-1, 2), (0, len(TEXT) + 1)]:
        try:
            a.describe(TEXT, start, end)
        except ValueError:
            continue
        raise AssertionError(f"{start}:{end} accepted")


def test_unchanged_text_anchors_by_position():
    start, end = _span(TEXT, "数字鸿沟", nth=1)
    match = a.anchor(TEXT, a.describe(TEXT, start, end))
    assert (match.start, match.end, match.method) == (start, end, a.POSITION)


def test_insertion_before_moves_anchor_through_the_diff():
    start, end = _span(TEXT, "数字鸿沟", nth=2)
    new = "【前言】本文讨论数字鸿沟。" + TEXT
    match = a.anchor(new, a.describe(TEXT, start, end), text_map=a.TextMap(TEXT, new))
    assert (match.start, match.method) == (start + len("【前言】本文讨论数字鸿沟。"), a.POSITION)


def test_quote_moved_elsewhere_is_found_by_exact_search_with_context():
    old = "甲。" + TEXT
    start, end = _span(old, "实现共同富裕的重要路径")
    # The sentence moved to the end; the text around it changed place.
    sentence = "弥合数字鸿沟是实现共同富裕的重要路径。"
    new = old.replace(sentence, "") + sentence
    match = a.anchor(new, a.describe(old, start, end), text_map=a.TextMap(old, new))
    assert new[match.start : match.end] == "实现共同富裕的重要路径"
    assert match.method in (a.EXACT, a.POSITION)


def test_short_quote_never_drifts_to_a_different_word():
    start, end = _span(TEXT, "数字鸿沟", nth=1)
    new = TEXT.replace("弥合数字鸿沟", "弥合数字经济")
    assert a.anchor(new, a.describe(TEXT, start, end), text_map=a.TextMap(TEXT, new)) is None
    assert a.anchor(new, a.describe(TEXT, start, end)) is None


def test_long_quote_with_a_small_edit_anchors_fuzzily_on_the_new_wording():
    old = TEXT
    start, end = _span(old, "弥合数字鸿沟是实现共同富裕的重要路径")
    new = old.replace("弥合数字鸿沟是实现共同富裕的重要路径", "弥合数字鸿沟是实现共同富裕的关键路径")
    match = a.anchor(new, a.describe(old, start, end), text_map=a.TextMap(old, new))
    assert match.method == a.FUZZY
    assert new[match.start : match.end] == "弥合数字鸿沟是实现共同富裕的关键路径"


def test_fuzzy_errors_are_bounded_by_quote_length():
    assert [a.max_errors(n) for n in (1, 4, 5, 9, 10, 50)] == [0, 0, 1, 1, 2, 10]
    old = TEXT
    quote = "弥合数字鸿沟是实现共同富裕"  # 13 characters: at most 2 edits
    start, end = _span(old, quote)
    new = old.replace(quote, "缩小城乡差距是实现共同富裕")  # 6 edits
    assert a.anchor(new, a.describe(old, start, end), text_map=a.TextMap(old, new)) is None


def test_deleted_sentence_orphans():
    start, end = _span(TEXT, "城乡之间的数字鸿沟依然明显")
    new = TEXT.replace("数字经济发展迅速，但城乡之间的数字鸿沟依然明显。", "")
    assert a.anchor(new, a.describe(TEXT, start, end), text_map=a.TextMap(TEXT, new)) is None


def test_repeated_quote_picks_the_occurrence_with_matching_context():
    old = "引言。" + TEXT
    start, end = _span(old, "数字鸿沟", nth=2)  # 城乡之间的数字鸿沟
    new = TEXT  # the first two occurrences come first now, all offsets shift by 3
    match = a.anchor(new, a.describe(old, start, end))
    assert match.start == _span(new, "数字鸿沟", nth=2)[0]


# --- properties ------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
PUNCT = st.sampled_from("。，；")
TEXTS = st.lists(st.one_of(CJK, CJK, CJK, PUNCT), min_size=12, max_size=300).map("".join)


@st.composite
def text_and_span(draw):
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 2))
    end = draw(st.integers(start + 1, min(len(text), start + 40)))
    return text, start, end


@settings(max_examples=150, deadline=None)
@given(text_and_span())
def test_property_unchanged_text_anchors_exactly(case):
    text, start, end = case
    selector = a.describe(text, start, end)
    for text_map in (None, a.TextMap(text, text)):
        match = a.anchor(text, selector, text_map=text_map)
        assert (match.start, match.end) == (start, end)


@settings(max_examples=150, deadline=None)
@given(text_and_span(), st.data())
def test_property_edits_elsewhere_move_anchor_correctly(case, data):
    text, start, end = case
    insertion = data.draw(st.lists(st.one_of(CJK, PUNCT), min_size=1, max_size=30).map("".join))
    where = data.draw(st.sampled_from(["insert_before", "insert_after", "delete_before", "delete_after"]))
    if where == "insert_before":
        at = data.draw(st.integers(0, start))
        new, shift = text[:at] + insertion + text[at:], len(insertion)
    elif where == "insert_after":
        at = data.draw(st.integers(end, len(text)))
        new, shift = text[:at] + insertion + text[at:], 0
    elif where == "delete_before":
        assume(start > 0)
        lo = data.draw(st.integers(0, start - 1))
        hi = data.draw(st.integers(lo + 1, start))
        new, shift = text[:lo] + text[hi:], -(hi - lo)
    else:
        assume(end < len(text))
        lo = data.draw(st.integers(end, len(text) - 1))
        hi = data.draw(st.integers(lo + 1, len(text)))
        new, shift = text[:lo] + text[hi:], 0
    selector = a.describe(text, start, end)
    match = a.anchor(new, selector, text_map=a.TextMap(text, new))
    assert match is not None
    assert new[match.start : match.end] == selector.exact
    if new.count(selector.exact) == 1:
        assert (match.start, match.end) == (start + shift, end + shift)


def test_candidates_rank_the_places_a_lost_quote_may_have_gone():
    texts = [
        (1, "完全无关的一段文字，讲的是别的事情。"),
        (2, "上文。数字技术和社会治理融合会产生正负两方面影响。下文。"),
        (3, "前言。数字技术与社会治理的融合将产生正负双重影响。后记。"),
    ]
    found = a.candidates("数字技术与社会治理的融合将产生正负双重的影响。", texts)
    assert [c.key for c in found] == [3, 2]
    best = found[0]
    assert best.quote == texts[2][1][best.start : best.end] == "数字技术与社会治理的融合将产生正负双重影响。"
    assert best.score > found[1].score >= a.CANDIDATE_MIN_SCORE


def test_candidates_need_a_quote_long_enough_and_a_close_enough_text():
    texts = [(1, "数字鸿沟是数字时代社会不平等的新形态。")]
    assert a.candidates("数字", texts) == []
    assert a.candidates("平台经济的反垄断监管", texts) == []
    assert a.candidates("数字鸿沟是新形态", [], limit=3) == []


def test_candidates_rank_the_edited_sentence_above_short_passages_it_contains():
    quote = "数字鸿沟是数字时代社会不平等的新形态，需要综合施策加以弥合。"
    texts = [
        (1, "数字鸿沟"),  # a heading the quote contains
        (2, "新形态"),
        (3, "前文。数字鸿沟是数字时代社会不平等的一种新形态，需要综合施策弥合。后文。"),
    ]
    found = a.candidates(quote, texts)
    assert [c.key for c in found] == [3]
    assert found[0].quote.startswith("数字鸿沟是数字时代") and found[0].quote.endswith("弥合。")


def test_candidates_for_a_long_quote_still_find_its_passage():
    sentence = "平台经济的治理需要在创新与规范之间取得平衡。"
    quote = sentence * 40  # 880 characters
    edited = sentence * 20 + "平台经济的监管需要在创新与规范之间取得平衡。" + sentence * 19
    found = a.candidates(quote, [(1, "无关的段落。" * 100), (2, edited)])
    assert [c.key for c in found] == [2] and found[0].score > 95
