"""``search_query``: the one read path of search, used by the page, the JSON API and the bench.

It parses the query, resolves field filters against the database (author and
concept names to ids), asks the index for one page of ranked hits within what
the user may see, cuts snippets with the matches marked, groups the hits by
paper and counts facets. Hits are read from the index alone (it stores what a
result line shows), so a page costs a handful of queries whatever the data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import tantivy
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.textnorm import fold
from kb.models import CitationStance, Concept, GroupMembership
from kb.search import backlink, repair
from kb.search.citations import cited_target, cited_values
from kb.search.dictionary import thesaurus
from kb.search.index import SAMPLE_BUCKETS
from kb.search.parser import MAX_CLAUSES, ParsedQuery, make_filter, parse
from kb.search.query import Built, QueryBuilder, Scope, one_of
from kb.search.service import search_index, search_rebuild_progress
from kb.search.snippets import highlights, snippets
from papers.models import Author, Paper, PassageKind

PER_PAGE = 20
MAX_PAGE = 50  # deep pages are for crawlers, not readers
FACET_SIZE = 10
FACET_EXACT_MAX = 20_000  # beyond this many results, facets are counted in a sample
FACET_FIELDS = {
    "type": "type",
    "paper": "paper_id",
    "year": "year",
    "author": "author_id",
    "concept": "concept_id",
    "kind": "kind",
}
TYPE_LABELS = {
    "passage": _("段落"),
    "paper": _("论文"),
    "claim": _("论断"),
    "annotation": _("批注"),
    "concept": _("概念"),
    "citation": _("施引语句"),
}
_TYPE_NAMES = {str(label): value for value, label in TYPE_LABELS.items()}
_KIND_NAMES = {str(label): value for value, label in [*PassageKind.choices, *CitationStance.choices]}


@dataclass
class Hit:
    type: str
    obj_id: int
    paper_id: int
    year: int
    kind: str
    order: int
    score: float
    label: SafeString
    snippet: SafeString
    url: str
    slug: str = ""  # a concept's
    cited_url: str = ""  # a citation statement's cited paper or cited work
    cited_label: str = ""

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.type, self.type))

    @property
    def kind_label(self) -> str:
        return str(dict(PassageKind.choices).get(self.kind, "")) if self.type == "passage" else ""

    @property
    def stance_label(self) -> str:
        return str(dict(CitationStance.choices).get(self.kind, "")) if self.type == "citation" else ""


@dataclass
class PaperGroup:
    paper_id: int
    label: SafeString
    url: str
    count: int
    hits: list[Hit] = field(default_factory=list)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: str
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    groups: list[PaperGroup] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    facets_approximate: bool = False
    highlight: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    rebuilding: bool = False
    unavailable: bool = False  # the index was unreadable: it is being recreated (kb.search.repair)
    rebuild_progress: tuple[int, int] | None = None  # (done, total) of the rebuild, for admins

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.per_page)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


_PLACEHOLDER = 987654321987


class _Urls:
    """Reversed once per search, then filled in: ``reverse`` costs more than a hit's snippet."""

    def __init__(self) -> None:
        self._templates: dict[str, str] = {}

    def __call__(self, name: str, arg) -> str:
        if isinstance(arg, str):  # a slug: reverse it for real
            try:
                return reverse(name, args=[arg])
            except NoReverseMatch:
                return ""
        template = self._templates.get(name)
        if template is None:
            try:
                template = reverse(name, args=[_PLACEHOLDER])
            except NoReverseMatch:  # the page is not routed (yet); the hit is shown without a link
                template = ""
            self._templates[name] = template
        return template.replace(str(_PLACEHOLDER), str(arg))


def _hit_url(
    urls: _Urls, *, type_: str, obj_id: int, paper_id: int, order: int, slug: str, hl: str, back: str = ""
) -> str:
    if type_ == "concept":
        return urls("kb:concept-detail", slug) if slug else ""
    if type_ == "claim":
        url = urls("kb:claim-detail", obj_id)
        if url:
            return url
    if not paper_id:
        return ""
    url = urls("papers:paper-detail", paper_id)
    if not url:
        return ""
    params = "&".join(part for part in (urlencode({"hl": hl}) if hl else "", back) if part)
    query = f"?{params}" if params else ""  # ``back``: the way back to the results (kb.search.backlink)
    anchor = f"#p-{order}" if type_ in ("passage", "annotation", "citation") else ""
    return url + query + anchor


