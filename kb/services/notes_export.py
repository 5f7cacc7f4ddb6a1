"""Notes as Markdown, the way Zotero users export them: paper by paper, each with its reference.

``notes_markdown(*, annotations, user, base="")`` takes any iterable of
annotations ("my notes", a paper's notes for the paper export …) and writes:

    # 我的笔记                                   (``title``)
    ## 数字鸿沟与共同富裕                         (one section per paper)
    王佃利, 滕蕾. 数字鸿沟与共同富裕[J]. …        (GB/T 7714, ``papers.cite``)
    > the quote                                  (a blockquote, every line)
    p. 12 · [¶ 3](…/papers/7/#p-3)               (the page where the passage has one)
    the note (Markdown as written)
    标签：#方法 #反驳 · 颜色：黄色（方法） · 2026-12-07
    - editor2：a reply                           (replies given with their thread)

Only the annotations ``user`` may see, on papers they may read, are written,
whatever the caller passes (one query re-reads them with their passages).
Papers come in the order of their first note; notes within a paper in reading
order. Quotes, titles and references are escaped so that they read as text;
note bodies are the user's own Markdown and are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from kb.models import Annotation
from kb.services.colors import color_palette
from papers import cite
from papers.models import Paper

_ID_CHUNK = 500
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(text: str) -> str:
    """``text`` as literal Markdown (no emphasis, links, HTML or headings)."""
    return _SPECIAL.sub(r"\\\1", text)


def _quote(text: str) -> str:
    lines = [md_escape(line) for line in text.strip().splitlines()] or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _visible(annotations: Iterable[Annotation], user) -> list[Annotation]:
    ids = list(dict.fromkeys(a.pk for a in annotations))
    rows: list[Annotation] = []
    for start in range(0, len(ids), _ID_CHUNK):
        rows += list(
            Annotation.objects.visible_to(user)
            .filter(pk__in=ids[start : start + _ID_CHUNK], paper__in=Paper.objects.visible_to(user))
            .select_related("passage", "creator", "parent")
        )
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(rows, key=lambda a: order[a.pk])


def _reading_order(a: Annotation) -> tuple:
    return (a.passage.order if a.passage_id else 1 << 30, a.start or 0, a.created_at, a.pk)


def _note(a: Annotation, *, replies: list[Annotation], palette, base: str) -> str:
    parts = []
    if a.exact:
        parts.append(_quote(a.exact))
    where = []
    if a.passage_id:
        if a.passage.cited_page:
            where.append(f"p. {a.passage.cited_page}")
        where.append(f"[¶ {a.passage.order}]({base}{a.passage.get_absolute_url()})")
    if where:
        parts.append(" · ".join(where))
    if a.body.strip():
        parts.append(a.body.strip())
    meta = []
    if a.tag_list:
        meta.append(_("标签：") + " ".join(f"#{md_escape(t)}" for t in a.tag_list))
    swatch = next((s for s in palette if s.value == a.color), None)
    if swatch:
        meta.append(_("颜色：") + md_escape(swatch.label + (f"（{swatch.name}）" if swatch.name else "")))
    meta.append(timezone.localtime(a.created_at).strftime("%Y-%m-%d"))
    parts.append(" · ".join(meta))
    for reply in replies:
        body = " ".join(reply.body.split())
        parts.append(f"- {md_escape(reply.creator.get_username())}：{body}")
    return "\n\n".join(parts)


def reference_markdown(paper) -> str:
    """The paper's GB/T 7714 reference, or what its record lacks for one (never a broken entry)."""
    work = cite.cited_work(paper)
    missing = cite.missing_elements(work)
    return md_escape(cite.missing_message(missing) if missing else cite.gbt7714(work))


def notes_markdown(*, annotations: Iterable[Annotation], user, base: str = "", title: str = "") -> str:
    """The notes grouped by paper, each paper headed by its GB/T 7714 reference (see above).

    ``base``: scheme and host for the links (relative links without it); ``title``: the
    document's heading (default "我的笔记")."""
    notes = _visible(annotations, user)
    palette = color_palette(user=user)
    given = {a.pk for a in notes}
    replies: dict[int, list[Annotation]] = {}
    roots: list[Annotation] = []
    for a in notes:
        if a.parent_id in given:  # a reply shown with its thread
            replies.setdefault(a.parent_id, []).append(a)
        else:
            roots.append(a)
    by_paper: dict[int, list[Annotation]] = {}
    for a in roots:
        by_paper.setdefault(a.paper_id, []).append(a)
    papers = Paper.objects.prefetch_related("authorships__author").in_bulk(list(by_paper))
    out = [f"# {md_escape(title or _('我的笔记'))}", ""]
    out.append(
        _("导出于 %(date)s · %(count)d 条笔记")
        % {"date": timezone.localtime().strftime("%Y-%m-%d"), "count": len(roots)}
    )
    for paper_id, items in by_paper.items():
        paper = papers[paper_id]
        out += ["", f"## {md_escape(str(paper.display_title))}", ""]
        out.append(reference_markdown(paper))
        out.append("")
        out.append(f"[{_('在探源中打开')}]({base}{paper.get_absolute_url()})")
        for a in sorted(items, key=_reading_order):
            thread = sorted(replies.get(a.pk, []), key=lambda r: (r.created_at, r.pk))
            out += ["", "---", "", _note(a, replies=thread, palette=palette, base=base)]
    return "\n".join(out).rstrip() + "\n"
