"""Reading annotation files: the Hypothesis client's export, the Hypothesis API and W3C JSON-LD.

``load_json`` turns the uploaded bytes into JSON (bounded size, UTF-8 with or
without BOM, the line and column of a syntax error). ``parse_annotations``
recognises the format by content, not by file name:

- the Hypothesis client's export file: ``{"export_date", "export_userid",
  "annotations": [...]}``;
- the Hypothesis API search result: ``{"total": n, "rows": [...]}``;
- W3C Web Annotation: one annotation, a list, an ``AnnotationPage``
  (``items``) or an ``AnnotationCollection`` with its first page embedded
  (what this site exports).

Each item becomes a ``SourceNote``: its source id (a content hash when it has
none, so that re-importing still matches), original creator and dates, body,
tags, highlight colour, quote (TextQuoteSelector, with TextPositionSelector as
a hint) and what it answers (Hypothesis ``references``: the last id is the
parent; W3C: a target that is another annotation's IRI). An item that cannot
be read carries ``error`` and is reported, never dropped silently.

Pure: no models, no requests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kb.lib.usertext import clean_text, has_control

MAX_BYTES = 5 * 1024 * 1024
MAX_ANNOTATIONS = 5_000
MAX_ID_LENGTH = 200  # Annotation.source_id

HYPOTHESIS_EXPORT, HYPOTHESIS_API, W3C = "hypothesis-export", "hypothesis-api", "w3c"
FORMAT_LABELS = {
    HYPOTHESIS_EXPORT: _("Hypothesis 导出文件"),
    HYPOTHESIS_API: _("Hypothesis API 搜索结果"),
    W3C: _("W3C Web Annotation"),
}
HYPOTHESIS_NAME, W3C_NAME = "Hypothesis", "W3C"  # Annotation.source_name

TOO_LARGE = _("文件过大：最多 %(mb)d MB。")
NOT_UTF8 = _("文件不是 UTF-8 编码的 JSON。")
BAD_JSON = _("JSON 格式错误：第 %(line)d 行第 %(column)d 列：%(message)s")
NOT_ANNOTATIONS = _("文件中没有可识别的批注。")
TOO_MANY = _("文件中有 %(count)d 条批注，超过上限 %(max)d 条，请拆分后再导入。")
EMBEDDED_PAGE_MISSING = _("该 AnnotationCollection 没有内嵌批注页（first 只是链接）。")
INVALID = _("格式无效：%(detail)s")
NOT_AN_OBJECT = _("不是 JSON 对象")
NO_QUOTE = _("没有 TextQuoteSelector 引文")
CONTROL = _("含有不允许的控制字符")

COLOR_TAG = "color:"


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class SourceNote:
    index: int  # position in the file, from 0
    source_name: str = ""
    source_id: str = ""
    creator: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    body: str = ""
    tags: list[str] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)  # styleClass and ``color:`` tag values, in order
    quote: Quote | None = None
    parent_ref: str = ""  # the source id this item answers ("" for none)
    is_reply: bool = False  # declared a reply (Hypothesis references, W3C motivation "replying")
    document: str = ""  # the document's title or URI, as the file names it
    error: str = ""


@dataclass
class Parsed:
    format: str
    notes: list[SourceNote]

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(n.document for n in self.notes if n.document))


def load_json(raw: bytes):
    """``raw`` as JSON; ``ValidationError`` with a message a person can act on."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(TOO_LARGE % {"mb": MAX_BYTES // 2**20}, code="size")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_UTF8, code="encoding") from None
    if not text.strip():
        raise ValidationError(NOT_ANNOTATIONS, code="format")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        params = {"line": exc.lineno, "column": exc.colno, "message": exc.msg}
        raise ValidationError(BAD_JSON % params, code="json") from None
    except RecursionError:
        raise ValidationError(
            BAD_JSON % {"line": 1, "column": 1, "message": "too deep"}, code="json"
        ) from None


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _container(data) -> tuple[str, list]:
    if isinstance(data, list):
        return W3C, data
    if not isinstance(data, dict):
        raise ValidationError(NOT_ANNOTATIONS, code="format")
    if isinstance(data.get("annotations"), list):
        return HYPOTHESIS_EXPORT, data["annotations"]
    if isinstance(data.get("rows"), list):
        return HYPOTHESIS_API, data["rows"]
    if "items" in data:  # AnnotationPage
        return W3C, as_list(data["items"])
    if "first" in data:  # AnnotationCollection
        if not isinstance(data["first"], dict):
            raise ValidationError(EMBEDDED_PAGE_MISSING, code="format")
        return W3C, as_list(data["first"].get("items"))
    if "target" in data:
        return W3C, [data]
    raise ValidationError(NOT_ANNOTATIONS, code="format")


def parse_annotations(data) -> Parsed:
    """The annotations of ``data`` (see the module docstring); refuses a file that is none."""
    fmt, items = _container(data)
    if len(items) > MAX_ANNOTATIONS:
        raise ValidationError(TOO_MANY % {"count": len(items), "max": MAX_ANNOTATIONS}, code="too_many")
    return Parsed(fmt, [parse_item(index, item) for index, item in enumerate(items)])


def _is_hypothesis(item: dict) -> bool:
    return any(key in item for key in ("user", "references", "uri", "text")) and "body" not in item


