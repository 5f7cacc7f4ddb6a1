"""Resolving reference entries to the papers of the library, incrementally and bounded.

``citations_resolve_paper(paper=...)`` is the one entry point (``kb.services.followups``
calls it when a paper is loaded or revised and when its metadata is corrected). It:

1. stores the paper's match keys (``PaperKey``);
2. *forward*: resolves the paper's own current references. Their keys are looked up in the
   indexed ``PaperKey`` columns (DOI, folded title, title head and tail) in one query, and
   in ``CitedWork`` (DOI, title) in another: the work each reference names is found or
   created, deduplicated across papers, and the best library paper is suggested
   (``kb.lib.citematch.compare``: score and reason);
3. *backward*: finds the references of other papers that may name this paper, through the
   same indexed keys of their cited works, and moves those links to the paper when it scores
   better than what they had. A cited work that this paper certainly is (same DOI, or the
   same title with no conflicting author or year) points at the paper from then on.

Never a scan of the library: every lookup goes through an indexed key and reads at most
``CANDIDATE_CAP`` rows. Editors' decisions stand: a confirmed link is never changed, a
rejected (reference, paper) pair is never proposed again (``ReferenceLink.rejected_papers``),
and both carry over to the references of the paper's next revision (same raw text).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kb.lib.citematch import Match, WorkKeys, affixes, author_key, compare, doi_key, title_key
from kb.models import CitedWork, LinkStatus, PaperKey, ReferenceLink
from kb.search.service import search_index_enqueue_citations, search_index_enqueue_papers
from papers.models import Paper, Reference

CANDIDATE_CAP = 500
LINK_FIELDS = ["cited_work", "paper", "status", "score", "reason", "rejected_papers", "decided_by"]


def _first_author_name(paper: Paper) -> str:
    first = paper.authorships.select_related("author").order_by("order").first()
    return first.author.name if first else ""


def paper_keys_refresh(*, paper: Paper) -> PaperKey:
    """The paper's match keys, written again from its current metadata."""
    title = title_key(paper.title)
    head, tail = affixes(title)
    values = {
        "doi": doi_key(paper.doi or ""),
        "title_key": title,
        "title_en_key": title_key(paper.title_en),
        "head_key": head,
        "tail_key": tail,
        "author_key": author_key(_first_author_name(paper)),
        "year": paper.year,
    }
    key, _ = PaperKey.objects.update_or_create(paper=paper, defaults=values)
    return key


def paper_work_keys(key: PaperKey) -> list[WorkKeys]:
    """A paper is named by its Chinese or its English title."""
    keys = [WorkKeys(doi=key.doi, title=key.title_key, author=key.author_key, year=key.year)]
    if key.title_en_key:
        keys.append(WorkKeys(doi=key.doi, title=key.title_en_key, author=key.author_key, year=key.year))
    return keys


def _best_paper(ref: WorkKeys, candidates: list[PaperKey], *, exclude: set[int]) -> tuple[int, Match] | None:
    found: tuple[int, Match] | None = None
    for cand in candidates:
        if cand.paper_id in exclude:
            continue
        for keys in paper_work_keys(cand):
            match = compare(ref, keys)
            if match is not None and (found is None or match.score > found[1].score):
                found = (cand.paper_id, match)
    return found


def reference_keys(ref: Reference) -> WorkKeys:
    return WorkKeys.of(
        doi=ref.doi, title=ref.title, author=ref.authors[0] if ref.authors else "", year=ref.year
    )


def work_keys(work: CitedWork) -> WorkKeys:
    return WorkKeys(doi=work.doi, title=work.title_key, author=work.author_key, year=work.year)


def _same_work(work: CitedWork, keys: WorkKeys) -> bool:
    if keys.doi and work.doi:
        return keys.doi == work.doi
    if keys.title != work.title_key or len(keys.title) < 4:
        return False
    year_ok = not (keys.year and work.year) or keys.year == work.year
    author_ok = not (keys.author and work.author_key) or keys.author == work.author_key
    return year_ok and author_ok


def _candidates_for(keys: list[WorkKeys], *, paper: Paper) -> dict[str, dict[str, list[PaperKey]]]:
    dois = {k.doi for k in keys if k.doi}
    titles = {k.title for k in keys if len(k.title) >= 4}
    heads = {k.head for k in keys if k.head}
    tails = {k.tail for k in keys if k.tail}
    if not (dois or titles):
        return {}
    query = (
        Q(doi__in=dois)
        | Q(title_key__in=titles)
        | Q(title_en_key__in=titles)
        | Q(head_key__in=heads)
        | Q(tail_key__in=tails)
    )
    buckets: dict[str, dict[str, list[PaperKey]]] = {"doi": {}, "title": {}, "head": {}, "tail": {}}
    for cand in PaperKey.objects.filter(query).exclude(paper=paper)[:CANDIDATE_CAP]:
        for bucket, value in (
            ("doi", cand.doi),
            ("title", cand.title_key),
            ("title", cand.title_en_key),
            ("head", cand.head_key),
            ("tail", cand.tail_key),
        ):
            if value:
                buckets[bucket].setdefault(value, []).append(cand)
    return buckets


