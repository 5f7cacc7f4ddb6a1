"""Every passage on its original page: stored pages and regions, the reader's page marks, the
page view, the permission-checked page image and its disk cache, and passage citations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from papers import pageimage
from papers.models import Passage, SourceFile, TextRevision
from papers.services import paper_save_parsed
from tests import factories as f
from tests.papers.pagepdf import HEIGHT, WIDTH, two_page_parsed, two_page_pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def pdf_paper():
    data = two_page_pdf()
    return paper_save_parsed(parsed=two_page_parsed(data), data=data).paper


def _passage(paper, text: str) -> Passage:
    return paper.passages.get(text__startswith=text)


def _page_url(paper, page, passage=None) -> str:
    url = reverse("papers:page-view", args=[paper.pk, page])
    return url + (f"?passage={passage.pk}" if passage else "")


# -- persistence --------------------------------------------------------------------------------


def test_pages_boxes_and_removed_lines_round_trip(pdf_paper):
    revision = TextRevision.objects.get(paper=pdf_paper, is_current=True)
    assert [(p["number"], p["width"], p["height"], p["label"], p["ocr"]) for p in revision.pages] == [
        (1, WIDTH, HEIGHT, "93", False),
        (2, WIDTH, HEIGHT, "94", True),
    ]
    assert {"text": "94", "reason": "page-number", "page": 2} in revision.removed
    assert len(revision.removed) == 4
    crossing = _passage(pdf_paper, "This paragraph starts")
    assert (crossing.page, crossing.page_label) == (1, "93")
    assert [box[0] for box in crossing.boxes] == [1, 2]
    assert all(len(box) == 5 and box[1] < box[3] and box[2] < box[4] for box in crossing.boxes)
    assert _passage(pdf_paper, "Table 1").kind == "table"
    assert _passage(pdf_paper, "Scanned lines").ocr_conf == pytest.approx(0.87)


def test_document_type_and_thesis_fields_are_stored(db):
    data = two_page_pdf()
    parsed = two_page_parsed(data)
    parsed.doc_type, parsed.institution, parsed.degree, parsed.advisor = "thesis", "南京大学", "学士", "李四"
    paper = paper_save_parsed(parsed=parsed, data=data).paper
    paper.refresh_from_db()
    assert (paper.doc_type, paper.institution, paper.degree, paper.advisor) == (
        "thesis",
        "南京大学",
        "学士",
        "李四",
    )
    assert paper.get_doc_type_display() == "学位论文"


def test_unknown_document_type_is_stored_as_other(db):
    data = two_page_pdf()
    parsed = two_page_parsed(data)
    parsed.doc_type = "blog post"
    assert paper_save_parsed(parsed=parsed, data=data).paper.doc_type == "other"


def test_text_sources_keep_no_pages_whatever_the_pipeline_says(db):
    parsed = two_page_parsed(b"plain text", filename="a.md")
    parsed.source.format = "md"
    paper = paper_save_parsed(parsed=parsed).paper
    assert set(paper.passages.values_list("page", flat=True)) == {None}
    assert set(paper.passages.values_list("page_label", flat=True)) == {""}
    assert all(p.boxes == [] for p in paper.passages.all())
    revision = paper.revisions.get()
    assert revision.pages == []
    assert {line["page"] for line in revision.removed} == {None}


# -- reader ---------------------------------------------------------------------------------------


def test_reader_shows_page_with_printed_label_and_links_to_the_page(client, pdf_paper):
    html = client.get(pdf_paper.get_absolute_url()).content.decode()
    passage = _passage(pdf_paper, "Digital divides")
    assert "p. 1（印刷页码 93）" in html
    assert f'href="{_page_url(pdf_paper, 1, passage)}"' in html
    assert (
        html.count("data-page-link")
        == Passage.objects.filter(paper=pdf_paper).exclude(kind="heading").count()
    )


def test_reader_renders_tables_as_blocks_and_marks_ocr(client, pdf_paper):
    html = client.get(pdf_paper.get_absolute_url()).content.decode()
    table = _passage(pdf_paper, "Table 1")
    block = re.search(rf'<figure id="{table.anchor}"[^>]*>(.*?)</figure>', html, re.S)
    assert block and 'class="passage passage--table passage--block"' in block.group(0)
    assert (
        '<pre class="passage__pre">Table 1 Scores\nregion   2020   2021\neast     80.0   82.5</pre>'
        in block.group(1)
    )
    assert "OCR 识别，置信度 87%" in html


def test_reader_shows_no_page_for_text_sources(client, paper_with_text):
    SourceFile.objects.create(paper=paper_with_text, filename="a.txt", format="txt", sha256="1" * 64, size=1)
    Passage.objects.filter(paper=paper_with_text).update(page=None)
    html = client.get(paper_with_text.get_absolute_url()).content.decode()
    assert "passage__page" not in html and "p. " not in html
    assert "在原页查看" not in html


def test_page_without_label_shows_the_pdf_page_only(client, pdf_paper):
    Passage.objects.filter(paper=pdf_paper).update(page_label="")
    html = client.get(pdf_paper.get_absolute_url()).content.decode()
    assert "p. 1<" in html and "印刷页码" not in html


# -- page view -------------------------------------------------------------------------------------


def test_page_view_highlights_the_passage_regions(client, pdf_paper):
    passage = _passage(pdf_paper, "This paragraph starts")
    response = client.get(_page_url(pdf_paper, 2, passage))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in html
    selected = re.search(r'<a [^>]*class="pageview__region is-selected"[^>]*>(.*?)</a>', html, re.S)
    assert selected is not None
    # on page 2, only the continuation line of the crossing passage is highlighted
    box = passage.boxes[1]
    assert selected.group(1).count("<rect") == 1
    assert f'x="{box[1]}" y="{box[2]}"' in selected.group(1)
    assert f'href="{_page_url(pdf_paper, 1, passage)}"' in html and 'rel="prev"' in html
    assert 'rel="next"' not in html
    assert f"{pdf_paper.get_absolute_url()}#{passage.anchor}" in html
    assert reverse("papers:page-image", args=[pdf_paper.pk, 2]) in html
    assert "第 2 页，共 2 页（印刷页码 94）" in html


def test_page_view_cites_the_passage_at_its_printed_page(client, pdf_paper):
    passage = _passage(pdf_paper, "Digital divides")
    html = client.get(_page_url(pdf_paper, 1, passage)).content.decode()
    assert "王佃利, 滕蕾. 数字鸿沟与数据红利[J]. 电子政务, 2022(3): 93." in html
    assert reverse("papers:passage-cite", args=[pdf_paper.pk, passage.pk, "ris"]) in html


@pytest.mark.parametrize("page", [0, 3, 99999, 10**7])
def test_page_out_of_range_is_404(client, pdf_paper, page):
    assert client.get(reverse("papers:page-view", args=[pdf_paper.pk, page])).status_code == 404
    assert client.get(reverse("papers:page-image", args=[pdf_paper.pk, page])).status_code == 404


def test_paper_without_stored_pdf_has_no_pages(client, paper_with_text):
    assert client.get(reverse("papers:page-view", args=[paper_with_text.pk, 1])).status_code == 404
    assert client.get(reverse("papers:page-image", args=[paper_with_text.pk, 1])).status_code == 404


def test_page_view_of_a_paper_loaded_before_pages_were_recorded(client, pdf_paper):
    TextRevision.objects.filter(paper=pdf_paper).update(pages=[])
    html = client.get(_page_url(pdf_paper, 2)).content.decode()
    assert "第 2 页，共 2 页" in html and "印刷页码" not in html


# -- page image -------------------------------------------------------------------------------------


def test_page_image_is_a_png_with_private_cache_headers(client, pdf_paper):
    response = client.get(reverse("papers:page-image", args=[pdf_paper.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG)
    assert "private" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    again = client.get(
        reverse("papers:page-image", args=[pdf_paper.pk, 1]), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_page_image_is_rendered_once_then_served_from_the_cache(
    client, pdf_paper, monkeypatch, settings, tmp_path
):
    renders = []
    real = pageimage._render
    monkeypatch.setattr(pageimage, "_render", lambda *args: renders.append(args[1]) or real(*args))
    url = reverse("papers:page-image", args=[pdf_paper.pk, 2])
    first, second = client.get(url).content, client.get(url).content
    assert renders == [2] and first == second
    cached = list((tmp_path / "page-images").rglob("*.png"))
    assert len(cached) == 1 and str(cached[0]).startswith(settings.KB_PAGE_CACHE_DIR)
    assert not str(cached[0]).startswith(str(settings.MEDIA_ROOT))


def test_page_image_has_the_size_of_the_page_at_the_fixed_scale(pdf_paper):
    from PIL import Image

    source = SourceFile.objects.get(paper=pdf_paper)
    with Image.open(pageimage.page_image(source=source, page=1)) as image:
        assert image.size == (round(WIDTH * pageimage.SCALE), round(HEIGHT * pageimage.SCALE))


def test_outsize_pages_render_within_the_pixel_bound():
    assert pageimage.render_scale(WIDTH, HEIGHT) == pageimage.SCALE
    scale = pageimage.render_scale(14400, 14400)
    assert (14400 * scale) ** 2 <= pageimage.MAX_PIXELS * 1.001


@pytest.mark.parametrize("name", ["papers:page-view", "papers:page-image"])
def test_unpublished_paper_pages_are_404_for_readers_and_shown_to_admins(
    name, pdf_paper, scholar_client, admin_client_, client
):
    pdf_paper.status = "draft"
    pdf_paper.save()
    url = reverse(name, args=[pdf_paper.pk, 1])
    assert client.get(url).status_code == 404
    assert scholar_client.get(url).status_code == 404
    assert admin_client_.get(url).status_code == 200


def test_anonymous_is_sent_to_login_when_public_reading_is_off(pdf_paper, client, settings):
    settings.KB_PUBLIC_READ = False
    response = client.get(reverse("papers:page-image", args=[pdf_paper.pk, 1]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# -- passage citations --------------------------------------------------------------------------------


def test_passage_ris_and_bibtex_carry_the_page(client, pdf_paper):
    passage = _passage(pdf_paper, "Scanned lines")
    ris = client.get(reverse("papers:passage-cite", args=[pdf_paper.pk, passage.pk, "ris"])).content.decode()
    assert "SP  - 94\r\n" in ris and "EP  -" not in ris
    bib = client.get(reverse("papers:passage-cite", args=[pdf_paper.pk, passage.pk, "bib"])).content.decode()
    assert "pages = {94}" in bib


def test_passage_of_another_paper_is_404(client, pdf_paper, paper_with_text):
    other = paper_with_text.passages.first()
    url = reverse("papers:passage-cite", args=[pdf_paper.pk, other.pk, "ris"])
    assert client.get(url).status_code == 404


def test_passage_page_falls_back_to_the_pdf_page_number():
    passage = f.PassageFactory.build(page=7, page_label="")
    assert passage.cited_page == "7" and passage.page_display == "p. 7"
    assert f.PassageFactory.build(page=None).cited_page == ""
    assert f.PassageFactory.build(page=None).page_display == ""


def test_reader_in_english_names_the_printed_page(client, pdf_paper, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(pdf_paper.get_absolute_url()).content.decode()
    assert "p. 1 (printed page 93)" in html and "View on page" in html
    assert "OCR, confidence 87%" in html


# -- the knowledge layer shows the page of its passages -------------------------------------------------


def test_annotations_evidence_and_claims_show_their_page(client, pdf_paper, editor):
    from kb.services import annotations as annotation_services
    from kb.services import claims as claim_services

    passage = _passage(pdf_paper, "Scanned lines")
    annotation = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=7, exact="Scanned", body="note", visibility="public"
    )
    claim = claim_services.claim_create(
        user=editor,
        paper=pdf_paper,
        statement="OCR lines end the paper.",
        evidence=[{"passage": passage, "start": 0, "end": 7, "exact": "Scanned"}],
    )
    label = "p. 2（印刷页码 94）"
    assert label in client.get(reverse("kb:annotation-detail", args=[annotation.pk])).content.decode()
    assert label in client.get(claim.get_absolute_url()).content.decode()
    margin = client.get(pdf_paper.get_absolute_url()).content.decode()
    assert f'<span class="anno-card__page">{label}</span>' in margin


def test_admin_shows_the_removed_lines_read_only(admin_client_, pdf_paper):
    revision = pdf_paper.revisions.get()
    for url in (
        reverse("admin:papers_paper_change", args=[pdf_paper.pk]),
        reverse("admin:papers_textrevision_change", args=[revision.pk]),
    ):
        html = admin_client_.get(url).content.decode()
        assert '<table class="removed-lines">' in html, url
        assert "<td>2</td><td>page-number</td><td>94</td>" in html, url
        assert 'name="removed"' not in html


def test_page_view_with_pages_recorded_in_part_asks_the_pdf_and_keeps_the_labels(client, pdf_paper):
    revision = pdf_paper.revisions.get()
    TextRevision.objects.filter(pk=revision.pk).update(pages=[revision.pages[1]])
    assert "第 1 页，共 2 页</p>" in client.get(_page_url(pdf_paper, 1)).content.decode().replace("\n", "")
    assert "（印刷页码 94）" in client.get(_page_url(pdf_paper, 2)).content.decode()
