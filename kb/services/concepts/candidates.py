"""Candidate new concepts: frequent domain terms of the corpus that are no concept yet.

``concept_candidates_refresh`` re-ranks them (jieba TF-IDF over the current
paragraphs and abstracts); editors accept one (it becomes a concept through
``concept_create``) or dismiss it, and a decided candidate is never offered again.
"""

from __future__ import annotations

import re
import warnings

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kb.lib.conceptmatch import fold_term
from kb.models import Concept
from kb.models.concepts import CandidateStatus, ConceptCandidate
from kb.services.concepts.editing import CONCEPT_LABEL_TAKEN, concept_create
from kb.services.mentions import concept_terms
from papers.models import Passage, PassageKind

CANDIDATE_CLOSED = _("该候选词已处理。")

_CANDIDATE_SHAPE = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
# Words that score high in any academic text of this kind but name no concept.
CANDIDATE_STOPWORDS = frozenset(
    """
    数字 技术 社会 发展 实现 推动 通过 进而 从而 以及 需要 提供 提升
    促进 推进 构建 问题 方面 过程 能力 作用 领域 方式 主体 进行 不断
    有效 重要 相关 具有 成为 可能 研究 基础 路径 逻辑 机制 体系 水平
    模式 政府 企业 公众 人民 群众 服务 信息 数据 价值 治理 经济 生产
    创新 应用 平台 要素 共享 公平 赋能 维度 层面 视角 意义 内容 目标
    要求 理念 特征 形态 实践 理论 历史 时代 当前 未来 传统 现代 新型
    """.split()  # noqa: SIM905 - a block of words reads and diffs better than 78 quoted items
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
    """Make an open candidate a concept (its mentions detected at once)."""
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
    candidate.full_clean()
    candidate.save()
    return concept


@transaction.atomic
def concept_candidate_dismiss(*, candidate: ConceptCandidate, user) -> ConceptCandidate:
    """Never offer this term again (the row stays, so a refresh does not bring it back)."""
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError(CANDIDATE_CLOSED)
    candidate.status = CandidateStatus.DISMISSED
    candidate.full_clean()
    candidate.save()
    return candidate
