"""Importing a SKOS thesaurus (JSON-LD): preview what it would do, then apply it in one transaction.

``thesaurus_import_preview`` reads the file (``kb.lib.skos_import``) and plans, per concept:
*create*; *update* (labels, aliases, definition, broader and related links, each shown
old → new); *skip* with the reason (nothing new, a duplicate in the file); or *error*
(it cannot be imported: no Chinese label, no IRI). A concept is matched to one already
present by IRI (``KB_BASE_URL`` + its path gives the slug, so our own export comes back
onto the same concepts), then by its Chinese label folded (NFKC, traditional → simplified,
case). Nothing is ever removed: aliases and links are added to those present; a new
Chinese label is a rename and the old one stays as an alias.

Links that SKOS forbids are refused per concept and reported: a broader concept that
would make a cycle, a related concept that is above or below it in the hierarchy (also
through other concepts). Applying the plan, and keeping the file between the preview and
the apply: ``kb.services.concepts.skos_apply``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kb.lib.conceptmatch import fold_term
from kb.lib.roles import is_editor
from kb.lib.skos_import import (
    SKOS_JSONLD,
    TANYUAN,
    ParsedConcept,
    SkosImportError,
    detect_format,
    loads,
    parse_skos,
)
from kb.models import Concept
from kb.selectors.skos import slug_from_iri
from kb.services.concepts.editing import CONCEPT_RELATED_HIERARCHY

CREATE, UPDATE, SKIP, ERROR = "create", "update", "skip", "error"
LINK_ONLY = "link-only"  # while planning: a concept not in the file that gains a narrower one
MAX_BYTES = 5 * 2**20

ERROR_TOO_LARGE = _("文件超过 %(mb)d MB。")
ERROR_ENCODING = _("文件不是 UTF-8 编码的文本。")
ERROR_FORMAT = _("无法识别为 SKOS 词表：请上传 JSON-LD 格式的 SKOS 概念体系（如本站导出的 skos.jsonld）。")
ERROR_OUR_FORMAT = _("这是探源自带的词表格式（thesaurus.json），请用命令 manage.py load_thesaurus 导入。")
ERROR_EXPIRED = _("预览已过期或不存在，请重新上传词表文件。")
ERROR_CYCLE = _("上位概念“{label}”会造成循环（它已是本概念的下位概念）。")
ERROR_UNKNOWN_LINK = _("链接的概念 {iri} 既不在文件中，也不在词表里，已忽略。")
SKIP_UNCHANGED = _("与已有概念相同，没有新内容。")
SKIP_DUPLICATE = _("与文件中第 {index} 个概念对应同一概念。")
SKIP_MERGED = _("已有概念“{label}”已合并到“{target}”，改为更新后者。")

FIELD_LABELS = {
    "label_zh": _("中文名"),
    "label_en": _("英文名"),
    "aliases": _("别名"),
    "definition": _("定义"),
    "broader": _("上位概念"),
    "related": _("相关概念"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])


@dataclass
class Action:
    concept: ParsedConcept
    kind: str
    existing: Concept | None = None
    matched_by: str = ""  # "iri" or "label"
    slug: str = ""
    changes: list[Change] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # field → the value concept_update receives
    add_broader: list[tuple] = field(default_factory=list)  # keys: ("c", pk) or ("n", index)
    add_related: list[tuple] = field(default_factory=list)
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return ("c", self.existing.pk) if self.existing else ("n", self.concept.index)


@dataclass
class ImportPlan:
    actions: list[Action]
    truncated: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in (CREATE, UPDATE, SKIP, ERROR)}

    @property
    def writes(self) -> int:
        return self.count(CREATE) + self.count(UPDATE)

    @property
    def problems(self) -> list[tuple[int, str]]:
        """(position in the file, message) of every error, for the report."""
        out = [(a.concept.index, a.reason) for a in self.actions if a.kind == ERROR]
        out += [(a.concept.index, e) for a in self.actions if a.kind != ERROR for e in a.errors]
        return sorted(out)


def require_editor(user) -> None:
    if user is not None and not is_editor(user):
        raise PermissionDenied


def parse_thesaurus_file(data: bytes | str):
    """The JSON-LD document of ``data`` (``ValidationError`` when it is not a SKOS file)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(ERROR_ENCODING, code="encoding") from None
    try:
        document = loads(data)
    except SkosImportError as exc:
        raise ValidationError(str(exc), code="format") from None
    fmt = detect_format(document)
    if fmt == TANYUAN:
        raise ValidationError(ERROR_OUR_FORMAT, code="format")
    if fmt != SKOS_JSONLD:
        raise ValidationError(ERROR_FORMAT, code="format")
    try:
        return parse_skos(document)
    except SkosImportError as exc:
        raise ValidationError(str(exc), code="format") from None


