"""PeekPage: a page of a list without counting the list."""

from kb.lib.paging import MAX_PAGE, PeekPage


def test_pages_through_a_list_and_knows_when_it_ends():
    rows = list(range(25))
    first = PeekPage(rows, number=1, size=10)
    assert list(first) == list(range(10)) and first.has_next() and not first.has_previous()
    last = PeekPage(rows, number=3, size=10)
    assert list(last) == [20, 21, 22, 23, 24] and not last.has_next() and last.has_previous()
    assert last.previous_page_number() == 2 and first.next_page_number() == 2
    exact = PeekPage(list(range(20)), number=2, size=10)
    assert len(exact) == 10 and not exact.has_next()  # no empty third page offered


def test_bad_and_huge_page_numbers_are_clamped():
    assert PeekPage([1, 2], number=0, size=10).number == 1
    assert PeekPage([1, 2], number=-5, size=10).number == 1
    assert PeekPage([], number=10**9, size=10).number == MAX_PAGE
    assert not PeekPage([1], number=1, size=10).has_other_pages()
