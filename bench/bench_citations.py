"""Citation network quality: reference resolution precision / recall and stance accuracy.

Reads the labelled sets in bench/data/ (their ``about`` fields say how they were made and why
the figures are optimistic):

- ``citation_pairs.json``: 76 parsed references of the sample corpus and shared PDFs, and a
  hand-written library of 38 records; for each reference the record it names (or none).
  Each reference is resolved as ``kb.services.citations.resolve`` does: candidates are the
  library records sharing its DOI, folded title, title head or title tail (the index keys),
  scored by ``kb.lib.citematch.compare``; the best one from ``ACCEPT`` on is the suggestion.
  Precision: correct suggestions / suggestions; recall: correct suggestions / references that
  name a library record.
- ``citation_stances.json``: 41 citing sentences with a hand-given stance; accuracy of
  ``kb.lib.citestance.suggest_stance``, per stance and overall, with the confusions listed.

Pure (no database): ``.venv/bin/python bench/bench_citations.py`` from the repository root.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("DEBUG", "1")

DATA = ROOT / "bench" / "data"


def resolution() -> tuple[float, float]:
    from kb.lib.citematch import WorkKeys, compare

    data = json.loads((DATA / "citation_pairs.json").read_text(encoding="utf-8"))
    library = [
        (
            rec["id"],
            WorkKeys.of(doi=rec["doi"], title=rec["title"], author=rec["first_author"], year=rec["year"]),
        )
        for rec in data["library"]
    ]
    suggested = correct = expected = 0
    misses = []
    for ref in data["references"]:
        keys = WorkKeys.of(
            doi=ref["doi"], title=ref["title"], author=(ref["authors"] or [""])[0], year=ref["year"]
        )
        found = None
        for rid, cand in library:
            indexed = (keys.doi and keys.doi == cand.doi) or (
                keys.title
                and (
                    keys.title == cand.title
                    or (keys.head and keys.head == cand.head)
                    or (keys.tail and keys.tail == cand.tail)
                )
            )
            match = compare(keys, cand) if indexed else None
            if match is not None and (found is None or match.score > found[1].score):
                found = (rid, match)
        truth = ref["paper"]
        expected += truth is not None
        if found is not None:
            suggested += 1
            correct += found[0] == truth
        if (found[0] if found else None) != truth:
            misses.append(
                (ref["raw"][:70], truth, found[0] if found else None, found[1].reason if found else {})
            )
    precision = correct / suggested if suggested else 1.0
    recall = correct / expected if expected else 1.0
    print(f"resolution: {len(data['references'])} references, {expected} name a library record")
    print(f"  suggested {suggested}, correct {correct}")
    print(f"  precision {precision:.3f}  recall {recall:.3f}")
    for raw, truth, got, reason in misses:
        print(f"  miss: {raw!r} expected {truth} got {got} {reason}")
    return precision, recall


def stances() -> float:
    from kb.lib.citestance import suggest_stance

    data = json.loads((DATA / "citation_stances.json").read_text(encoding="utf-8"))
    total = Counter()
    right = Counter()
    confusions = []
    for item in data["sentences"]:
        got, cue = suggest_stance(item["sentence"])
        total[item["stance"]] += 1
        if got == item["stance"]:
            right[item["stance"]] += 1
        else:
            confusions.append((item["stance"], got, cue, item["sentence"][:60]))
    accuracy = sum(right.values()) / sum(total.values())
    print(f"stance: {sum(total.values())} labelled sentences, accuracy {accuracy:.3f}")
    for stance in sorted(total):
        print(f"  {stance:13} {right[stance]}/{total[stance]}")
    for want, got, cue, sentence in confusions:
        print(f"  confused: labelled {want}, suggested {got} (cue {cue!r}): {sentence}")
    return accuracy


def main() -> int:
    import django

    django.setup()
    resolution()
    stances()
    return 0


if __name__ == "__main__":
    sys.exit(main())
