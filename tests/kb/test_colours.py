"""Highlight colours: validated on the server, drawn in the reader with their names, named by
each user on a preferences page, and carried through W3C export and import."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kb.models import Annotation, HighlightColor, UserPreference
from kb.services import annotations as annotation_services
from kb.services import colors, w3c
from tests.kb.test_w3c import _must_failures


@pytest.fixture
def passage(paper_with_text):
    return paper_with_text.passages.get(order=1)


def _highlight(user, passage, color, *, exact="数字鸿沟", start=0, end=4, **kw):
    return annotation_services.annotation_create(
        user=user, passage=passage, start=start, end=end, exact=exact, color=color, **kw
    )


def test_palette_has_the_eight_colours_with_keys_and_the_users_names(scholar):
    colors.color_names_update(user=scholar, names={"yellow": " 方法 ", "red": "反驳", "green": ""})
    palette = colors.color_palette(user=scholar)
    assert [(s.key, s.value) for s in palette] == list(enumerate(HighlightColor.values, start=1))
    assert palette[0].title == "黄色 · 方法" and palette[1].title == "红色 · 反驳"
    assert palette[2].title == "绿色"  # unnamed: the colour's own name
    assert UserPreference.objects.get(user=scholar).color_names == {"yellow": "方法", "red": "反驳"}


def test_colour_names_are_checked(scholar):
    with pytest.raises(ValidationError) as exc:
        colors.color_names_update(user=scholar, names={"teal": "方法"})
    assert exc.value.messages == [str(colors.BAD_COLOR)]
    with pytest.raises(ValidationError) as exc:
        colors.color_names_update(user=scholar, names={"red": "很长" * 11})
    assert exc.value.messages == [str(colors.NAME_TOO_LONG)]
    assert not UserPreference.objects.filter(user=scholar).exists()


def test_the_service_saves_and_validates_the_colour(editor, passage):
    note = _highlight(editor, passage, "red")
    assert note.color == "red"
    with pytest.raises(ValidationError) as exc:
        _highlight(editor, passage, "chartreuse")
    assert exc.value.messages == [str(colors.BAD_COLOR)]
    annotation_services.annotation_update(user=editor, annotation=note, color="blue")
    note.refresh_from_db()
    assert note.color == "blue"
    with pytest.raises(ValidationError):
        annotation_services.annotation_update(user=editor, annotation=note, color="#ff0000")
    note.refresh_from_db()
    assert note.color == "blue"
    annotation_services.annotation_update(user=editor, annotation=note, color="")
    note.refresh_from_db()
    assert note.color == ""


def test_api_creates_with_a_colour_and_refuses_an_unknown_one(editor_client, paper_with_text, passage):
    url = reverse("kb:api-paper-annotations", args=[paper_with_text.pk])
    data = {"passage": passage.pk, "start": 0, "end": 4, "exact": "数字鸿沟", "color": "green"}
    created = editor_client.post(url, data, content_type="application/json")
    assert created.status_code == 201 and created.json()["color"] == "green"
    bad = editor_client.post(url, {**data, "color": "teal"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"] == [str(colors.BAD_COLOR)]
    patched = editor_client.patch(
        reverse("kb:api-annotation", args=[created.json()["id"]]),
        {"color": "purple"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["color"] == "purple"


def test_margin_edit_form_changes_the_colour(editor_client, editor, passage):
    note = _highlight(editor, passage, "yellow", body="旧")
    response = editor_client.post(
        reverse("kb:annotation-edit", args=[note.pk]),
        {"body": "旧", "tags": "", "visibility": "private", "color": "orange", "version": note.version},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.color == "orange"


def test_reader_draws_each_colour_with_its_name(editor_client, editor, paper_with_text, passage):
    colors.color_names_update(user=editor, names={"red": "反驳"})
    red = _highlight(editor, passage, "red")
    plain = _highlight(editor, passage, "", exact="社会", start=9, end=11)
    html = editor_client.get(paper_with_text.get_absolute_url()).content.decode()
    assert f'class="anno anno--private anno--c-red" data-annotation="{red.pk}" title="红色 · 反驳"' in html
    assert f'class="anno anno--private" data-annotation="{plain.pk}">' in html
    # The toolbar's palette: eight swatches, numbered, named for screen readers.
    assert html.count('data-action="color"') == 8
    assert 'data-color="red" data-title="红色 · 反驳"' in html
    assert 'class="color-chip color-chip--red">红色 · 反驳</span>' in html  # the margin card


def test_colour_names_page(scholar_client, scholar):
    url = reverse("kb:color-names")
    assert scholar_client.get(url).status_code == 200
    response = scholar_client.post(url, {"yellow": "方法", "red": "反驳"})
    assert response.status_code == 302
    assert UserPreference.objects.get(user=scholar).color_names == {"yellow": "方法", "red": "反驳"}
    page = scholar_client.get(url).content.decode()
    assert 'value="方法"' in page
    too_long = scholar_client.post(url, {"yellow": "方" * 21})
    assert too_long.status_code == 200
    assert UserPreference.objects.get(user=scholar).color_names["yellow"] == "方法"


def test_colour_names_page_needs_a_signed_in_user(anonymous_client, db, settings):
    settings.KB_PUBLIC_READ = True
    response = anonymous_client.get(reverse("kb:color-names"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_w3c_export_carries_the_colour_as_a_style_class(editor, passage):
    note = _highlight(editor, passage, "magenta", body="评论", visibility="public")
    data = w3c.annotation_to_w3c(note, base="https://kb.example")
    assert data["target"]["styleClass"] == "magenta"
    assert data["stylesheet"] == {"type": "CssStylesheet", "value": ".magenta { background-color: #e56eee; }"}
    assert _must_failures(data, "annotations/annotationMusts.test") == []
    plain = w3c.annotation_to_w3c(_highlight(editor, passage, ""), base="https://kb.example")
    assert "stylesheet" not in plain and "styleClass" not in plain["target"]


def test_colour_survives_export_and_import(editor, passage, paper_with_text):
    _highlight(editor, passage, "green", body="绿", visibility="public")
    _highlight(editor, passage, "", exact="社会", start=9, end=11, visibility="public")
    collection = w3c.annotation_collection(
        annotations=Annotation.objects.order_by("pk"), base="https://kb.example", collection_id="x", label="x"
    )
    Annotation.objects.all().delete()
    report = w3c.annotations_import(
        paper=paper_with_text, data=json.loads(json.dumps(collection)), user=editor
    )
    assert [(i.annotation.exact, i.annotation.color) for i in report.anchored] == [
        ("数字鸿沟", "green"),
        ("社会", ""),
    ]


def test_import_reads_a_colour_tag_and_ignores_unknown_classes(editor, paper_with_text):
    item = {
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "color:Blue", "purpose": "tagging"},
            {"type": "TextualBody", "value": "方法", "purpose": "tagging"},
        ],
        "target": {"selector": {"type": "TextQuoteSelector", "exact": "共同富裕"}},
    }
    odd = {**item, "body": [], "target": {**item["target"], "styleClass": ["ochre"]}}
    report = w3c.annotations_import(paper=paper_with_text, data=[item, odd], user=editor)
    first, second = (i.annotation for i in report.anchored)
    assert (first.color, first.tag_list) == ("blue", ["方法"])
    assert second.color == ""
