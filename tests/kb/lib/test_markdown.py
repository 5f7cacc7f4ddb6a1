"""kb.lib.markdown: the one Markdown renderer and sanitiser for user text."""

from kb.lib.markdown import render_markdown


def test_renders_markdown():
    assert render_markdown("**重要**的定义") == "<p><strong>重要</strong>的定义</p>"


def test_raw_html_is_escaped_not_rendered():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_links_are_dropped_and_safe_links_get_rel():
    html = render_markdown("[a](javascript:alert(1)) [b](https://example.org)")
    assert 'href="javascript' not in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert html.count("<a ") == 1


def test_empty_body_renders_nothing():
    assert render_markdown("  \n") == ""
