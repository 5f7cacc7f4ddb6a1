"""Snippet benchmark: search latency does not depend on the size of one document.

    .venv/bin/python bench/bench_snippets.py
    .venv/bin/python bench/bench_snippets.py --n 20000 --repeat 50

One index per case of N synthetic passages (sampled from the sample papers' sentences,
fixed seed) plus one public annotation made of a word repeated: a normal one
(about 200 bytes), then 10 KB, 100 KB and 1 MB ones, in the same run. Each case
times ``kb.search.selectors.search_query`` (what the search page calls: top
20 with snippets and highlighted labels, facets off) for that word as an
anonymous visitor; the annotation is among the hits, so its snippet is cut on
every search. The baseline is the normal annotation: the large cases should
cost about the same as the 10 KB one: the index stores the first
``STORED_BODY`` characters of a document for its snippet, and the snippet
examines at most ``SCAN`` characters of that and marks at most ``MAX_MATCHES``
matches, so a document costs at most what a long passage costs. Also reported: the time of
``snippets()`` alone on each whole annotation body. Works in ``var/bench/``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench-snippets"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_VAR_DIR"] = str(BENCH_DIR)
os.environ["KB_SEARCH_INDEX_DIR"] = str(BENCH_DIR / "search-index")
os.environ.pop("DATABASE_URL", None)

WORD = "数字鸿沟"
UNIT = WORD + "，"  # the repeated unit: each repetition is a separate match


def sentences(corpus: Path) -> list[str]:
    text = re.sub(r"\s+", "", " ".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))))
    return [s for s in re.split(r"(?<=[。！？；])", text) if 8 <= len(s) <= 200]


def passages(sents: list[str], n: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 -- a fixed seed for a reproducible corpus, not security
    out = []
    for _ in range(n):
        size, parts = rng.randint(100, 400), []
        while sum(map(len, parts)) < size:
            parts.append(rng.choice(sents))
        out.append("".join(parts)[:size])
    return out


def annotation_body(size_bytes: int) -> str:
    """``UNIT`` repeated to about ``size_bytes`` of UTF-8."""
    return UNIT * max(1, size_bytes // len(UNIT.encode()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=5000, help="background passages (default 5,000)")
    parser.add_argument("--repeat", type=int, default=30, help="searches per case (default 30)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kb.search import selectors
    from kb.search.dictionary import thesaurus
    from kb.search.index import IndexDoc, open_index
    from kb.search.snippets import MAX_MATCHES, SCAN, snippets

    texts = passages(sentences(Path(args.corpus)), args.n)
    segmenter = thesaurus().segmenter
    user = AnonymousUser()
    cases = [("normal", 200), ("10 KB", 10_000), ("100 KB", 100_000), ("1 MB", 1_000_000)]
    print(f"{args.n:,} passages + 1 public annotation of {WORD!r} repeated; {args.repeat} searches per case")
    print(f"snippet bounds: SCAN {SCAN:,} characters, MAX_MATCHES {MAX_MATCHES}")
    indexes, bodies = {}, {}
    for name, size in cases:  # one index per case, built before any timing
        bodies[name] = body = annotation_body(size)
        docs = [
            IndexDoc(
                key=f"passage:{i + 1}",
                type="passage",
                obj_id=i + 1,
                text=t,
                body=t,
                paper_id=i // 50 + 1,
                year=2020,
                kind="paragraph",
                order=i % 50,
                title=f"合成论文{i // 50 + 1}",
                label=f"合成论文{i // 50 + 1}",
            )
            for i, t in enumerate(texts)
        ]
        docs.append(
            IndexDoc(
                key="annotation:1",
                type="annotation",
                obj_id=1,
                text=body,
                body=body,
                paper_id=1,
                year=2020,
                vis="public",
                creator=1,
                label="合成论文1",
            )
        )
        index = open_index(BENCH_DIR / f"search-index-{size}")
        index.needs_rebuild = False  # the bench fills it itself
        index.rebuild(docs=docs, segmenter=segmenter, processes=1)
        indexes[name] = index
    timings: dict[str, list[float]] = {name: [] for name, _ in cases}
    for rep in range(args.repeat + 3):  # the cases take turns, so load on the machine hits them alike
        for name, _ in cases:
            selectors.search_index = lambda name=name: indexes[name]
            t = time.perf_counter()
            found = selectors.search_query(query=WORD, user=user, facets=False)
            elapsed = (time.perf_counter() - t) * 1000
            if rep < 3:  # warm-up
                assert any(h.type == "annotation" for h in found.hits), "the annotation must be a hit"
            else:
                timings[name].append(elapsed)
    print(
        f"{'annotation':>10} {'chars':>9} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'snippets() ms':>14}"
    )
    medians = {}
    for name, _ in cases:
        t = time.perf_counter()
        snippets([bodies[name]], [WORD])
        alone = (time.perf_counter() - t) * 1000
        values = sorted(timings[name])
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        medians[name] = statistics.median(values)
        print(
            f"{name:>10} {len(bodies[name]):>9,} {medians[name]:>10.2f} {p95:>8.2f} {max(values):>8.1f} {alone:>14.2f}"
        )
    base = medians["normal"]
    print(
        "ratio to the normal annotation (median): "
        + ", ".join(f"{k} {v / base:.2f}x" for k, v in medians.items())
    )


if __name__ == "__main__":
    main()