# -- the plan ---------------------------------------------------------------------------------


def _joined(values) -> str:
    return "、".join(values)


def _new_slug(concept: ParsedConcept, taken: set[str]) -> str:
    for candidate in (slug_from_iri(concept.iri) or "", concept.notation):
        if candidate and slugify(candidate, allow_unicode=True) == candidate and candidate not in taken:
            return candidate
    return ""  # concept_create makes one from the labels


def _field_changes(action: Action) -> None:
    pc, old = action.concept, action.existing
    aliases = list(old.aliases or [])
    if action.matched_by == "iri" and pc.label_zh != old.label_zh:
        action.changes.append(Change("label_zh", old.label_zh, pc.label_zh))
        action.values["label_zh"] = pc.label_zh
        aliases.append(old.label_zh)  # a rename: text that says the old name still mentions it
    if pc.label_en and pc.label_en != old.label_en:
        action.changes.append(Change("label_en", old.label_en, pc.label_en))
        action.values["label_en"] = pc.label_en
        if old.label_en:
            aliases.append(old.label_en)
    known = {fold_term(t) for t in (pc.label_zh, pc.label_en, *aliases) if t}
    for alias in pc.aliases:
        if fold_term(alias) not in known:
            known.add(fold_term(alias))
            aliases.append(alias)
    if aliases != list(old.aliases or []):
        kept = [a for a in aliases if fold_term(a) not in {fold_term(pc.label_zh), fold_term(pc.label_en)}]
        if kept != list(old.aliases or []):
            action.changes.append(Change("aliases", _joined(old.aliases or []), _joined(kept)))
            action.values["aliases"] = kept
    if pc.definition and pc.definition != old.definition:
        action.changes.append(Change("definition", old.definition, pc.definition))
        action.values["definition"] = pc.definition


def _match(actions_by_existing: dict, pc: ParsedConcept, index) -> Action:
    by_slug, by_label, by_pk = index
    existing, matched_by = None, ""
    slug = slug_from_iri(pc.iri) if pc.iri else None
    if slug and slug in by_slug:
        existing, matched_by = by_slug[slug], "iri"
    elif fold_term(pc.label_zh) in by_label:
        existing, matched_by = by_label[fold_term(pc.label_zh)], "label"
    notes = list(pc.notes)
    while existing is not None and existing.merged_into_id:
        target = by_pk[existing.merged_into_id]
        notes.append(str(SKIP_MERGED).format(label=existing.label_zh, target=target.label_zh))
        existing = target
    if existing is None:
        return Action(concept=pc, kind=CREATE, notes=notes)
    if existing.pk in actions_by_existing:
        first = actions_by_existing[existing.pk]
        return Action(
            concept=pc,
            kind=SKIP,
            existing=existing,
            reason=str(SKIP_DUPLICATE).format(index=first.concept.index),
        )
    action = Action(concept=pc, kind=UPDATE, existing=existing, matched_by=matched_by, notes=notes)
    actions_by_existing[existing.pk] = action
    return action


class _Graph:
    """The broader hierarchy as it will be: the database's links plus the planned ones."""

    def __init__(self, edges):
        self.up: dict[tuple, set[tuple]] = {}
        for child, parent in edges:
            self.up.setdefault(("c", child), set()).add(("c", parent))

    def above(self, key: tuple) -> set[tuple]:
        seen: set[tuple] = set()
        stack = list(self.up.get(key, ()))
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(self.up.get(node, ()))
        return seen

    def add(self, child: tuple, parent: tuple) -> None:
        self.up.setdefault(child, set()).add(parent)


