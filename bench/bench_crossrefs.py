"""Cross-reference suggestion quality and cost on the sample corpus.

Loads the curated thesaurus and the five sample papers into a fresh SQLite database
under var/bench-crossrefs/ (the loading hook detects mentions, builds passage profiles
and suggests cross-references paper by paper), then measures the suggestions against
the labelled passage pairs in tests/kb/data/crossref_pairs.json:

- precision@5: linked partners in the top 5 / min(5, linked partners), averaged over queries;
- recall@20: linked partners in the top 20 / linked partners, averaged over queries.

Run from the repository root: ``.venv/bin/python bench/bench_crossrefs.py``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench-crossrefs"
CORPUS = Path(os.environ.get("KB_SAMPLE_CORPUS", ROOT.parent / "shared" / "corpus"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["KB_VAR_DIR"] = str(BENCH_DIR)
os.environ["KB_SEARCH_INDEX_DIR"] = str(BENCH_DIR / "search-index")
os.environ.pop("DATABASE_URL", None)


def main() -> int:
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    import django

    django.setup()
    from django.core.management import call_command

    from kb.models import CrossReference, Mention
    from kb.selectors.crossref_eval import crossref_quality, load_pairs

    call_command("migrate", verbosity=0)
    call_command("load_thesaurus", verbosity=0)
    start = time.perf_counter()
    call_command("ingest", str(CORPUS), verbosity=0)
    load_seconds = time.perf_counter() - start
    pairs = load_pairs(ROOT / "tests" / "kb" / "data" / "crossref_pairs.json")
    quality = crossref_quality(pairs=pairs)
    print(
        f"corpus: 5 papers loaded in {load_seconds:.1f} s with mentions, profiles and suggestions "
        f"({Mention.objects.count()} mentions, {CrossReference.objects.count()} suggestions)"
    )
    print(f"labelled pairs: {len(pairs['linked'])} linked, {len(pairs['not_linked'])} not linked")
    print(quality.line())
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