# -- filters ---------------------------------------------------------------------------
def _ids(value: str) -> list[int] | None:
    return [int(value)] if value.isdigit() else None


def _resolve(name: str, value: str) -> list:
    """What a filter value means in the index: ids, or folded terms. [] when nothing matches."""
    if name == "year":
        return [value]
    if name == "tag":
        return [" ".join(fold(value).split())]
    if name == "kind":
        return [_KIND_NAMES.get(value, value.lower())]
    if name == "type":
        return [_TYPE_NAMES.get(value, value.lower())]
    if name == "cited":
        return cited_values(value)
    ids = _ids(value)
    if ids is not None:
        return ids
    if name == "paper":
        return list(
            Paper.objects.filter(Q(title__icontains=value) | Q(title_en__icontains=value)).values_list(
                "pk", flat=True
            )[:100]
        )
    if name == "author":
        authors = Author.objects.filter(Q(name=value) | Q(name_en__iexact=value))
        if not authors.exists():
            authors = Author.objects.filter(Q(name__icontains=value) | Q(name_en__icontains=value))
        return list(authors.values_list("pk", flat=True)[:100])
    if name == "concept":
        found = list(
            Concept.objects.filter(Q(label_zh=value) | Q(slug=value) | Q(label_en__iexact=value)).values_list(
                "pk", flat=True
            )
        )
        if not found:  # an alias, or another script: compare folded forms
            target = " ".join(fold(value).split())
            for pk, label_zh, aliases in Concept.objects.values_list("pk", "label_zh", "aliases"):
                names = [label_zh, *(a for a in aliases or [] if isinstance(a, str))]
                if any(" ".join(fold(n).split()) == target for n in names):
                    found.append(pk)
        return found
    return []


def _resolved(parsed: ParsedQuery, *, negated: bool) -> dict[str, list]:
    out: dict[str, list] = {}
    for flt in parsed.filters:
        if flt.negated == negated:
            out.setdefault(flt.field, []).extend(_resolve(flt.field, flt.value))
    return out


def _with_filters(parsed: ParsedQuery, filters: Mapping[str, Sequence[str]] | None) -> ParsedQuery:
    extra = []
    for name, values in (filters or {}).items():
        for value in list(values)[:MAX_CLAUSES]:
            made = make_filter(name, str(value))
            if made is not None:
                extra.append(made)
    if not extra:
        return parsed
    return ParsedQuery(clauses=parsed.clauses, filters=parsed.filters + tuple(extra), raw=parsed.raw)


