"""kb.search.hits: the JSON fields the search page's endpoint and the REST API share."""

from __future__ import annotations

from django.utils.safestring import mark_safe

from kb.search.hits import hit_json
from kb.search.selectors import Hit


def _hit(type_: str, **kw) -> Hit:
    fields = dict(
        type=type_, obj_id=7, paper_id=3, year=2021, kind="", order=12, score=1.234567,
        label=mark_safe("<mark>数字</mark>鸿沟"), snippet=mark_safe("…"), url="/papers/3/#p-12",
    )  # fmt: skip
    return Hit(**{**fields, **kw})


def test_hits_at_a_passage_carry_its_number_and_others_do_not():
    for type_ in ("passage", "annotation", "citation"):
        assert hit_json(_hit(type_))["order"] == 12
    concept = hit_json(_hit("concept", paper_id=0, year=0, slug="digital-divide"))
    assert (concept["order"], concept["paper_id"], concept["year"], concept["slug"]) == (
        None,
        None,
        None,
        "digital-divide",
    )


def test_hit_fields_are_plain_json_and_leave_the_link_to_the_caller():
    data = hit_json(_hit("citation", kind="supporting"))
    assert data == {
        "type": "citation",
        "id": 7,
        "paper_id": 3,
        "year": 2021,
        "kind": "supporting",
        "order": 12,
        "slug": None,
        "score": 1.2346,
        "title": "<mark>数字</mark>鸿沟",
        "snippet": "…",
    }