def _pick(buckets, keys: WorkKeys) -> list[PaperKey]:
    if not buckets:
        return []
    found: dict[int, PaperKey] = {}
    for bucket, value in (("doi", keys.doi), ("title", keys.title), ("head", keys.head), ("tail", keys.tail)):
        for cand in buckets[bucket].get(value, []) if value else []:
            found[cand.pk] = cand
    return list(found.values())


def _works_for(refs: list[Reference], keys: dict[int, WorkKeys]) -> dict[int, CitedWork]:
    """The cited work of each reference: found by DOI or title, else created (one per work)."""
    dois = {k.doi for k in keys.values() if k.doi}
    titles = {k.title for k in keys.values() if len(k.title) >= 4}
    known = list(CitedWork.objects.filter(Q(doi__in=dois) | Q(title_key__in=titles))[:CANDIDATE_CAP])
    by_doi = {w.doi: w for w in known if w.doi}
    by_title: dict[str, list[CitedWork]] = defaultdict(list)
    for work in known:
        by_title[work.title_key].append(work)
    found: dict[int, CitedWork] = {}
    new: list[CitedWork] = []
    for ref in refs:
        k = keys[ref.pk]
        work = by_doi.get(k.doi) if k.doi else None
        if work is None:
            work = next((w for w in by_title.get(k.title, []) if _same_work(w, k)), None)
        if work is None:
            head, tail = affixes(k.title)
            work = CitedWork(
                title=ref.title[:1000],
                first_author=(ref.authors[0] if ref.authors else "")[:200],
                year=ref.year,
                doi=k.doi,
                venue=ref.container[:500],
                raw=ref.raw,
                title_key=k.title,
                head_key=head,
                tail_key=tail,
                author_key=k.author,
            )
            new.append(work)
            if k.doi:
                by_doi[k.doi] = work
            if k.title:
                by_title[k.title].append(work)
        found[ref.pk] = work
    if new:
        CitedWork.objects.bulk_create(new)
    return found


def _carried_decisions(paper: Paper) -> dict[str, ReferenceLink]:
    """Editors' decisions on the references of the paper's older revisions, by raw text."""
    older = ReferenceLink.objects.filter(citing_paper=paper, reference__revision__is_current=False).filter(
        Q(status=LinkStatus.CONFIRMED) | ~Q(rejected_papers=[])
    )
    return {title_key(link.reference.raw): link for link in older.select_related("reference")}


def _state(link: ReferenceLink) -> tuple:
    return (link.cited_work_id, link.paper_id, link.status, link.score, link.reason, link.rejected_papers)


def _apply(link: ReferenceLink, best: tuple[int, Match] | None, work: CitedWork, *, citing: int) -> None:
    if link.status == LinkStatus.CONFIRMED:
        return
    rejected = set(link.rejected_papers)
    if best is None and work.paper_id and work.paper_id not in rejected and work.paper_id != citing:
        best = (work.paper_id, Match(0.9, {"work": True}))
    if best is None:
        link.paper_id, link.score, link.reason = None, None, {}
        link.status = LinkStatus.REJECTED if rejected else LinkStatus.UNRESOLVED
    else:
        link.paper_id, link.score, link.reason = best[0], best[1].score, best[1].reason
        link.status = LinkStatus.SUGGESTED


