"""Adding a concept mention by selection in Chromium, with a character outside the BMP before it.

In `𠮷氏认为数字鸿沟是新问题。` the first character is two UTF-16 units but one code point, as
the server counts. The selection is made the way the keyboard makes it (a caret, then
Shift+→ four times through ``Selection.modify``: no mouse event at all), and the saved
mention must cover exactly 数字鸿沟. Then the same with the mouse (a drag).
"""

from __future__ import annotations

import pytest

from kb.models import Mention
from tests import factories as f
from tests.e2e.conftest import login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

TEXT = "𠮷氏认为数字鸿沟是新问题。"

KEYBOARD_SELECT_JS = """([passageId, before, length]) => {
  const el = document.querySelector(`[data-passage="${passageId}"]`);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const node = walker.nextNode();
  const selection = window.getSelection();
  selection.removeAllRanges();
  const range = document.createRange();
  range.setStart(node, 0);
  range.collapse(true);
  selection.addRange(range);
  for (let i = 0; i < before; i++) selection.modify("move", "forward", "character");
  for (let i = 0; i < length; i++) selection.modify("extend", "forward", "character");
  return selection.toString();
}"""


@pytest.fixture
def reader(transactional_db, editor):
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="digital-divide")
    paper = f.PaperFactory(title="非基本平面字符的段落", year=2024)
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0, heading="引言")
    (passage,) = f.passages_for(revision, [("paragraph", section, TEXT)])
    return paper, passage, concept


def _submit(page, concept) -> None:
    form = page.locator("#mention-add")
    expect(form).to_be_visible()
    expect(form.locator(".mention-add__quote")).to_have_text("「数字鸿沟」")
    form.locator("select[name=concept]").select_option(str(concept.pk))
    form.get_by_role("button", name="添加提及").click()
    expect(page.locator(".messages")).to_be_visible()


def test_a_keyboard_selection_after_a_non_bmp_character_adds_the_right_mention(
    reader, editor, page, live_server
):
    errors = watch_errors(page)
    paper, passage, concept = reader
    login(page, live_server, editor)
    page.goto(f"{live_server.url}{paper.get_absolute_url()}")
    # 𠮷 and 氏 and 认 and 为: four characters to step over, then four to select.
    assert page.evaluate(KEYBOARD_SELECT_JS, [passage.pk, 4, 4]) == "数字鸿沟"
    _submit(page, concept)
    mention = Mention.objects.get(passage=passage, concept=concept)
    assert (mention.start, mention.end, mention.surface) == (4, 8, "数字鸿沟")
    assert TEXT[mention.start : mention.end] == "数字鸿沟"
    expect(page.locator(f"[data-passage='{passage.pk}'] a.mention").first).to_have_text("数字鸿沟")
    screenshot(page, "mention-non-bmp", full_page=False)
    assert errors == []


def test_a_mouse_selection_adds_the_same_mention(reader, editor, page, live_server):
    paper, passage, concept = reader
    login(page, live_server, editor)
    page.goto(f"{live_server.url}{paper.get_absolute_url()}")
    box = page.evaluate(
        """([passageId, from, to]) => {
          const el = document.querySelector(`[data-passage="${passageId}"]`);
          const node = document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode();
          const range = document.createRange();
          range.setStart(node, from); range.setEnd(node, from + 1);
          const a = range.getBoundingClientRect();
          range.setStart(node, to - 1); range.setEnd(node, to);
          const b = range.getBoundingClientRect();
          return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
        }""",
        [passage.pk, 5, 9],  # UTF-16 units: 𠮷 is two
    )
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move(box[2], box[3], steps=5)
    page.mouse.up()
    _submit(page, concept)
    mention = Mention.objects.get(passage=passage, concept=concept)
    assert (mention.start, mention.end) == (4, 8)
