"""Search benchmark: Tanyuan's search service against PostgreSQL ts_rank, on N synthetic passages.

    .venv/bin/python bench/bench_search.py --n 1000000
    .venv/bin/python bench/bench_search.py --n 100000 --no-pg
    .venv/bin/python bench/bench_search.py --n 1000000 --pg-n 1000000

Passages of 100-400 characters are made by sampling sentences of the sample
papers (fixed seed). 200 queries of 1-3 words are drawn from the corpus
vocabulary by frequency, a third of them with a domain term (fixed seed).
Queries go through ``kb.search.selectors.search_query``, the code path of the
search page: once with ``facets=False`` (ranked top 20, snippets, paper groups)
and once as the page calls it (the same plus facets). Indexing is timed through
``SearchIndex.rebuild``, what ``rebuild_search_index`` runs on the documents it
reads from the database (reading the database is not timed here). The baseline puts
the same passages, segmented the same way, in a ``simple`` tsvector with a GIN
index and ranks with ``ts_rank``. Works in ``var/bench/`` (its own SQLite
database and index); PostgreSQL at ``--pg`` (the database is created if missing).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_VAR_DIR"] = str(BENCH_DIR)
os.environ["KB_SEARCH_INDEX_DIR"] = str(BENCH_DIR / "search-index")
os.environ.pop("DATABASE_URL", None)


def sentences(corpus: Path) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    text = re.sub(r"\s+", "", text)
    return [s for s in re.split(r"(?<=[。！？；])", text) if 8 <= len(s) <= 200]


def passages(sents: list[str], n: int, seed: int = 42):
    rng = random.Random(seed)  # noqa: S311 -- a fixed seed for a reproducible corpus, not security
    for _ in range(n):
        size = rng.randint(100, 400)
        parts, length = [], 0
        while length < size:
            s = rng.choice(sents)
            parts.append(s)
            length += len(s)
        yield "".join(parts)[:size]


def make_queries(sents, segmenter, domain_terms, *, count=200, seed=7) -> list[str]:
    from kb.lib.textnorm import fold

    freq = Counter(
        t for s in sents for t in segmenter.query_tokens(fold(s)) if len(t) >= 2 and not t.isascii()
    )
    vocab = [w for w, _ in freq.most_common(3000)]
    weights = [freq[w] for w in vocab]
    domain = [t for t in domain_terms if freq[t] > 0] or domain_terms
    rng = random.Random(seed)  # noqa: S311 -- a fixed seed for a reproducible corpus, not security
    queries = []
    for i in range(count):
        k = rng.randint(1, 3)
        words = rng.choices(vocab, weights=weights, k=k)
        if i % 3 == 0:
            words[0] = rng.choice(domain)
        queries.append(" ".join(dict.fromkeys(words)))
    return queries


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


TOP20 = "search_query top 20 with snippets (facets=False)"
PAGE = "search page (top 20, snippets, facets, groups)"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cores} cores, {model}, Python {sys.version.split()[0]}; load average {load}"


def bench_tanyuan(args, texts, queries, results):
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kb.search import index as search_index
    from kb.search.dictionary import thesaurus
    from kb.search.selectors import search_query
    from kb.search.service import search_index as open_search_index

    segmenter = thesaurus().segmenter
    idx = open_search_index()
    idx.needs_rebuild = False  # the bench fills it itself
    docs_per_paper = 50

    def docs():
        for i, text in enumerate(texts):
            paper = i // docs_per_paper + 1
            yield search_index.IndexDoc(
                key=f"passage:{i + 1}",
                type="passage",
                obj_id=i + 1,
                text=text,
                body=text,
                paper_id=paper,
                year=2015 + paper % 11,
                kind="paragraph",
                order=i % docs_per_paper,
                title=f"合成论文{paper}",
                heading="引言",
                label=f"合成论文{paper}",
                author_ids=[paper % 997 + 1],
            )

    if not args.reuse_index:
        before, started = os.times(), time.perf_counter()
        # What rebuild_search_index does after reading the database (SearchIndex.rebuild).
        n = idx.rebuild(docs=docs(), segmenter=segmenter, processes=args.processes)
        elapsed, after = time.perf_counter() - started, os.times()
        main_cpu = (after.user - before.user + after.system - before.system) / n * 1e6
        workers_cpu = (
            (after.children_user - before.children_user + after.children_system - before.children_system)
            / n
            * 1e6
        )
        rate = n / elapsed
        results["indexing"] = rate
        processes = args.processes or search_index.default_processes()
        workers = f"{processes} analysis processes" if processes > 1 else "analysis in the main process"
        print(
            f"indexing: {n:,} passages in {elapsed:.1f} s = {rate:,.0f} passages/s "
            f"(SearchIndex.rebuild: folding, segmentation, bigrams, Tantivy commit; "
            f"{workers}, {search_index.writer_threads()} writer thread(s))"
        )
        print(
            f"  CPU per passage: {workers_cpu:.0f} us in the analysis processes, {main_cpu:.0f} us in the "
            f"main process (documents, Tantivy's writer threads); {workers_cpu + main_cpu:.0f} us in all"
        )
    user = AnonymousUser()
    for q in queries[:20]:  # warm the OS page cache and the searcher
        search_query(query=q, user=user)
    timings = {TOP20: [], PAGE: []}
    totals, approximate = [], 0
    for label, facets in ((TOP20, False), (PAGE, True)):
        for q in queries:
            t = time.perf_counter()
            r = search_query(query=q, user=user, facets=facets)
            timings[label].append((time.perf_counter() - t) * 1000)
            if facets:
                totals.append(r.total)
                approximate += r.facets_approximate
    for label, values in timings.items():
        print(
            f"tanyuan {label}: median {statistics.median(values):.2f} ms, "
            f"p95 {pct(values, 95):.2f} ms, max {max(values):.1f} ms"
        )
    print(
        f"  hits per query: median {statistics.median(totals):,.0f}, max {max(totals):,}; "
        f"facets counted in a sample for {approximate} of {len(totals)} queries"
    )
    return timings


def bench_pg(args, texts, queries, segmenter):
    import psycopg2

    from kb.lib.textnorm import fold, fold_many

    base, _, dbname = args.pg.rpartition("/")
    admin = psycopg2.connect(base + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{dbname}"')
    admin.close()
    conn = psycopg2.connect(args.pg)
    conn.autocommit = True
    cur = conn.cursor()
    if not args.reuse_index:
        cur.execute("DROP TABLE IF EXISTS bench_passage")
        cur.execute("CREATE UNLOGGED TABLE bench_passage (id int PRIMARY KEY, body text, seg text)")
        started = time.perf_counter()
        n = 0
        for start in range(0, len(texts), 50_000):
            chunk = texts[start : start + 50_000]
            buf = io.StringIO()
            for lo in range(0, len(chunk), 256):  # segmented as the index segments them
                batch = chunk[lo : lo + 256]
                for text, seg in zip(batch, segmenter.index_lines(fold_many(batch)), strict=True):
                    n += 1
                    buf.write(f"{n}\t{text}\t{' '.join(seg.split())}\n")
            buf.seek(0)
            cur.copy_from(buf, "bench_passage", columns=("id", "body", "seg"))
        cur.execute("ALTER TABLE bench_passage ADD COLUMN tsv tsvector")
        cur.execute("UPDATE bench_passage SET tsv = to_tsvector('simple', seg)")
        cur.execute("CREATE INDEX bench_passage_tsv ON bench_passage USING gin (tsv)")
        cur.execute("VACUUM ANALYZE bench_passage")
        print(
            f"postgres: {n:,} passages segmented, loaded and GIN-indexed in {time.perf_counter() - started:.1f} s"
        )
    values = []
    sql = (
        "SELECT id, ts_rank(tsv, q) AS r FROM bench_passage, to_tsquery('simple', %s) q "
        "WHERE tsv @@ q ORDER BY r DESC LIMIT 20"
    )
    for q in queries[:10]:
        cur.execute(sql, [" & ".join(segmenter.query_tokens(fold(q)))])
        cur.fetchall()
    for q in queries:
        tsq = " & ".join(t for t in segmenter.query_tokens(fold(q)) if t.strip()) or "x"
        t = time.perf_counter()
        cur.execute(sql, [tsq])
        cur.fetchall()
        values.append((time.perf_counter() - t) * 1000)
    print(
        f"postgres ts_rank top 20: median {statistics.median(values):.1f} ms, p95 {pct(values, 95):.1f} ms, max {max(values):.0f} ms"
    )
    return values


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="number of passages (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/tanyuan_bench")
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL baseline")
    parser.add_argument(
        "--pg-n", type=int, default=None, help="passages for the PostgreSQL baseline (default: --n)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="analysis worker processes (default: as rebuild_search_index; 1: none)",
    )
    parser.add_argument(
        "--reuse-index", action="store_true", help="query the index and table of the last run"
    )
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from kb.lib.segment import Segmenter
    from kb.search.dictionary import file_terms

    sents = sentences(Path(args.corpus))
    terms = file_terms()
    segmenter = Segmenter(terms)
    queries = make_queries(sents, segmenter, terms, count=args.queries)
    print(
        f"N = {args.n:,} passages from {len(sents):,} sentences; {len(queries)} queries, e.g. {queries[:5]}"
    )
    print(f"machine: {machine()}")
    # The corpus is synthesised before any timing: making it up is not indexing it.
    texts = list(passages(sents, max(args.n, args.pg_n or 0)))
    results: dict[str, float] = {}
    ours = bench_tanyuan(args, texts[: args.n], queries, results)
    if not args.no_pg:
        pg_n = args.pg_n or args.n
        if pg_n != args.n:
            print(f"NOTE: the PostgreSQL baseline runs on the first {pg_n:,} passages, not {args.n:,}")
        theirs = bench_pg(args, texts[:pg_n], queries, segmenter)
        for label, values in ours.items():
            print(
                f"ratio postgres ts_rank / tanyuan {label}: "
                f"median {statistics.median(theirs) / statistics.median(values):.1f}x, "
                f"p95 {pct(theirs, 95) / pct(values, 95):.1f}x"
            )
    top20 = ours[TOP20]
    print(f"targets (issue 4) at N = {args.n:,}:")
    print(
        f"  top 20 with snippets, median <= 10 ms: {statistics.median(top20):.2f} ms, {_met(statistics.median(top20) <= 10)}"
    )
    print(f"  top 20 with snippets, p95 <= 30 ms: {pct(top20, 95):.2f} ms, {_met(pct(top20, 95) <= 30)}")
    if "indexing" in results:
        rate = results["indexing"]
        print(f"  indexing incl. segmentation >= 10,000 passages/s: {rate:,.0f}/s, {_met(rate >= 10_000)}")
    if args.n != 1_000_000:
        print("  (the targets are stated for N = 1,000,000)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
