"""Paging a long list without counting it: a page fetches one row more than it shows.

Django's ``Paginator`` counts the whole query to know the number of pages, which costs what
the list holds (hundreds of thousands of suggestions in a large library). ``PeekPage`` reads
``size + 1`` rows at the page's offset: the extra one only says whether a next page exists.
It offers what the templates use of Django's ``Page`` (iteration, ``number``,
``has_next``/``has_previous``/``has_other_pages``, ``next_page_number``/``previous_page_number``).
"""

from __future__ import annotations

from collections.abc import Iterator

MAX_PAGE = 1000  # deep offsets cost what they skip; nobody pages that far by hand


class PeekPage:
    def __init__(self, queryset, *, number: int, size: int):
        self.number = min(max(int(number or 1), 1), MAX_PAGE)
        self.size = size
        offset = (self.number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        self.object_list = rows[:size]
        self._more = len(rows) > size

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more and self.number < MAX_PAGE

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