# -- facets ------------------------------------------------------------------------------
def _facets(
    searcher: tantivy.Searcher, schema, query: tantivy.Query, selected: dict[str, list[str]], *, total: int
) -> tuple[dict, bool]:
    """Facet values with counts, and whether the counts are estimates.

    Up to ``FACET_EXACT_MAX`` results the counts are exact. Beyond, they are counted in a
    sample of about that many results (the documents whose ``sample`` bucket is below a
    bound) and scaled up, so a query that matches most of the index costs no more than
    one that matches ``FACET_EXACT_MAX``; the page labels such counts as approximate.
    """
    spec = {name: {"terms": {"field": f, "size": FACET_SIZE}} for name, f in FACET_FIELDS.items()}
    scale, approximate = 1.0, total > FACET_EXACT_MAX
    if approximate:
        buckets_used = max(1, math.ceil(SAMPLE_BUCKETS * FACET_EXACT_MAX / total))
        scale = SAMPLE_BUCKETS / buckets_used
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, query),
                (
                    tantivy.Occur.Must,
                    one_of(schema, "sample", range(buckets_used)),
                ),
            ]
        )
    raw = searcher.aggregate(query, spec)
    buckets = {
        name: [(str(b["key"]), round(b["doc_count"] * scale)) for b in raw[name]["buckets"]]
        for name in FACET_FIELDS
    }
    labels: dict[str, dict[str, str]] = {
        "type": {k: str(v) for k, v in TYPE_LABELS.items()},
        "kind": {k: str(v) for k, v in [*PassageKind.choices, *CitationStance.choices]},
    }
    ids = {name: [int(k) for k, _ in buckets[name] if k.isdigit()] for name in ("paper", "author", "concept")}
    labels["paper"] = {
        str(pk): str(Paper(pk=pk, title=title, title_en=title_en).display_title)
        for pk, title, title_en in Paper.objects.filter(pk__in=ids["paper"]).values_list(
            "pk", "title", "title_en"
        )
    }
    labels["author"] = {
        str(pk): name or name_en
        for pk, name, name_en in Author.objects.filter(pk__in=ids["author"]).values_list(
            "pk", "name", "name_en"
        )
    }
    labels["concept"] = {
        str(pk): label
        for pk, label in Concept.objects.filter(pk__in=ids["concept"]).values_list("pk", "label_zh")
    }
    out = {}
    for name, items in buckets.items():
        chosen = selected.get(name, [])
        out[name] = [
            FacetValue(
                value=key, label=labels.get(name, {}).get(key, key), count=count, selected=key in chosen
            )
            for key, count in items
            if not (name == "year" and key == "0") and not (name in ("paper", "kind") and key in ("0", ""))
        ]
    return out, approximate


def _groups(hits: list[Hit], counts: dict[int, int], urls: _Urls) -> list[PaperGroup]:
    groups: dict[int, PaperGroup] = {}
    for hit in hits:
        group = groups.get(hit.paper_id)
        if group is None:
            group = groups[hit.paper_id] = PaperGroup(
                paper_id=hit.paper_id,
                label=hit.label if hit.paper_id else SafeString(str(_("概念与其他"))),
                url=urls("papers:paper-detail", hit.paper_id) if hit.paper_id else "",
                count=counts.get(hit.paper_id, 0),
            )
        group.hits.append(hit)
    for group in groups.values():
        group.count = max(group.count, len(group.hits))
    return list(groups.values())


def _paper_counts(searcher, schema, query, paper_ids: list[int]) -> dict[int, int]:
    """How many hits each of these papers has in all the results (one aggregation)."""
    if not paper_ids:
        return {}
    within = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, query),
            (tantivy.Occur.Must, one_of(schema, "paper_id", paper_ids)),
        ]
    )
    raw = searcher.aggregate(within, {"p": {"terms": {"field": "paper_id", "size": len(paper_ids)}}})
    return {int(b["key"]): b["doc_count"] for b in raw["p"]["buckets"]}


# -- the selector ------------------------------------------------------------------------
def _build(index, parsed: ParsedQuery, user) -> tuple[tantivy.Searcher, Built]:
    """The searcher and the Tantivy query for ``parsed`` as ``user`` may see it."""
    state = thesaurus()
    searcher = index.searcher()
    builder = QueryBuilder(
        schema=index.schema, segmenter=state.segmenter, synonyms=state.synonyms, searcher=searcher
    )
    authenticated = getattr(user, "is_authenticated", False)
    scope = Scope(
        user_id=user.pk if authenticated else 0,
        editor=roles.is_editor(user),
        admin=roles.is_admin(user),
        # Read now, for this search: a member who left no longer finds the group's notes.
        group_ids=tuple(
            GroupMembership.objects.filter(user=user).values_list("group_id", flat=True)
            if authenticated
            else ()
        ),
    )
    built = builder.build(
        parsed,
        scope=scope,
        filters=_resolved(parsed, negated=False),
        excluded=_resolved(parsed, negated=True),
    )
    return searcher, built


EXPORT_MAX_PAPERS = 200