def references_resolve(*, paper: Paper) -> int:
    """Resolve the paper's current references (step 2); returns how many are linked to a paper."""
    refs = list(Reference.objects.filter(paper=paper, revision__is_current=True).select_related("link"))
    if not refs:
        return 0
    keys = {ref.pk: reference_keys(ref) for ref in refs}
    buckets = _candidates_for(list(keys.values()), paper=paper)
    works = _works_for(refs, keys)
    carried = _carried_decisions(paper) if any(not hasattr(r, "link") for r in refs) else {}
    new, changed = [], []
    for ref in refs:
        link = getattr(ref, "link", None)
        if link is None:
            link = ReferenceLink(reference=ref, citing_paper=paper)
            old = carried.get(title_key(ref.raw))
            if old is not None:
                link.rejected_papers = list(old.rejected_papers)
                if old.status == LinkStatus.CONFIRMED:
                    link.paper_id, link.status, link.reason = old.paper_id, old.status, old.reason
                    link.decided_by_id, link.score = old.decided_by_id, old.score
            new.append(link)
        before = _state(link)
        link.cited_work = works[ref.pk]
        exclude = set(link.rejected_papers) | {paper.pk}
        found = _best_paper(keys[ref.pk], _pick(buckets, keys[ref.pk]), exclude=exclude)
        _apply(link, found, works[ref.pk], citing=paper.pk)
        if link.pk is not None and _state(link) != before:  # only real changes get a history record
            changed.append(link)
    if new:
        bulk_create_with_history(new, ReferenceLink)
    if changed:
        bulk_update_with_history(changed, ReferenceLink, LINK_FIELDS)
    return sum(1 for link in new + changed if link.paper_id)


def _strong(match: Match) -> bool:
    reason = match.reason
    return bool(reason.get("doi")) or (
        reason.get("title") == 1.0 and reason.get("author") is not False and reason.get("year") is not False
    )


def paper_match_citing(*, paper: Paper, key: PaperKey) -> int:
    """Step 3: references of other papers that name this paper are linked to it."""
    titles = {t for t in (key.title_key, key.title_en_key) if len(t) >= 4}
    affix = [affixes(t) for t in titles]
    query = (
        Q(title_key__in=titles)
        | Q(head_key__in=[a[0] for a in affix])
        | Q(tail_key__in=[a[1] for a in affix])
    )
    if key.doi:
        query |= Q(doi=key.doi)
    if not (titles or key.doi):
        return 0
    matches: dict[int, Match] = {}
    claimed: list[CitedWork] = []
    for work in CitedWork.objects.filter(query)[:CANDIDATE_CAP]:
        found = [m for m in (compare(work_keys(work), k) for k in paper_work_keys(key)) if m is not None]
        if not found:
            continue
        match = max(found, key=lambda m: m.score)
        matches[work.pk] = match
        if work.paper_id is None and _strong(match):
            work.paper = paper
            claimed.append(work)
    if claimed:
        CitedWork.objects.bulk_update(claimed, ["paper"])
    # Links this paper had, that its corrected metadata no longer supports, are undone.
    stale = list(
        ReferenceLink.objects.filter(paper=paper, status=LinkStatus.SUGGESTED).exclude(
            cited_work_id__in=list(matches)
        )[:CANDIDATE_CAP]
    )
    for link in stale:
        link.paper_id, link.score, link.reason, link.status = None, None, {}, LinkStatus.UNRESOLVED
    changed = stale
    if matches:
        links = ReferenceLink.objects.filter(cited_work_id__in=list(matches)).exclude(
            Q(status=LinkStatus.CONFIRMED) | Q(citing_paper=paper)
        )
        for link in links[:CANDIDATE_CAP]:
            match = matches[link.cited_work_id]
            if paper.pk in link.rejected_papers:
                continue
            if link.paper_id == paper.pk or link.paper_id is None or (link.score or 0) < match.score:
                before = _state(link)
                link.paper_id, link.score, link.reason = paper.pk, match.score, match.reason
                link.status = LinkStatus.SUGGESTED
                if _state(link) != before:
                    changed.append(link)
    if changed:
        bulk_update_with_history(changed, ReferenceLink, LINK_FIELDS)
        # Other papers' statements now cite another target (``cited:`` in search).
        search_index_enqueue_citations(reference_ids=[link.reference_id for link in changed])
    return len(changed)


@transaction.atomic
def citations_resolve_paper(*, paper: Paper) -> None:
    """Steps 1–3 for one loaded, revised or corrected paper (see the module docstring)."""
    key = paper_keys_refresh(paper=paper)
    references_resolve(paper=paper)
    paper_match_citing(paper=paper, key=key)


def citations_backfill(*, progress=None) -> int:
    """Every paper's references resolved and statements built, one paper at a time (for a
    library loaded before the citation network existed; running it again changes nothing that
    is already right). Keys first, so that the forward step finds every library paper."""
    from kb.services.citations.statements import statements_build

    ids = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        paper_keys_refresh(paper=Paper.objects.get(pk=pk))
    for done, pk in enumerate(ids, 1):
        paper = Paper.objects.get(pk=pk)
        citations_resolve_paper(paper=paper)
        statements_build(paper=paper)
        if progress is not None:
            progress(done, len(ids))
    search_index_enqueue_papers(paper_ids=ids)  # their new statements (one rebuild past a few hundred)
    return len(ids)
