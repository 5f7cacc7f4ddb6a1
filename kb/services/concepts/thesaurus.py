"""The curated thesaurus (``kb/data/thesaurus.json``) and the passages its definitions quote.

``thesaurus_load`` creates or updates concepts by slug and is idempotent, so
``make run`` and the ``load_thesaurus`` command can run it any number of times.
``definition_sources_resolve`` points each definition at the current passage that
contains its quote; it runs after the load and for each paper as it is loaded.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from django.db import transaction

from kb.models import Concept
from kb.search.service import search_index_enqueue
from kb.services.concepts.editing import check_broader, clean_aliases, walk_hierarchy
from kb.services.mentions import mentions_detect_all
from papers.models import Passage, PassageKind, SourceFile

THESAURUS_FILE = Path(__file__).resolve().parents[2] / "data" / "thesaurus.json"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def definition_sources_resolve(*, paper=None) -> int:
    """Point each definition at the current passage that contains its quote (where found).

    With ``paper``, only that paper's passages are searched (the ingest hook).
    """
    concepts = list(Concept.objects.exclude(definition_quote=""))
    if not concepts:
        return 0
    passages = Passage.objects.current().filter(
        kind__in=[PassageKind.PARAGRAPH, PassageKind.ABSTRACT, PassageKind.FOOTNOTE]
    )
    if paper is not None:
        passages = passages.filter(paper=paper)
    passages = list(passages.only("pk", "text", "paper_id"))
    files: dict[int, set[str]] = {}
    for paper_id, filename in SourceFile.objects.exclude(paper=None).values_list("paper_id", "filename"):
        files.setdefault(paper_id, set()).add(filename)
    squashed = [(p, _squash(p.text)) for p in passages]
    found = 0
    for concept in concepts:
        paper_file, _, quote = concept.definition_quote.rpartition("|")
        quote = _squash(quote)
        for passage, text in squashed:
            if quote and quote in text and (not paper_file or paper_file in files.get(passage.paper_id, ())):
                if concept.definition_source_id != passage.pk:
                    Concept.objects.filter(pk=concept.pk).update(definition_source=passage)
                found += 1
                break
    return found


@transaction.atomic
def thesaurus_load(*, data: dict | None = None, user=None) -> dict[str, int]:
    """Create or update the concepts of the curated thesaurus (by slug). Idempotent."""
    if data is None:
        data = json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    stats = Counter()
    by_slug = {
        c.slug: c
        for c in Concept.objects.select_related("merged_into").prefetch_related("related", "broader")
    }
    changed_ids: set[int] = set()
    for entry in data["concepts"]:
        source = entry.get("definition_source") or {}
        quote = f"{source.get('paper', '')}|{source.get('quote', '')}" if source else ""
        fields = {
            "label_zh": entry["label_zh"],
            "label_en": entry.get("label_en", ""),
            "aliases": clean_aliases(
                entry.get("aliases", []), exclude=(entry["label_zh"], entry.get("label_en", ""))
            ),
            "definition": entry.get("definition", ""),
            "group": entry.get("group", ""),
            "definition_quote": quote[:200],
        }
        concept = by_slug.get(entry["slug"])
        if concept is None:
            concept = Concept(slug=entry["slug"], created_by=user, **fields)
            concept.full_clean()
            concept.save()
            by_slug[concept.slug] = concept
            changed_ids.add(concept.pk)
            search_index_enqueue(obj=concept)
            stats["created"] += 1
            continue
        if concept.merged_into_id:
            stats["skipped_merged"] += 1
            continue
        diff = {k: v for k, v in fields.items() if getattr(concept, k) != v}
        if diff:
            if {"label_zh", "label_en", "aliases"} & diff.keys():
                changed_ids.add(concept.pk)
            for key, value in diff.items():
                setattr(concept, key, value)
            concept.full_clean()
            concept.save()
            search_index_enqueue(obj=concept)  # a new definition or group is searchable too
            stats["updated"] += 1
        else:
            stats["unchanged"] += 1
    for entry in data["concepts"]:
        concept = by_slug[entry["slug"]]
        if concept.merged_into_id:
            continue
        # "broader": one slug or a list. Links the file names are added; links editors made stay.
        named = entry.get("broader") or []
        broader = [by_slug[s] for s in ([named] if isinstance(named, str) else named) if s in by_slug]
        broader = [b.merged_into if b.merged_into_id else b for b in broader]
        missing_broader = [
            b for b in broader if b.pk != concept.pk and b.pk not in {c.pk for c in concept.broader.all()}
        ]
        if missing_broader:
            check_broader(concept, missing_broader)
            concept.broader.add(*missing_broader)
    for entry in data["concepts"]:  # once the whole hierarchy is in place
        concept = by_slug[entry["slug"]]
        if concept.merged_into_id:
            continue
        related = {by_slug[s].pk for s in entry.get("related", []) if s in by_slug}
        missing = related - {c.pk for c in concept.related.all()}
        if missing:
            # A related link to a broader or narrower concept is not SKOS: it is left out.
            family = walk_hierarchy({b.pk for b in concept.broader.all()}, up=True) | walk_hierarchy(
                {concept.pk}, up=False
            )
            concept.related.add(*(missing - family - {b.pk for b in concept.broader.all()}))
    if changed_ids:
        stats["mentions"] = mentions_detect_all(concept_ids=changed_ids)
    stats["definition_sources"] = definition_sources_resolve()
    return dict(stats)
