"""Concepts named the way people type them: by Chinese or English label, alias or slug.

- ``concept_suggest``: a few concepts whose names start with (then contain) what was
  typed, for the claim form's autocomplete.
- ``concepts_resolve``: the concepts a comma-separated list names, each by an exact
  label, alias or slug. Names are compared folded (``kb.lib.textnorm.fold``: traditional
  to simplified, full- to half-width, case), so 數字鴻溝 names 数字鸿沟. A name that
  matches no concept is an error (``UNKNOWN_CONCEPTS``), never dropped.

A merged concept's names lead to the concept it was merged into. The folded names of
the thesaurus are kept per process and rebuilt when the thesaurus changes (one small
aggregate query tells).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from kb.lib.textnorm import fold
from kb.models import Concept

UNKNOWN_CONCEPTS = _("未找到概念：%(names)s")
TOO_MANY_CONCEPTS = _("一条论断最多关联 %(limit)s 个概念。")
MAX_CONCEPTS = 30
MAX_NAME_CHARS = 200
SUGGEST_LIMIT = 10
SEPARATORS = re.compile(r"[,，、;；\n]")

# Which kind of name matched, best first: a label beats an alias when both fit.
LABEL_ZH, LABEL_EN, SLUG, ALIAS = 0, 1, 2, 3


@dataclass(frozen=True)
class Name:
    concept_id: int  # the concept it leads to (a merged concept's target)
    text: str
    folded: str
    rank: int


@dataclass
class Suggestion:
    slug: str
    label_zh: str
    label_en: str
    matched: str  # the alias that matched, when it was not a label

    def as_json(self) -> dict:
        return {
            "slug": self.slug,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "matched": self.matched,
        }


def _folded(value: str) -> str:
    return " ".join(fold(value).split())


_cache: dict = {"version": None, "names": [], "concepts": {}}
_lock = threading.Lock()


def _names() -> tuple[list[Name], dict[int, tuple[str, str, str]]]:
    """Every name of every concept, folded; and (slug, label_zh, label_en) by concept id."""
    row = Concept.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    version = (row["n"], row["t"])
    with _lock:
        if _cache["version"] == version:
            return _cache["names"], _cache["concepts"]
    rows = list(
        Concept.objects.values_list("pk", "slug", "label_zh", "label_en", "aliases", "merged_into_id")
    )
    target = {pk: merged for pk, *_rest, merged in rows}

    def final(pk: int) -> int:
        seen = set()
        while target.get(pk) and pk not in seen:  # a merge chain ends at a concept not merged
            seen.add(pk)
            pk = target[pk]
        return pk

    names: list[Name] = []
    concepts: dict[int, tuple[str, str, str]] = {}
    for pk, slug, label_zh, label_en, aliases, merged in rows:
        if not merged:
            concepts[pk] = (slug, label_zh, label_en)
        owner = final(pk)
        texts = [(label_zh, LABEL_ZH), (label_en, LABEL_EN), (slug, SLUG)]
        texts += [(a, ALIAS) for a in aliases or [] if isinstance(a, str)]
        if merged:  # the old concept's labels are aliases of its target now
            texts = [(t, ALIAS) for t, _rank in texts]
        for text, rank in texts:
            folded = _folded(text or "")
            if folded:
                names.append(Name(owner, text, folded, rank))
    with _lock:
        _cache.update(version=version, names=names, concepts=concepts)
    return names, concepts


def concept_suggest(*, query: str, limit: int = SUGGEST_LIMIT) -> list[Suggestion]:
    """Concepts whose label, alias or slug starts with ``query`` (then: contains it), best first."""
    typed = _folded(query[:MAX_NAME_CHARS])
    if not typed:
        return []
    names, concepts = _names()
    best: dict[int, tuple] = {}
    for name in names:
        if name.concept_id not in concepts:
            continue
        if name.folded == typed:
            place = 0
        elif name.folded.startswith(typed):
            place = 1
        elif typed in name.folded:
            place = 2
        else:
            continue
        key = (place, name.rank, len(name.folded), name.text)
        if name.concept_id not in best or key < best[name.concept_id][0]:
            best[name.concept_id] = (key, name)
    ranked = sorted(best.values(), key=lambda item: (item[0], concepts[item[1].concept_id][1]))[:limit]
    out = []
    for _key, name in ranked:
        slug, label_zh, label_en = concepts[name.concept_id]
        out.append(Suggestion(slug, label_zh, label_en, name.text if name.rank == ALIAS else ""))
    return out


def split_names(value) -> list[str]:
    """The names in a comma-separated string, or in a list of such strings; blanks dropped."""
    items = value if isinstance(value, list | tuple) else [value or ""]
    out: list[str] = []
    for item in items:
        out.extend(part.strip() for part in SEPARATORS.split(str(item)) if part.strip())
    return list(dict.fromkeys(out))


def concepts_resolve(*, names) -> list[Concept]:
    """The concepts ``names`` name exactly (see the module docstring), in the order given.

    Raises ``ValidationError`` listing every name that matches no concept."""
    wanted = split_names(names)
    if len(wanted) > MAX_CONCEPTS:
        raise ValidationError(TOO_MANY_CONCEPTS, code="too_many", params={"limit": MAX_CONCEPTS})
    if not wanted:
        return []
    table, _concepts = _names()
    exact: dict[str, tuple[int, int]] = {}
    for name in table:
        if name.folded not in exact or name.rank < exact[name.folded][0]:
            exact[name.folded] = (name.rank, name.concept_id)
    ids: list[int] = []
    unknown: list[str] = []
    for text in wanted:
        hit = exact.get(_folded(text[:MAX_NAME_CHARS]))
        if hit is None:
            unknown.append(text[:MAX_NAME_CHARS])
        elif hit[1] not in ids:
            ids.append(hit[1])
    if unknown:
        raise ValidationError(UNKNOWN_CONCEPTS, code="unknown_concept", params={"names": "、".join(unknown)})
    by_id = Concept.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
