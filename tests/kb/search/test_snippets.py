"""Snippets: escape first, then mark; folded and stemmed matches; a window around the matches."""

from kb.search.snippets import highlight, snippet


def test_escapes_then_marks():
    assert snippet("<b>数字鸿沟</b>", ["数字鸿沟"]) == "&lt;b&gt;<mark>数字鸿沟</mark>&lt;/b&gt;"


def test_marks_traditional_text_for_a_simplified_term():
    assert highlight("弥合數字鴻溝", ["数字鸿沟"]) == "弥合<mark>數字鴻溝</mark>"


def test_marks_full_width_and_stemmed_english():
    assert highlight("ＡＩ and divides", ["ai", "divid"]) == "<mark>ＡＩ</mark> and <mark>divides</mark>"


def test_window_around_the_match():
    text = "前" * 300 + "数字鸿沟" + "后" * 300
    out = snippet(text, ["数字鸿沟"], width=60)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>数字鸿沟</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) == 62


def test_no_terms_no_marks():
    assert snippet("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"


def _naive_best(spans, span_width):
    """The window choice as first written (quadratic), the oracle for the linear one."""
    best, best_count = spans[0][0], -1
    for start, _ in spans:
        count = sum(1 for s, e in spans if s >= start and e <= start + span_width)
        if count > best_count:
            best, best_count = start, count
    return best


def test_window_choice_matches_the_quadratic_oracle():
    import random

    from kb.search.snippets import _best_window

    rng = random.Random(3)  # noqa: S311 -- a fixed seed for reproducible cases, not security
    for _ in range(300):
        starts = sorted(rng.sample(range(2000), rng.randint(1, 60)))
        spans = [(s, s + rng.randint(1, 6)) for s in starts]
        merged = [spans[0]]
        for s, e in spans[1:]:
            if s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        width = rng.randint(10, 200)
        assert _best_window(merged, width) == _naive_best(merged, width)


def test_matches_per_text_are_capped():
    from kb.search.snippets import MAX_MATCHES, match_spans

    spans = match_spans("鸿沟和" * 5000, ["鸿沟"])
    assert len(spans) == MAX_MATCHES
    assert spans[0] == (0, 2)
    assert len(match_spans("divides " * 5000, ["divid"])) == MAX_MATCHES


def test_a_huge_text_is_examined_only_in_part(monkeypatch):
    """A 1 MB annotation of one word repeated: the snippet folds a bounded slice of it."""
    from kb.search import snippets as module

    folded_sizes = []
    real = module.fold_with_offsets_many

    def spy(texts):
        folded_sizes.extend(len(t) for t in texts)
        return real(texts)

    monkeypatch.setattr(module, "fold_with_offsets_many", spy)
    huge = "数字鸿沟和" * 200_000
    (cut,) = module.snippets([huge], ["数字鸿沟"])
    assert max(folded_sizes) <= module.SCAN
    assert cut.startswith("<mark>数字鸿沟</mark>") and cut.endswith("…")


def test_a_match_far_into_a_long_text_is_still_shown():
    from kb.search.snippets import SCAN, snippets

    text = "前" * (SCAN * 3) + "数字鸿沟" + "后" * 500
    (cut,) = snippets([text], ["数字鸿沟"], width=60)
    assert "<mark>数字鸿沟</mark>" in cut and cut.startswith("…") and cut.endswith("…")


def test_the_index_keeps_a_bounded_body_for_snippets():
    """A 1 MB document stays searchable, but only its first STORED_BODY characters are read back."""
    from kb.search.index import STORED_BODY, IndexDoc, _document

    body = "数字鸿沟，" * 200_000
    doc = IndexDoc(key="annotation:1", type="annotation", obj_id=1, text=body, body=body)
    stored = _document(doc, "数字鸿沟", "数字 字鸿 鸿沟", "", "").to_dict()["body"][0]
    assert len(stored.decode()) == STORED_BODY