def _plan_links(actions: list[Action], by_slug: dict, by_pk: dict) -> None:
    live = [a for a in actions if a.kind in (CREATE, UPDATE)]
    by_iri = {a.concept.iri: a for a in live if a.concept.iri}
    labels = {a.key: a.concept.label_zh for a in live}
    labels.update({("c", pk): c.label_zh for pk, c in by_pk.items()})

    def resolve(iri: str, action: Action) -> tuple | None:
        if iri in by_iri:
            return by_iri[iri].key
        slug = slug_from_iri(iri)
        concept = by_slug.get(slug) if slug else None
        while concept is not None and concept.merged_into_id:
            concept = by_pk[concept.merged_into_id]
        if concept is None:
            action.notes.append(str(ERROR_UNKNOWN_LINK).format(iri=iri))
            return None
        return ("c", concept.pk)

    graph = _Graph(Concept.broader.through.objects.values_list("from_concept_id", "to_concept_id"))
    broader: list[tuple[Action, tuple]] = []
    related: list[tuple[Action, tuple]] = []
    for action in live:
        for iri in action.concept.broader:
            if (target := resolve(iri, action)) is not None:
                broader.append((action, target))
        for iri in action.concept.narrower:
            if (child := resolve(iri, action)) is not None:
                owner = next((a for a in live if a.key == child), None)
                if owner is None:  # a concept of ours the file names only as narrower
                    existing = by_pk[child[1]]
                    stub = ParsedConcept(index=action.concept.index, iri="", label_zh=existing.label_zh)
                    owner = Action(concept=stub, kind=LINK_ONLY, existing=existing, matched_by="iri")
                    actions.append(owner)
                    live.append(owner)
                broader.append((owner, action.key))
        for iri in action.concept.related:
            if (other := resolve(iri, action)) is not None:
                related.append((action, other))
    seen: set[tuple] = set()
    for action, target in broader:
        if (action.key, target) in seen or target in graph.up.get(action.key, set()):
            continue
        seen.add((action.key, target))
        if target == action.key or action.key in graph.above(target):
            action.errors.append(str(ERROR_CYCLE).format(label=labels.get(target, "")))
            continue
        graph.add(action.key, target)
        action.add_broader.append(target)
    existing_related = {
        frozenset((("c", a), ("c", b)))
        for a, b in Concept.related.through.objects.values_list("from_concept_id", "to_concept_id")
    }
    for action, other in related:
        pair = frozenset((action.key, other))
        if other == action.key or pair in existing_related or pair in seen:
            continue
        seen.add(pair)
        if other in graph.above(action.key) or action.key in graph.above(other):
            action.errors.append(str(CONCEPT_RELATED_HIERARCHY).format(label=labels.get(other, "")))
            continue
        action.add_related.append(other)
    for action in live:
        for name, keys in (("broader", action.add_broader), ("related", action.add_related)):
            if keys and action.existing is not None:
                old = [c.label_zh for c in getattr(action.existing, name).all()]
                action.changes.append(Change(name, _joined(old), _joined([*old, *(labels[k] for k in keys)])))
    for action in list(actions):
        if action.kind == LINK_ONLY:
            if action.changes:
                action.kind = UPDATE
            else:
                actions.remove(action)


def thesaurus_import_preview(*, data: bytes | str, user=None) -> ImportPlan:
    """What importing ``data`` would do, concept by concept. Writes nothing."""
    require_editor(user)
    parsed = parse_thesaurus_file(data)
    concepts = list(Concept.objects.prefetch_related("broader", "related"))
    by_pk = {c.pk: c for c in concepts}
    by_slug = {c.slug: c for c in concepts}
    by_label = {fold_term(c.label_zh): c for c in concepts if not c.merged_into_id}
    actions: list[Action] = []
    actions_by_existing: dict[int, Action] = {}
    new_labels: dict[str, Action] = {}
    taken = set(by_slug)
    for pc in parsed.concepts:
        if pc.errors:
            actions.append(Action(concept=pc, kind=ERROR, reason="；".join(pc.errors)))
            continue
        action = _match(actions_by_existing, pc, (by_slug, by_label, by_pk))
        if action.kind == CREATE:
            folded = fold_term(pc.label_zh)
            if folded in new_labels:
                action.kind = SKIP
                action.reason = str(SKIP_DUPLICATE).format(index=new_labels[folded].concept.index)
            else:
                new_labels[folded] = action
                action.slug = _new_slug(pc, taken)
                taken.add(action.slug)
        elif action.kind == UPDATE:
            _field_changes(action)
        actions.append(action)
    _plan_links(actions, by_slug, by_pk)
    for action in actions:
        if action.kind == UPDATE and not action.changes:  # refused links stay listed as errors
            action.kind, action.reason = SKIP, str(SKIP_UNCHANGED)
    actions.sort(key=lambda a: a.concept.index)
    return ImportPlan(actions=actions, truncated=parsed.truncated)
