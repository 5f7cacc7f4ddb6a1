"""Measure cross-reference suggestions against a labelled set of passage pairs.

The labelled set (``tests/kb/data/crossref_pairs.json``) names each passage by its
corpus file and a quote (whitespace, punctuation and character width ignored), so it survives re-ingestion and
changes to paragraph splitting. Every passage of a *linked* pair is a query; its
relevant passages are its linked partners. For each query the suggestion ranking
(``crossref_candidates``, the function that also stores suggestions) is cut at 5 and 20:

- precision@5 = linked partners in the top 5 / min(5, number of linked partners)
  (so a query with one partner can score 1.0), averaged over queries;
- strict precision@5 = linked partners in the top 5 / 5;
- recall@20 = linked partners in the top 20 / number of linked partners, averaged;
- false links@5 = share of *not linked* pairs where either passage is in the other's top 5.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kb.lib.textnorm import fold
from kb.services.crossrefs import crossref_candidates
from papers.models import Passage, SourceFile


class PairNotFound(LookupError):
    pass


@dataclass
class Quality:
    queries: int
    precision_at_5: float
    strict_precision_at_5: float
    recall_at_20: float
    false_links_at_5: float

    def line(self) -> str:
        return (
            f"precision@5 {self.precision_at_5:.3f}  recall@20 {self.recall_at_20:.3f}  "
            f"(strict precision@5 {self.strict_precision_at_5:.3f}, "
            f"false links@5 {self.false_links_at_5:.3f}, {self.queries} queries)"
        )


def _squash(text: str) -> str:
    """Folded (width, script, punctuation) with all whitespace removed."""
    return re.sub(r"\s+", "", fold(text))


def _locator():
    papers: dict[str, int] = {}
    for paper_id, filename in SourceFile.objects.exclude(paper=None).values_list("paper_id", "filename"):
        papers[Path(filename).name] = paper_id
    texts: dict[int, list[tuple[int, str]]] = {}
    for pid, paper_id, text in Passage.objects.current().values_list("pk", "paper_id", "text"):
        texts.setdefault(paper_id, []).append((pid, _squash(text)))

    def locate(ref: dict) -> int:
        paper_id = papers.get(ref["paper"])
        quote = _squash(ref["quote"])
        hits = [pid for pid, text in texts.get(paper_id, []) if quote in text]
        if not hits:
            raise PairNotFound(f"{ref['paper']}: no current passage contains {ref['quote']!r}")
        return min(hits)

    return locate


def load_pairs(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def crossref_quality(*, pairs: dict) -> Quality:
    locate = _locator()
    relevant: dict[int, set[int]] = {}
    for pair in pairs["linked"]:
        a, b = locate(pair["a"]), locate(pair["b"])
        relevant.setdefault(a, set()).add(b)
        relevant.setdefault(b, set()).add(a)
    negatives = [(locate(p["a"]), locate(p["b"])) for p in pairs["not_linked"]]
    queries = sorted(relevant.keys() | {x for pair in negatives for x in pair})
    ranked = crossref_candidates(passages=list(Passage.objects.filter(pk__in=queries)), limit=20)
    top = {q: [c.passage_id for c in ranked.get(q, [])] for q in queries}
    p5 = strict = r20 = 0.0
    for q, rel in relevant.items():
        hits5 = len(set(top[q][:5]) & rel)
        p5 += hits5 / min(5, len(rel))
        strict += hits5 / 5
        r20 += len(set(top[q][:20]) & rel) / len(rel)
    n = len(relevant) or 1
    false = sum(1 for a, b in negatives if b in top[a][:5] or a in top[b][:5])
    return Quality(
        queries=len(relevant),
        precision_at_5=p5 / n,
        strict_precision_at_5=strict / n,
        recall_at_20=r20 / n,
        false_links_at_5=false / (len(negatives) or 1),
    )