def search_paper_ids(
    *, query: str, user, filters: Mapping[str, Sequence[str]] | None = None, limit: int = EXPORT_MAX_PAPERS
) -> list[int]:
    """The papers a search matches (through any of their documents), most matches first, for an
    export of their references; only papers ``user`` may see."""
    parsed = _with_filters(parse(query or ""), filters)
    if parsed.is_empty() or not roles.can_read(user):
        return []
    searcher, built = _build(search_index(), parsed, user)
    if built.query is None:
        return []
    raw = searcher.aggregate(built.query, {"paper": {"terms": {"field": "paper_id", "size": limit}}})
    ranked = [int(b["key"]) for b in raw["paper"]["buckets"] if int(b["key"])]
    visible = set(Paper.objects.visible_to(user).filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in visible]


def search_query(
    *,
    query: str,
    user,
    page: int = 1,
    filters: Mapping[str, Sequence[str]] | None = None,
    per_page: int = PER_PAGE,
    facets: bool = True,
) -> SearchResults:
    """One page of results for ``query`` as ``user`` may see them. Never raises for bad input."""
    page = min(max(1, int(page or 1)), MAX_PAGE)
    parsed = _with_filters(parse(query or ""), filters)
    selected = {name: [str(v) for v in values] for name, values in (filters or {}).items()}
    results = SearchResults(query=parsed.raw, page=page, per_page=per_page, filters=selected)
    if parsed.is_empty() or not roles.can_read(user):
        return results

    for retried in (False, True):
        index = search_index()
        try:
            return _with_progress(
                _search_page(index, parsed, user, results, page=page, per_page=per_page, facets=facets), user
            )
        except BaseException as exc:  # noqa: BLE001 -- the search library panics as a BaseException
            action = repair.index_failed(index, exc, retried=retried)
            if action == repair.RAISE:
                raise
            results.hits, results.total, results.groups, results.facets = [], 0, [], {}
            if action == repair.REBUILDING:
                results.rebuilding = results.unavailable = True
                return _with_progress(results, user)
    return results


def _with_progress(results: SearchResults, user) -> SearchResults:
    """Admins see how far a rebuild has got (the worker writes it beside the index)."""
    if results.rebuilding and roles.is_admin(user):
        results.rebuild_progress = search_rebuild_progress()
    return results


def _search_page(index, parsed, user, results: SearchResults, *, page: int, per_page: int, facets: bool):
    """``search_query`` on an open index (any error of the library is handled by the caller)."""
    selected = results.filters
    results.rebuilding = index.rebuilding()
    searcher, built = _build(index, parsed, user)
    if built.query is None:
        return results
    results.highlight = built.highlight

    found = searcher.search(built.query, per_page, count=True, offset=(page - 1) * per_page)
    results.total = found.count  # type: ignore[attr-defined]  # tantivy's stub omits SearchResult.count
    hl = " ".join(built.highlight[:10])
    back = backlink.encode(query=results.query, page=page, filters=selected)
    urls = _Urls()
    docs = [(score, searcher.doc(address).to_dict()) for score, address in found.hits]
    labels = highlights([d["label"][0].decode() for _, d in docs], built.highlight)
    cuts = snippets([d["body"][0].decode() for _, d in docs], built.highlight)
    for (score, d), label, cut in zip(docs, labels, cuts, strict=True):
        type_, obj_id, paper_id, order = d["type"][0], d["obj_id"][0], d["paper_id"][0], d["order"][0]
        slug = d["slug"][0].decode()
        results.hits.append(
            Hit(
                type=type_,
                obj_id=obj_id,
                paper_id=paper_id,
                year=d["year"][0],
                kind=d["kind"][0] if d.get("kind") else "",
                order=order,
                score=score,
                label=label,
                snippet=cut,
                url=_hit_url(
                    urls,
                    type_=type_,
                    obj_id=obj_id,
                    paper_id=paper_id,
                    order=order,
                    slug=slug,
                    hl=hl,
                    back=back,
                ),
                slug=slug,
                **cited_target(urls, d),
            )
        )
    if facets and results.total:
        results.facets, results.facets_approximate = _facets(
            searcher, index.schema, built.query, selected, total=results.total
        )
    paper_ids = list(dict.fromkeys(h.paper_id for h in results.hits if h.paper_id))
    counts = _paper_counts(searcher, index.schema, built.query, paper_ids)
    results.groups = _groups(results.hits, counts, urls)
    return results
