"""The thesaurus: create, edit, rename and merge concepts; load the curated thesaurus;
find the passages that definitions cite; offer candidate new concepts.

Every change to labels or aliases re-detects that concept's mentions, so the
mentions always reflect the thesaurus. A merge moves mentions, links and claims to
the surviving concept and leaves the old row as a redirect (``merged_into``).
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from kb.lib.conceptmatch import fold_term
from kb.models import Concept, Mention
from kb.models.concepts import CandidateStatus, ConceptCandidate
from kb.services.mentions import concept_terms, mentions_detect_all
from papers.models import Passage, PassageKind, SourceFile

THESAURUS_FILE = Path(__file__).resolve().parent.parent / "data" / "thesaurus.json"

CONCEPT_LABEL_TAKEN = "已有同名概念：{label}"
CONCEPT_MERGE_SELF = "不能把概念合并到它自己。"
CONCEPT_MERGE_MERGED = "该概念已被合并。"
CONCEPT_BROADER_CYCLE = "上位概念不能是它自己或它的下位概念。"
CONCEPT_LABEL_REQUIRED = "请填写中文名。"
CANDIDATE_CLOSED = "该候选词已处理。"


def _clean_aliases(aliases, *, exclude: tuple[str, ...] = ()) -> list[str]:
    seen = {fold_term(x) for x in exclude if x}
    out = []
    for alias in aliases or []:
        alias = " ".join(str(alias).split())
        key = fold_term(alias)
        if alias and key and key not in seen:
            seen.add(key)
            out.append(alias)
    return out


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(base, allow_unicode=True) or "concept")[:180]
    slug, n = base, 2
    while Concept.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_broader(concept: Concept, broader: Concept | None) -> None:
    seen = set()
    node = broader
    while node is not None and node.pk not in seen:
        if concept.pk and node.pk == concept.pk:
            raise ValidationError(CONCEPT_BROADER_CYCLE)
        seen.add(node.pk)
        node = node.broader


def _check_label_free(label_zh: str, *, exclude_pk: int | None = None) -> None:
    if Concept.objects.filter(label_zh=label_zh).exclude(pk=exclude_pk).exists():
        raise ValidationError(CONCEPT_LABEL_TAKEN.format(label=label_zh))


@transaction.atomic
def concept_create(
    *,
    label_zh: str,
    label_en: str = "",
    aliases=(),
    definition: str = "",
    group: str = "",
    broader: Concept | None = None,
    slug: str = "",
    user=None,
    detect: bool = True,
) -> Concept:
    label_zh = label_zh.strip()
    if not label_zh:
        raise ValidationError(CONCEPT_LABEL_REQUIRED)
    _check_label_free(label_zh)
    concept = Concept(
        label_zh=label_zh,
        label_en=label_en.strip(),
        slug=slug or _unique_slug(label_en or label_zh),
        aliases=_clean_aliases(aliases, exclude=(label_zh, label_en)),
        definition=definition.strip(),
        group=group.strip(),
        broader=broader,
        created_by=user,
    )
    concept.full_clean()
    concept.save()
    if detect:
        mentions_detect_all(concept_ids={concept.pk})
    return concept


@transaction.atomic
def concept_update(
    *,
    concept: Concept,
    user=None,
    label_zh: str | None = None,
    label_en: str | None = None,
    aliases=None,
    definition: str | None = None,
    group: str | None = None,
    broader: Concept | None | bool = False,
    related=None,
    detect: bool = True,
) -> Concept:
    """Edit a concept. ``broader=False`` leaves it as is; ``None`` clears it."""
    before = set(map(fold_term, concept_terms(concept)))
    if label_zh is not None:
        label_zh = label_zh.strip()
        if not label_zh:
            raise ValidationError(CONCEPT_LABEL_REQUIRED)
        _check_label_free(label_zh, exclude_pk=concept.pk)
        concept.label_zh = label_zh
    if label_en is not None:
        concept.label_en = label_en.strip()
    if aliases is not None:
        concept.aliases = _clean_aliases(aliases, exclude=(concept.label_zh, concept.label_en))
    if definition is not None:
        concept.definition = definition.strip()
    if group is not None:
        concept.group = group.strip()
    if broader is not False:
        _check_broader(concept, broader)  # type: ignore[arg-type]
        concept.broader = broader  # type: ignore[assignment]
    concept.full_clean()
    concept.save()
    if related is not None:
        concept.related.set([c for c in related if c.pk != concept.pk])
    if detect and set(map(fold_term, concept_terms(concept))) != before:
        mentions_detect_all(concept_ids={concept.pk})
    return concept


@transaction.atomic
def concept_rename(*, concept: Concept, label_zh: str, label_en: str | None = None, user=None) -> Concept:
    """Change the preferred label; the old labels become aliases, so nothing stops matching."""
    old = [concept.label_zh, concept.label_en]
    new_en = concept.label_en if label_en is None else label_en
    aliases = [*(concept.aliases or []), *old]
    return concept_update(
        concept=concept, user=user, label_zh=label_zh, label_en=new_en, aliases=aliases, detect=True
    )


@transaction.atomic
def concept_merge(*, source: Concept, target: Concept, user=None) -> Concept:
    """Fold ``source`` into ``target``: mentions, narrower/related links, claims, labels as aliases."""
    if source.pk == target.pk:
        raise ValidationError(CONCEPT_MERGE_SELF)
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(CONCEPT_MERGE_MERGED)
    existing = set(Mention.objects.filter(concept=target).values_list("passage_id", "start", "end"))
    for mention in Mention.objects.filter(concept=source):
        if (mention.passage_id, mention.start, mention.end) in existing:
            mention.delete()
        else:
            mention.concept = target
            mention.save(update_fields=["concept"])
    Concept.objects.filter(broader=source).exclude(pk=target.pk).update(broader=target)
    for rel in source.related.exclude(pk=target.pk):
        target.related.add(rel)
    source.related.clear()
    for claim in source.claims.all():
        claim.concepts.add(target)
        claim.concepts.remove(source)
    target.aliases = _clean_aliases(
        [*(target.aliases or []), source.label_zh, source.label_en, *(source.aliases or [])],
        exclude=(target.label_zh, target.label_en),
    )
    if not target.definition and source.definition:
        target.definition = source.definition
        target.definition_source = source.definition_source
        target.definition_quote = source.definition_quote
    if target.broader_id == source.pk:
        target.broader = source.broader if source.broader_id != target.pk else None
    target.full_clean()
    target.save()
    ConceptCandidate.objects.filter(concept=source).update(concept=target)
    source.merged_into = target
    source.broader = None
    source.full_clean()
    source.save()
    return target


# --- definition sources --------------------------------------------------------------------


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


# --- the curated thesaurus -------------------------------------------------------------


@transaction.atomic
def thesaurus_load(*, data: dict | None = None, user=None) -> dict[str, int]:
    """Create or update the concepts of the curated thesaurus (by slug). Idempotent."""
    if data is None:
        data = json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))
    stats = Counter()
    by_slug = {c.slug: c for c in Concept.objects.all()}
    changed_ids: set[int] = set()
    for entry in data["concepts"]:
        source = entry.get("definition_source") or {}
        quote = f"{source.get('paper', '')}|{source.get('quote', '')}" if source else ""
        fields = {
            "label_zh": entry["label_zh"],
            "label_en": entry.get("label_en", ""),
            "aliases": _clean_aliases(
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
            stats["updated"] += 1
        else:
            stats["unchanged"] += 1
    for entry in data["concepts"]:
        concept = by_slug[entry["slug"]]
        if concept.merged_into_id:
            continue
        broader = by_slug.get(entry.get("broader", "")) if entry.get("broader") else None
        if broader is not None and broader.merged_into_id:
            broader = broader.merged_into
        if concept.broader_id != (broader.pk if broader else None):
            _check_broader(concept, broader)
            Concept.objects.filter(pk=concept.pk).update(broader=broader)
        related = {by_slug[s].pk for s in entry.get("related", []) if s in by_slug}
        missing = related - set(concept.related.values_list("pk", flat=True))
        if missing:
            concept.related.add(*missing)
    if changed_ids:
        stats["mentions"] = mentions_detect_all(concept_ids=changed_ids)
    stats["definition_sources"] = definition_sources_resolve()
    return dict(stats)


# --- candidate new concepts -----------------------------------------------------------------

_CANDIDATE_SHAPE = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
# Words that score high in any academic text of this kind but name no concept.
CANDIDATE_STOPWORDS = frozenset(
    [
        "数字",
        "技术",
        "社会",
        "发展",
        "实现",
        "推动",
        "通过",
        "进而",
        "从而",
        "以及",
        "需要",
        "提供",
        "提升",
        "促进",
        "推进",
        "构建",
        "问题",
        "方面",
        "过程",
        "能力",
        "作用",
        "领域",
        "方式",
        "主体",
        "进行",
        "不断",
        "有效",
        "重要",
        "相关",
        "具有",
        "成为",
        "可能",
        "研究",
        "基础",
        "路径",
        "逻辑",
        "机制",
        "体系",
        "水平",
        "模式",
        "政府",
        "企业",
        "公众",
        "人民",
        "群众",
        "服务",
        "信息",
        "数据",
        "价值",
        "治理",
        "经济",
        "生产",
        "创新",
        "应用",
        "平台",
        "要素",
        "共享",
        "公平",
        "赋能",
        "维度",
        "层面",
        "视角",
        "意义",
        "内容",
        "目标",
        "要求",
        "理念",
        "特征",
        "形态",
        "实践",
        "理论",
        "历史",
        "时代",
        "当前",
        "未来",
        "传统",
        "现代",
        "新型",
    ]
)


@transaction.atomic
def concept_candidates_refresh(*, limit: int = 60) -> int:
    """Re-rank frequent domain terms of the corpus (jieba TF-IDF) that are no concept yet."""
    with warnings.catch_warnings():
        # jieba.analyse reads its IDF file without closing it (ResourceWarning at import).
        warnings.simplefilter("ignore", ResourceWarning)
        import jieba.analyse

    texts = list(
        Passage.objects.current()
        .filter(kind__in=[PassageKind.PARAGRAPH, PassageKind.ABSTRACT])
        .values_list("paper_id", "text")
    )
    corpus = "\n".join(t for _, t in texts)
    known = set()
    for concept in Concept.objects.all():
        known.update(fold_term(t) for t in concept_terms(concept))
    scored = jieba.analyse.extract_tags(corpus, topK=limit * 6, withWeight=True)
    kept = 0
    seen_terms = []
    for term, weight in scored:
        if kept >= limit:
            break
        if not _CANDIDATE_SHAPE.match(term) or term in CANDIDATE_STOPWORDS or fold_term(term) in known:
            continue
        if any(term in k or k in term for k in known if len(k) >= 2 and not k.isascii()):
            continue
        papers = {pid for pid, text in texts if term in text}
        frequency = corpus.count(term)
        if len(papers) < 2 or frequency < 5:
            continue
        seen_terms.append(term)
        candidate, _ = ConceptCandidate.objects.get_or_create(term=term)
        if candidate.status == CandidateStatus.OPEN:
            candidate.score = round(weight, 4)
            candidate.frequency = frequency
            candidate.paper_count = len(papers)
            candidate.full_clean()
            candidate.save()
        kept += 1
    ConceptCandidate.objects.filter(status=CandidateStatus.OPEN).exclude(term__in=seen_terms).delete()
    return kept


@transaction.atomic
def concept_candidate_accept(
    *, candidate: ConceptCandidate, user, label_en: str = "", group: str = "", definition: str = ""
) -> Concept:
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError(CANDIDATE_CLOSED)
    try:
        concept = concept_create(
            label_zh=candidate.term, label_en=label_en, group=group, definition=definition, user=user
        )
    except IntegrityError as exc:  # pragma: no cover - a race on the unique label
        raise ValidationError(CONCEPT_LABEL_TAKEN.format(label=candidate.term)) from exc
    candidate.status = CandidateStatus.ACCEPTED
    candidate.concept = concept
    candidate.save()
    return concept


@transaction.atomic
def concept_candidate_dismiss(*, candidate: ConceptCandidate, user) -> ConceptCandidate:
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError(CANDIDATE_CLOSED)
    candidate.status = CandidateStatus.DISMISSED
    candidate.save()
    return candidate
