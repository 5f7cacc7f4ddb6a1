"""GB/T 7714-2015 and APA 7 entries, and the elements a reference cannot do without.

GB/T 7714-2015 (numeric; the entry without its ``[n]``) by document type:

- journal ``[J]``: ``王佃利, 滕蕾. 题名[J]. 刊名, 2023, 39(3): 18-27. DOI:….``; ``[J/OL]`` only when
  the work is online-only, then with its access date (if known) and URL: ``…: 18-27[2024-05-01]. URL.``
- thesis ``[D]``: ``作者. 题名[D]. 南京: 南京大学, 2026.`` (``[出版地不详]`` without a place, §8.4.1.3);
- newspaper ``[N]``: ``作者. 题名[N]. 人民日报, 2022-03-15(5).``;
- web page ``[EB/OL]``, book ``[M]``, chapter ``[M]//书名``, proceedings ``[C]//``, report ``[R]``, other ``[Z]``.

Names as ``kb.lib.names.gbt_parts`` prints them (``TANG R W``); more than three authors end with
``, 等`` (Chinese) or ``, et al`` (Western). No segment is ever empty: a work that lacks a required
element (``missing_elements``) is not printed at all; the page says what is missing instead.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kb.lib.names import gbt_parts
from papers.cite.work import CitedWork, Person, pages

# Required elements by kind, beyond the title (which every kind needs).
_REQUIRED = {
    "article": ("journal", "year"),
    "thesis": ("institution", "year"),
    "newspaper": ("newspaper", "date"),
    "webpage": ("url",),
    "conference": ("proceedings", "year"),
    "chapter": ("book", "year"),
    "book": ("year",),
    "report": ("year",),
    "preprint": ("year",),
    "other": ("year",),
}
ELEMENT_LABELS = {
    "title": pgettext_lazy("缺少的著录项", "题名"),
    "journal": pgettext_lazy("缺少的著录项", "期刊名"),
    "newspaper": pgettext_lazy("缺少的著录项", "报纸名"),
    "proceedings": pgettext_lazy("缺少的著录项", "会议录名"),
    "book": pgettext_lazy("缺少的著录项", "书名"),
    "institution": pgettext_lazy("缺少的著录项", "学位授予单位"),
    "year": pgettext_lazy("缺少的著录项", "年份"),
    "date": pgettext_lazy("缺少的著录项", "出版日期"),
    "url": pgettext_lazy("缺少的著录项", "网址"),
}
# What a journal article's source segment needs is its journal: the same element under the
# name of its container for the other kinds.
_CONTAINER = {"article": "journal", "newspaper": "newspaper", "conference": "proceedings", "chapter": "book"}


def missing_elements(work: CitedWork) -> list[str]:
    """The required elements ``work`` lacks (keys of ``ELEMENT_LABELS``), in the order a reference
    prints them; empty when both styles can print it."""
    missing = [] if work.full_title.strip() else ["title"]
    for element in _REQUIRED.get(work.kind, _REQUIRED["other"]):
        present = {
            "journal": work.venue,
            "newspaper": work.venue,
            "proceedings": work.venue,
            "book": work.venue,
            "institution": work.institution or work.publisher,
            "year": work.date_parts,
            "date": work.date_parts,
            "url": work.link,
        }[element]
        if not present:
            missing.append(element)
    if work.online_only and not work.link and "url" not in missing:
        missing.append("url")
    return missing


def missing_message(elements: list[str]) -> str:
    """``缺少期刊名和年份`` / "Missing journal title and year" (in the active language)."""
    labels = [str(ELEMENT_LABELS[e]) for e in elements]
    joined = labels[0] if len(labels) == 1 else _("、").join(labels[:-1]) + _("和") + labels[-1]
    return _("缺少%(elements)s，无法生成规范的参考文献。") % {"elements": joined}


# -- GB/T 7714-2015 ---------------------------------------------------------------------------------

_GBT_CODE = {
    "article": "J",
    "thesis": "D",
    "newspaper": "N",
    "webpage": "EB",
    "book": "M",
    "chapter": "M",
    "conference": "C",
    "report": "R",
    "preprint": "Z",
    "other": "Z",
}


def _gbt_name(p: Person) -> str:
    return gbt_parts(p.family, p.given)


def _gbt_authors(work: CitedWork) -> str:
    if not work.authors:
        return ""
    names = [_gbt_name(p) for p in work.authors[:3]]
    if len(work.authors) > 3:
        names.append("等" if work.is_chinese else "et al")
    return ", ".join(names) + "."


def _online(work: CitedWork) -> bool:
    return work.online_only or work.kind == "webpage"


def _place_publisher(place: str, publisher: str, *, chinese: bool) -> str:
    place = place or ("[出版地不详]" if chinese else "[S.l.]")
    publisher = publisher or ("[出版者不详]" if chinese else "[s.n.]")
    return f"{place}: {publisher}"


def _year(work: CitedWork) -> str:
    parts = work.date_parts
    return str(parts[0]) if parts else ""


def _journal_source(work: CitedWork) -> str:
    source = f"{work.venue}, {_year(work)}"
    if work.volume:
        source += f", {work.volume}"
    if work.issue:
        source += f"({work.issue})"
    if work.pages:
        source += f": {pages(work.pages, '-')}"
    return source


def _gbt_source(work: CitedWork) -> str:
    """The segment after the title (without its final full stop)."""
    chinese = work.is_chinese
    kind = work.kind
    if kind == "article":
        return _journal_source(work)
    if kind == "newspaper":
        page = f"({pages(work.pages, '-')})" if work.pages else ""
        return f"{work.venue}, {work.iso_date}{page}"
    if kind == "thesis":
        return f"{_place_publisher(work.place, work.institution or work.publisher, chinese=chinese)}, {_year(work)}"
    if kind == "webpage":
        return f"({work.iso_date})" if work.date_parts else ""
    if kind in ("chapter", "conference"):
        head = f"//{work.venue}. " if work.venue else ""
        tail = f"{_place_publisher(work.place, work.publisher, chinese=chinese)}, {_year(work)}"
        return head + tail + (f": {pages(work.pages, '-')}" if work.pages else "")
    if kind in ("book", "report") or work.publisher or work.place:
        publisher = work.publisher or work.institution
        source = f"{_place_publisher(work.place, publisher, chinese=chinese)}, {_year(work)}"
        return source + (f": {pages(work.pages, '-')}" if work.pages else "")
    # preprints and other works with a container but no publisher
    return ", ".join(x for x in (work.venue, _year(work)) if x)


def gbt7714(work: CitedWork) -> str:
    """The GB/T 7714-2015 entry (see the module docstring); ``""`` when elements are missing."""
    if missing_elements(work):
        return ""
    online = _online(work)
    code = f"[{_GBT_CODE.get(work.kind, 'Z')}{'/OL' if online else ''}]"
    parts = [_gbt_authors(work)] if work.authors else []
    source = _gbt_source(work)
    if source.startswith("//"):  # 析出文献: "题名[M]//书名. 出版地: …"
        parts.append(f"{work.full_title}{code}{source}")
    else:
        parts.append(f"{work.full_title}{code}.")
        if source:
            parts.append(source)
    accessed = f"[{work.accessed}]" if online and work.accessed else ""
    if source:  # the last segment is still open
        parts[-1] += accessed + "."
    elif accessed:
        parts.append(accessed + ".")
    if online:
        parts.append(work.link + ".")
    if work.doi and not (online and work.link.endswith(work.doi)):
        parts.append(f"DOI:{work.doi}.")
    return " ".join(parts)


# -- APA 7 ------------------------------------------------------------------------------------------

_MONTHS = [datetime.date(2000, m, 1).strftime("%B") for m in range(1, 13)]


def _initials(given: str) -> str:
    """``Jean-Paul`` / ``J.-P.`` → ``J.-P.`` (as the CSL style renders them)."""
    words = [[part for part in word.split("-") if part] for word in given.replace(".", "").split()]
    return " ".join("-".join(f"{part[0].upper()}." for part in word) for word in words if word)


def _apa_name(p: Person) -> str:
    if p.is_han or not p.given:
        return p.family + p.given if p.is_han else p.family
    family = p.family.title() if p.family.isupper() and len(p.family) > 1 else p.family  # TANG → Tang
    return f"{family}, {_initials(p.given)}"


def _apa_names(people: list[Person]) -> str:
    names = [_apa_name(p) for p in people]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
        return ", ".join(names[:-1]) + " " + names[-1]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _apa_date(work: CitedWork) -> str:
    parts = work.date_parts
    if not parts:
        return "(n.d.)."
    if work.kind in ("newspaper", "webpage") and len(parts) >= 2:
        day = f" {parts[2]}" if len(parts) > 2 else ""
        return f"({parts[0]}, {_MONTHS[parts[1] - 1]}{day})."
    return f"({parts[0]})."


def _apa_source(work: CitedWork) -> str:
    if work.kind == "thesis":
        return work.institution or work.publisher
    if work.kind in ("book", "report"):
        return work.publisher or work.institution
    if work.kind in ("chapter", "conference") and work.venue:
        # "In Book title (pp. 5–9). Publisher"
        source = f"In {work.venue}" + (f" (pp. {pages(work.pages, '–')})" if work.pages else "")
        return source + (f". {work.publisher}" if work.publisher else "")
    source = work.venue
    if source and work.kind in ("article", "newspaper", "preprint", "other"):
        if work.volume:
            source += f", {work.volume}"
        if work.issue:
            source += f"({work.issue})" if work.volume else f", ({work.issue})"
        if work.pages:
            source += f", {pages(work.pages, '–')}"
    return source


def apa(work: CitedWork) -> str:
    """``王佃利, & 滕蕾. (2023). 题名. 刊名, 39(3), 18–27. https://doi.org/…``; ``""`` when elements
    are missing. Without an author the title takes the author's place."""
    if missing_elements(work):
        return ""
    date = _apa_date(work)
    title = work.full_title
    if work.kind == "thesis":
        label = "Doctoral dissertation" if work.is_doctoral else "Master's thesis"
        title += f" [{label}, {work.institution}]" if work.institution else f" [{label}]"
    title += "" if title.endswith(("?", "？", "!", "！")) else "."
    if work.authors:
        names = _apa_names(work.authors)
        head = [names if names.endswith(".") else names + ".", date, title]
    else:
        head = [title, date]
    source = _apa_source(work)
    tail = [source + "."] if source and work.kind != "thesis" else []
    if work.doi:
        tail.append(f"https://doi.org/{work.doi}")
    elif work.url:
        tail.append(work.url)
    return " ".join([*head, *tail])


def citation_context(work: CitedWork, formats: list[str]) -> dict:
    """What a cite box shows: both entries, or the missing elements and the message naming them."""
    missing = missing_elements(work)
    return {
        "gbt7714": gbt7714(work),
        "apa": apa(work),
        "missing": [str(ELEMENT_LABELS[e]) for e in missing],
        "missing_message": missing_message(missing) if missing else "",
        "formats": formats,
    }