def parse_item(index: int, item) -> SourceNote:
    if not isinstance(item, dict):
        return SourceNote(index, error=str(INVALID % {"detail": NOT_AN_OBJECT}))
    hypothesis = _is_hypothesis(item)
    note = SourceNote(index, source_name=HYPOTHESIS_NAME if hypothesis else W3C_NAME)
    note.source_id = _source_id(item)
    try:
        _check_controls(item)
        if hypothesis:
            _read_hypothesis(item, note)
        else:
            _read_w3c(item, note)
        note.body = clean_text(note.body, limit="body")
        note.colors, note.tags = _colors(item, note.tags)
    except ValidationError as exc:
        note.error = str(INVALID % {"detail": exc.messages[0]})
    return note


def _check_controls(data) -> None:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and has_control(item):
            raise ValidationError(CONTROL, code="control_chars")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _source_id(item: dict) -> str:
    raw = item.get("id")
    if isinstance(raw, str | int) and str(raw).strip() and len(str(raw).strip()) <= MAX_ID_LENGTH:
        return str(raw).strip()
    # No usable id: the content itself, so that the same file imported again still matches.
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _date(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _account(user: str) -> str:
    """``acct:name@hypothes.is`` → ``name``; another authority keeps its domain."""
    name = user.removeprefix("acct:")
    return name.removesuffix("@hypothes.is")


def _quote(targets: list) -> Quote | None:
    quote = position = None
    for target in targets:
        if not isinstance(target, dict):
            continue
        for selector in as_list(target.get("selector")):
            if not isinstance(selector, dict):
                continue
            if selector.get("type") == "TextQuoteSelector" and quote is None:
                quote = selector
            elif selector.get("type") == "TextPositionSelector" and position is None:
                position = selector
    if quote is None:
        return None
    position = position or {}
    return Quote(
        exact=str(quote.get("exact") or ""),
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        start=_int(position.get("start")),
        end=_int(position.get("end")),
    )


def _has_selector(targets: list) -> bool:
    return any(isinstance(t, dict) and t.get("selector") for t in targets)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _read_hypothesis(item: dict, note: SourceNote) -> None:
    info = _dict(item.get("user_info"))
    note.creator = _text(info.get("display_name")).strip() or _account(_text(item.get("user")))
    note.created, note.updated = _date(item.get("created")), _date(item.get("updated"))
    note.body = _text(item.get("text"))
    note.tags = [str(t) for t in as_list(item.get("tags")) if isinstance(t, str | int)]
    references = [str(r) for r in as_list(item.get("references")) if isinstance(r, str | int)]
    if references:
        note.is_reply, note.parent_ref = True, references[-1]
    document = _dict(item.get("document"))
    title = as_list(document.get("title"))
    note.document = (_text(title[0]) if title else "") or _text(item.get("uri"))
    targets = as_list(item.get("target"))
    if not note.is_reply:
        note.quote = _quote(targets)
        _check_quote(note, targets)


def _read_w3c(item: dict, note: SourceNote) -> None:
    creators = as_list(item.get("creator"))
    first = creators[0] if creators else ""
    if isinstance(first, dict):
        first = first.get("name") or first.get("nickname") or first.get("id") or ""
    note.creator = _text(first).strip()
    note.created = _date(item.get("created"))
    note.updated = _date(item.get("modified")) or note.created
    texts, tags = [_text(item.get("bodyValue"))], list[str]()
    for body in as_list(item.get("body")):
        if isinstance(body, str):
            texts.append(body)
        elif isinstance(body, dict) and isinstance(body.get("value"), str):
            (tags if body.get("purpose") == "tagging" else texts).append(body["value"])
    note.body, note.tags = "\n\n".join(t for t in texts if t.strip()), tags
    targets = as_list(item.get("target"))
    refs = [t for t in targets if isinstance(t, str)]
    refs += [t["id"] for t in targets if isinstance(t, dict) and isinstance(t.get("id"), str)]
    note.is_reply = item.get("motivation") == "replying"
    if refs and not _has_selector(targets):
        note.parent_ref = refs[0]  # an annotation's IRI, or a document's: the service tells which
    else:
        sources = [t.get("source") for t in targets if isinstance(t, dict)]
        note.document = next((s for s in sources if isinstance(s, str)), "")
        note.quote = _quote(targets)
        _check_quote(note, targets)


def _check_quote(note: SourceNote, targets: list) -> None:
    """A target with selectors must quote the text; without any it is a page note."""
    if note.quote is not None and note.quote.exact.strip():
        return
    if note.quote is not None or _has_selector(targets):
        raise ValidationError(NO_QUOTE, code="no_quote")
    note.quote = None


def _colors(item: dict, tags: list[str]) -> tuple[list[str], list[str]]:
    """The highlight colours named (target ``styleClass``, ``color:…`` tags) and the other tags;
    the caller keeps the first it knows."""
    classes = [
        str(c).strip().lower()
        for target in as_list(item.get("target"))
        if isinstance(target, dict)
        for c in as_list(target.get("styleClass"))
    ]
    rest = [t for t in tags if not t.strip().lower().startswith(COLOR_TAG)]
    classes += [t.strip().lower()[len(COLOR_TAG) :].strip() for t in tags if t not in rest]
    return classes, rest
