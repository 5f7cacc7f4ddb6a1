"""One paper's notes as Markdown, the way Zotero users export them: its annotations (through
``kb.services.notes_export.notes_markdown``) and its claims, each with its evidence quotes grouped
by stance (supports / contradicts / qualifies), with page numbers, links and the reference.

    # 笔记与主张：数字鸿沟与共同富裕
    … the annotations, as "my notes" writes them (reference, quotes, pages, notes, replies) …
    ## 主张
    ### 数字鸿沟阻碍共同富裕。
    论点 · 已批准 · [在探源中打开](…/claims/3/)
    **支持**
    > the quote
    p. 12 · [¶ 3](…/papers/7/#p-3)

Only what the user may see is written: annotations (``Annotation.objects.visible_to``), claims
(``Claim.objects.visible_to``) and evidence quoted from papers they may read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kb.models import Claim, Evidence
from kb.models.claims import Stance
from kb.selectors import exports as selectors
from kb.services.notes_export import md_escape, notes_markdown, reference_markdown
from papers.models import Paper


def _quote(text: str) -> str:
    lines = [md_escape(line) for line in text.strip().splitlines()] or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _evidence(e: Evidence, *, paper: Paper, base: str) -> str:
    parts = [_quote(e.exact)] if e.exact.strip() else []
    where = []
    if e.passage_id and e.passage is not None:
        if e.passage.cited_page:
            where.append(f"p. {e.passage.cited_page}")
        where.append(f"[¶ {e.passage.order}]({base}{e.passage.get_absolute_url()})")
        if e.passage.paper_id != paper.pk:
            other = e.passage.paper
            where.append(_("出自《%(title)s》") % {"title": md_escape(str(other.display_title))})
    else:
        where.append(_("（原文位置已失效）"))
    parts.append(" · ".join(where))
    return "\n\n".join(parts)


def _claim(claim: Claim, *, paper: Paper, visible_papers: set[int], base: str) -> list[str]:
    out = ["", f"### {md_escape(' '.join(claim.statement.split()))}", ""]
    out.append(
        " · ".join(
            [
                str(claim.get_kind_display()),
                str(claim.get_status_display()),
                f"[{_('在探源中打开')}]({base}{claim.get_absolute_url()})",
            ]
        )
    )
    shown = [e for e in claim.evidence.all() if e.passage is None or e.passage.paper_id in visible_papers]
    for stance in Stance:
        group = [e for e in shown if e.stance == stance.value]
        if not group:
            continue
        out += ["", f"**{stance.label}**（{len(group)}）"]
        for e in group:
            out += ["", _evidence(e, paper=paper, base=base)]
    if not shown:
        out += ["", _("（尚无证据）")]
    return out


def paper_notes_markdown(*, paper: Paper, user, base: str = "") -> str:
    """``paper``'s annotations and claims visible to ``user`` as one Markdown document (see above).

    ``base``: scheme and host for the links (relative links without it)."""
    title = _("笔记与主张：%(title)s") % {"title": str(paper.display_title)}
    annotations = list(selectors.paper_annotations(paper=paper, user=user).only("pk"))
    if annotations:
        head = notes_markdown(annotations=annotations, user=user, base=base, title=title).rstrip()
    else:
        head = "\n".join(
            [
                f"# {md_escape(title)}",
                "",
                reference_markdown(paper),
                "",
                f"[{_('在探源中打开')}]({base}{paper.get_absolute_url()})",
                "",
                _("（没有你可见的批注）"),
            ]
        )
    claims = selectors.paper_claims(paper=paper, user=user)
    other_papers = {e.passage.paper_id for c in claims for e in c.evidence.all() if e.passage is not None} - {
        paper.pk
    }
    visible = {paper.pk} | (
        selectors.visible_paper_ids(paper_ids=other_papers, user=user) if other_papers else set()
    )
    out = [head, "", f"## {_('主张')}"]
    for claim in claims:
        out += _claim(claim, paper=paper, visible_papers=visible, base=base)
    if not claims:
        out += ["", _("（没有你可见的主张）")]
    return "\n".join(out).rstrip() + "\n"
