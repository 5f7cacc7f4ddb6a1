"""The reader page: metadata header, table of contents, stable anchors, footnotes, citations."""

from __future__ import annotations

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_reader_shows_toc_linking_to_section_anchors(client, paper_with_text):
    html = client.get(paper_with_text.get_absolute_url()).content.decode()
    assert '<nav class="toc"' in html
    assert 'href="#p-0"' in html and "数字鸿沟的内涵" in html
    assert 'href="#p-2"' in html and "弥合路径" in html
    assert 'id="p-3"' in html


def test_reader_links_footnote_marker_to_footnote(client, paper_with_text):
    html = client.get(paper_with_text.get_absolute_url()).content.decode()
    assert 'class="cite cite--note" href="#p-4"' in html
    # The footnote ends its section (二、弥合路径) instead of a pooled list at the end.
    assert 'class="section-notes"' in html and 'id="footnotes"' not in html
    assert "参见国家统计局数据" in html


def test_reader_header_has_authors_and_metadata(client, paper_with_text):
    html = client.get(paper_with_text.get_absolute_url()).content.decode()
    for a in paper_with_text.authorships.all():
        assert a.author.name in html
    assert "2023" in html


def test_reader_escapes_passage_text(client, db):
    revision = f.RevisionFactory()
    f.PassageFactory(revision=revision, order=0, text='<script>alert("x")</script>数字鸿沟')
    html = client.get(revision.paper.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_reader_shows_only_current_revision(client, db):
    old = f.RevisionFactory(is_current=False, number=1)
    f.PassageFactory(revision=old, order=0, text="旧版本的段落")
    new = f.RevisionFactory(paper=old.paper, number=2, is_current=True)
    f.PassageFactory(revision=new, order=0, text="新版本的段落")
    html = client.get(old.paper.get_absolute_url()).content.decode()
    assert "新版本的段落" in html
    assert "旧版本的段落" not in html


def test_needs_review_paper_shows_warnings(client, db):
    paper = f.PaperFactory(title="", title_en="", needs_review=True, warnings=["未找到标题"])
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "未找到标题" in html
    assert "无标题论文" in html


def test_import_warnings_are_shown_in_the_readers_language(client, db):
    from django.conf import settings
    from django.utils import translation

    from papers.ingest.pipeline import WARN_NO_AUTHORS, WARN_UNLINKED_NOTES

    paper = f.PaperFactory(
        needs_review=True, warnings=[WARN_NO_AUTHORS, WARN_UNLINKED_NOTES.format(n=2), "未找到关键词"]
    )
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "未识别出作者：请手动添加。" in html
    assert "2 个脚注标记在其所在页上没有对应的脚注文字。" in html
    assert "未找到关键词" in html  # a sentence with no code is shown as it is
    assert WARN_NO_AUTHORS not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        html = client.get(paper.get_absolute_url()).content.decode()
    finally:
        # The request leaves English active in this thread; later tests expect the default.
        translation.activate(settings.LANGUAGE_CODE)
    assert "No authors found: add them by hand." in html
    assert "2 footnote marker(s) have no footnote text on their page." in html


def test_section_headings_nest_by_level(client, db):
    revision = f.RevisionFactory()
    top = f.SectionFactory(revision=revision, order=0, number="一、", heading="总论", level=1)
    sub = f.SectionFactory(revision=revision, order=1, number="（一）", heading="分论", level=2)
    f.PassageFactory(revision=revision, order=0, kind="heading", section=top, text="一、总论")
    f.PassageFactory(revision=revision, order=1, kind="heading", section=sub, text="（一）分论")
    html = client.get(revision.paper.get_absolute_url()).content.decode()
    assert '<h2 id="p-0"' in html
    assert '<h3 id="p-1"' in html
