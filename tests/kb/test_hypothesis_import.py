"""Importing Hypothesis exports, Hypothesis API results and W3C collections (kb.services.w3c_import).

The fixture ``data/hypothesis_export.json`` is shaped like the Hypothesis client's own
export: a highlight, a comment with tags, a reply thread two deep, a page note, a quote
broken by PDF spacing, a traditional-script quote, a quote no longer in the text, a reply
whose parent is not in the file, and an item that is not an annotation.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kb.lib import annotation_formats as formats
from kb.models import AnchorStatus, Annotation, Motivation
from kb.services import annotations as annotation_services
from kb.services import w3c as w3c_export
from kb.services import w3c_import as services
from kb.services.audiences import PUBLIC_NEEDS_EDITOR
from tests import factories as f

EXPORT = json.loads((Path(__file__).parent / "data" / "hypothesis_export.json").read_text(encoding="utf-8"))
TEXTS = [
    ("heading", "一、数字鸿沟的内涵"),
    (
        "paragraph",
        "数字鸿沟是数字时代社会不平等的新形态。接入鸿沟、使用鸿沟与知识鸿沟层层递进，共同塑造了数字红利的分配格局。",
    ),
    ("heading", "二、弥合路径"),
    (
        "paragraph",
        "弥合数字鸿沟是实现共同富裕的重要路径。数字基础设施的普及为农村居民提供了参与数字经济的机会。",
    ),
]


def _paper(title="数字鸿沟与共同富裕——基于城乡比较的研究"):
    paper = f.PaperFactory(title=title, year=2026)
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0, number="一、", heading="数字鸿沟的内涵")
    f.passages_for(revision, [(kind, section, text) for kind, text in TEXTS], page=3)
    return paper


@pytest.fixture
def paper(db):
    return _paper()


def _summary(report) -> dict:
    return {
        "anchored": [i.index for i in report.anchored],
        "orphaned": [i.index for i in report.orphaned],
        "page_notes": [i.index for i in report.page_notes],
        "replies": [i.index for i in report.replies],
        "skipped": [(i.index, i.reason) for i in report.skipped],
    }


def _by_source(source_id: str) -> Annotation:
    return Annotation.objects.get(source_id=source_id)


# --- the Hypothesis client's export ------------------------------------------------


def test_hypothesis_export_is_imported_with_threads_page_notes_and_provenance(paper, scholar):
    report = services.annotations_import(paper=paper, data=EXPORT, user=scholar)
    assert report.format == formats.HYPOTHESIS_EXPORT
    assert _summary(report) == {
        "anchored": [0, 1, 5, 6],
        "orphaned": [7],
        "page_notes": [4],
        "replies": [2, 3],
        "skipped": [
            (8, str(services.PARENT_MISSING)),
            (9, str(formats.INVALID % {"detail": formats.NOT_AN_OBJECT})),
        ],
    }
    assert report.documents == ["数字鸿沟与共同富裕——基于城乡比较的研究", "數字鴻溝與共同富裕"]
    text = paper.revisions.get().text

    highlight = _by_source("Xp3kZm2AEe-hl000000001")
    assert highlight.motivation == Motivation.HIGHLIGHTING and highlight.body == ""
    assert text[highlight.start : highlight.end] == "接入鸿沟、使用鸿沟与知识鸿沟"
    assert highlight.passage.order == 1 and highlight.anchor_status == AnchorStatus.ANCHORED

    comment = _by_source("Xp3kZm2AEe-cm000000002")
    assert (comment.exact, comment.tag_list, comment.passage.order) == ("共同富裕", ["共同富裕", "机制"], 3)
    assert "<strong>共同富裕</strong>" in comment.body_html
    # The importing user owns it; the original author and date are kept beside.
    assert (comment.creator, comment.source_name, comment.source_creator) == (scholar, "Hypothesis", "王晓丽")
    assert comment.source_created.isoformat() == "2026-11-20T07:25:02+00:00"
    assert comment.visibility == "private"

    first, second = _by_source("Yq1aBc3DEe-rp000000003"), _by_source("Yq1aBc3DEe-rp000000004")
    # Both replies join the root's thread (the last reference is the parent; threads are flat here).
    assert first.parent == comment and second.parent == comment
    assert (first.source_creator, first.motivation) == ("lihua", Motivation.REPLYING)
    assert first.passage is None and first.visibility == comment.visibility

    note = _by_source("Zr7pQw9XEe-pn000000005")
    assert (note.paper, note.passage, note.exact, note.tag_list) == (paper, None, "", ["综述"])
    assert note.anchor_status == AnchorStatus.ANCHORED and note.motivation == Motivation.COMMENTING

    spaced = _by_source("Xp3kZm2AEe-sp000000006")
    assert spaced.exact == "数字基础设施的普及为农村居民" == text[spaced.start : spaced.end]

    traditional = _by_source("Xp3kZm2AEe-tc000000007")
    assert traditional.exact == "参与数字经济的机会" and traditional.passage.order == 3
    assert traditional.source_creator == "陳大文" and traditional.tag_list == ["數位經濟"]

    orphan = report.orphaned[0]
    assert (orphan.quote, orphan.reason) == ("人工智能伦理的治理框架", services.QUOTE_NOT_FOUND)
    kept = orphan.annotation
    assert (kept.anchor_status, kept.exact, kept.prefix, kept.passage) == (
        AnchorStatus.ORPHANED,
        "人工智能伦理的治理框架",
        "本文最后讨论",
        None,
    )
    assert Annotation.objects.count() == 8


def test_importing_the_same_file_again_changes_nothing(paper, scholar):
    first = services.annotations_import(paper=paper, data=EXPORT, user=scholar)
    before = sorted(Annotation.objects.values_list("pk", "body", "updated_at"))
    again = services.annotations_import(paper=paper, data=copy.deepcopy(EXPORT), user=scholar)
    assert again.total == first.total == 10 and again.imported == 0
    assert sorted(Annotation.objects.values_list("pk", "body", "updated_at")) == before
    reasons = {i.index: i.reason for i in again.skipped}
    assert [i for i, r in reasons.items() if r == str(services.ALREADY_IMPORTED)] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert reasons[8] == str(services.PARENT_MISSING)


def test_a_newer_version_in_the_source_is_reported_but_does_not_overwrite(paper, scholar):
    services.annotations_import(paper=paper, data=EXPORT, user=scholar)
    newer = copy.deepcopy(EXPORT)
    newer["annotations"][1]["updated"] = "2099-01-01T00:00:00+00:00"
    newer["annotations"][1]["text"] = "改过的评论"
    report = services.annotations_import(paper=paper, data=newer, user=scholar)
    assert (report.skipped[1].index, report.skipped[1].reason) == (1, str(services.ALREADY_IMPORTED_NEWER))
    assert _by_source("Xp3kZm2AEe-cm000000002").body.startswith("**共同富裕**")


def test_a_reply_finds_a_parent_imported_earlier(paper, scholar):
    roots = {**EXPORT, "annotations": EXPORT["annotations"][:2]}
    services.annotations_import(paper=paper, data=roots, user=scholar)
    replies = {**EXPORT, "annotations": EXPORT["annotations"][2:4]}
    report = services.annotations_import(paper=paper, data=replies, user=scholar)
    assert _summary(report)["replies"] == [0, 1]
    assert {r.parent.source_id for r in (i.annotation for i in report.replies)} == {"Xp3kZm2AEe-cm000000002"}


def test_each_user_gets_their_own_copy_but_nothing_they_can_already_see_twice(paper, scholar, editor):
    f.UserFactory(username="scholar2", role="Scholar")
    other = type(scholar).objects.get(username="scholar2")
    services.annotations_import(paper=paper, data=EXPORT, user=scholar)  # private: others cannot see it
    mine = services.annotations_import(paper=paper, data=EXPORT, user=other)
    assert mine.imported == 8 and Annotation.objects.filter(creator=other).count() == 8
    services.annotations_import(paper=paper, data=EXPORT, user=editor, visibility="public")
    seen = services.annotations_import(paper=paper, data=EXPORT, user=f.UserFactory(role="Scholar"))
    assert seen.imported == 0  # the editor's public copies are already there for everyone


def test_the_preview_reports_the_same_and_saves_nothing(paper, scholar):
    preview = services.annotations_import(paper=paper, data=EXPORT, user=scholar, dry_run=True)
    assert preview.dry_run and not Annotation.objects.exists()
    applied = services.annotations_import(paper=paper, data=EXPORT, user=scholar)
    assert _summary(preview) == _summary(applied)


# --- the Hypothesis API search format and W3C --------------------------------------------


def test_hypothesis_api_search_rows(paper, editor):
    rows = [EXPORT["annotations"][1], EXPORT["annotations"][2], EXPORT["annotations"][4]]
    report = services.annotations_import(
        paper=paper, data={"total": 3, "rows": rows}, user=editor, visibility="editors"
    )
    assert report.format == formats.HYPOTHESIS_API
    assert _summary(report) == {
        "anchored": [0],
        "orphaned": [],
        "page_notes": [2],
        "replies": [1],
        "skipped": [],
    }
    assert set(Annotation.objects.values_list("visibility", flat=True)) == {"editors"}


def test_w3c_collection_round_trip_into_another_paper_and_user(paper, editor, scholar):
    passage = paper.passages.get(order=3)
    root = annotation_services.annotation_create(
        user=editor,
        passage=passage,
        start=None,
        end=None,
        exact="共同富裕",
        body="目标",
        tags=["共同富裕"],
        visibility="public",
        color="green",
    )
    annotation_services.annotation_reply(user=editor, parent=root, body="补充一条")
    collection = w3c_export.annotation_collection(
        annotations=Annotation.objects.order_by("pk"), base="https://kb.example", collection_id="x", label="x"
    )
    target = _paper(title="另一份同文的论文")
    data = json.loads(json.dumps(collection))
    report = services.annotations_import(paper=target, data=data, user=scholar)
    assert report.format == formats.W3C
    assert _summary(report) == {
        "anchored": [0],
        "orphaned": [],
        "page_notes": [],
        "replies": [1],
        "skipped": [],
    }
    copy_root, copy_reply = report.anchored[0].annotation, report.replies[0].annotation
    assert (copy_root.paper, copy_root.creator, copy_root.exact, copy_root.color) == (
        target,
        scholar,
        "共同富裕",
        "green",
    )
    assert (copy_root.start, copy_root.end, copy_root.tag_list) == (root.start, root.end, ["共同富裕"])
    assert (
        copy_root.source_name == "W3C" and copy_root.source_id == f"https://kb.example/annotations/{root.pk}/"
    )
    assert copy_root.source_creator == editor.get_username()
    assert copy_root.source_created.replace(microsecond=0) == root.created_at.replace(microsecond=0)
    assert copy_reply.parent == copy_root and copy_reply.body == "补充一条"
    again = services.annotations_import(paper=target, data=data, user=scholar)
    assert again.imported == 0 and [i.reason for i in again.skipped] == [str(services.ALREADY_IMPORTED)] * 2


def test_w3c_items_without_ids_still_import_once(paper, scholar):
    item = {"type": "Annotation", "target": {"selector": {"type": "TextQuoteSelector", "exact": "知识鸿沟"}}}
    assert services.annotations_import(paper=paper, data=[item], user=scholar).imported == 1
    assert services.annotations_import(paper=paper, data=[item], user=scholar).imported == 0
    assert Annotation.objects.get().source_id.startswith("sha256:")


# --- bounds, bad input, permissions --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"{not json",
            formats.BAD_JSON
            % {"line": 1, "column": 2, "message": "Expecting property name enclosed in double quotes"},
        ),
        ('{"a": 1}'.encode("gbk") + "批注".encode("gbk"), formats.NOT_UTF8),
        (b'{"foo": 1}', formats.NOT_ANNOTATIONS),
        (b"   ", formats.NOT_ANNOTATIONS),
        (b'{"type": "AnnotationCollection", "first": "https://x/page1"}', formats.EMBEDDED_PAGE_MISSING),
        (b"x" * (formats.MAX_BYTES + 1), formats.TOO_LARGE % {"mb": 5}),
        (
            json.dumps({"rows": [{}] * (formats.MAX_ANNOTATIONS + 1)}).encode(),
            formats.TOO_MANY % {"count": formats.MAX_ANNOTATIONS + 1, "max": formats.MAX_ANNOTATIONS},
        ),
    ],
)
def test_bad_files_are_refused_with_a_message(paper, scholar, raw, message):
    with pytest.raises(ValidationError) as exc:
        services.annotations_import_file(paper=paper, raw=raw, user=scholar)
    assert exc.value.messages == [str(message)]
    assert not Annotation.objects.exists()


def test_a_bad_annotation_does_not_stop_the_others(paper, scholar):
    good = EXPORT["annotations"][1]
    too_long = {**EXPORT["annotations"][0], "id": "long", "text": "长" * 20_001}
    control = {**EXPORT["annotations"][0], "id": "ctl", "text": "坏\x00字符"}
    no_quote = {
        **EXPORT["annotations"][0],
        "id": "range",
        "target": [{"selector": [{"type": "RangeSelector"}]}],
    }
    report = services.annotations_import(
        paper=paper, data={"annotations": [too_long, good, control, no_quote]}, user=scholar
    )
    assert [i.index for i in report.anchored] == [1]
    reasons = [i.reason for i in report.skipped]
    assert reasons[0].startswith("格式无效：内容过长") and len(reasons) == 3
    assert reasons[1:] == [
        str(formats.INVALID % {"detail": formats.CONTROL}),
        str(formats.INVALID % {"detail": formats.NO_QUOTE}),
    ]


def test_a_bom_is_accepted(paper, scholar):
    raw = "\ufeff".encode() + json.dumps(EXPORT, ensure_ascii=False).encode("utf-8")
    assert services.annotations_import_file(paper=paper, raw=raw, user=scholar).imported == 8


def test_who_may_import_what(paper, scholar, editor):
    with pytest.raises(PermissionDenied) as exc:
        services.annotations_import(paper=paper, data=EXPORT, user=scholar, visibility="public")
    assert str(exc.value) == str(PUBLIC_NEEDS_EDITOR)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.annotations_import(paper=paper, data=EXPORT, user=AnonymousUser())
    report = services.annotations_import(paper=paper, data=EXPORT, user=editor, visibility="public")
    assert {a.visibility for a in Annotation.objects.all()} == {"public"} and report.imported == 8


def test_a_paper_without_text_is_refused(scholar):
    with pytest.raises(ValidationError) as exc:
        services.annotations_import(paper=f.PaperFactory(), data=EXPORT, user=scholar)
    assert exc.value.messages == [str(services.NO_TEXT)]


# --- parsing (pure) ------------------------------------------------------------------


def test_parser_reads_creators_dates_and_parents():
    parsed = formats.parse_annotations(EXPORT)
    reply = parsed.notes[3]
    assert (reply.is_reply, reply.parent_ref, reply.creator) == (True, "Yq1aBc3DEe-rp000000003", "王晓丽")
    assert parsed.notes[2].creator == "lihua"  # no display name: the account without the authority
    assert formats._account("acct:someone@example.org") == "someone@example.org"
    assert (
        formats.parse_item(0, {"target": "https://kb/papers/1/", "creator": {"name": "甲"}}).creator == "甲"
    )


# --- pages ---------------------------------------------------------------------------


def test_preview_then_apply_in_the_page(paper, scholar_client, scholar):
    url = reverse("kb:annotation-import", args=[paper.pk])
    raw = json.dumps(EXPORT, ensure_ascii=False)
    preview = scholar_client.post(url, {"json": raw, "action": "preview", "visibility": "private"})
    html = preview.content.decode()
    assert preview.status_code == 200 and not Annotation.objects.exists()
    assert "预览：尚未保存" in html and "已锚定 4 条" in html and str(services.PARENT_MISSING) in html
    token = preview.context["token"]
    done = scholar_client.post(url, {"token": token, "action": "apply", "visibility": "private"})
    assert "导入结果" in done.content.decode() and Annotation.objects.count() == 8
    # The token is spent: applying it again imports nothing.
    stale = scholar_client.post(url, {"token": token, "action": "apply"})
    assert str(services.EXPIRED) in stale.content.decode() and Annotation.objects.count() == 8


def test_another_user_cannot_apply_a_preview(paper, scholar_client, editor_client):
    url = reverse("kb:annotation-import", args=[paper.pk])
    preview = scholar_client.post(url, {"json": json.dumps(EXPORT), "action": "preview"})
    response = editor_client.post(url, {"token": preview.context["token"], "action": "apply"})
    assert str(services.EXPIRED) in response.content.decode() and not Annotation.objects.exists()


def test_cancel_discards_the_preview(paper, scholar_client):
    url = reverse("kb:annotation-import", args=[paper.pk])
    token = scholar_client.post(url, {"json": json.dumps(EXPORT), "action": "preview"}).context["token"]
    scholar_client.post(url, {"token": token, "action": "cancel"})
    response = scholar_client.post(url, {"token": token, "action": "apply"})
    assert str(services.EXPIRED) in response.content.decode() and not Annotation.objects.exists()


def test_reader_and_detail_show_where_a_note_came_from(paper, scholar, scholar_client):
    services.annotations_import(paper=paper, data=EXPORT, user=scholar)
    margin = scholar_client.get(reverse("kb:annotation-margin", args=[paper.pk])).content.decode()
    assert "导入自 Hypothesis · 原作者 王晓丽 · <time" in margin
    assert "全文的方法部分较弱" in margin and "页面批注（整篇论文）" in margin  # the page note
    assert "原作者 lihua" in margin  # a reply keeps its own author
    detail = scholar_client.get(
        reverse("kb:annotation-detail", args=[_by_source("Zr7pQw9XEe-pn000000005").pk])
    )
    assert "导入自 Hypothesis · 原作者 王晓丽" in detail.content.decode()


def test_imported_notes_appear_in_my_notes_and_the_exports(paper, scholar, scholar_client):
    services.annotations_import(paper=paper, data=EXPORT, user=scholar)
    notes = scholar_client.get(reverse("kb:my-notes"))
    assert notes.status_code == 200 and "全文的方法部分较弱" in notes.content.decode()
    exported = scholar_client.get(reverse("kb:annotation-export"), {"paper": paper.pk}).json()
    items = {i["id"]: i for i in exported["first"]["items"]}
    assert len(items) == 8
    # The page note goes out as it came in: a note on the whole paper, with no selector.
    whole = [i for i in items.values() if isinstance(i["target"], dict) and "selector" not in i["target"]]
    assert [i["body"][0]["value"] for i in whole] == ["全文的方法部分较弱，样本只覆盖东部省份。"]


def test_the_reader_offers_the_import_to_scholars(paper, scholar_client, anonymous_client):
    url = reverse("kb:annotation-import", args=[paper.pk])
    margin = reverse("kb:annotation-margin", args=[paper.pk])
    assert url in scholar_client.get(margin).content.decode()
    assert url not in anonymous_client.get(margin).content.decode()
