"""Progress of an upload's parse as the admin sees it: the reader's reports become the bar.

The PDF reader calls ``ReadOptions.progress(stage, done, total)`` per page: stage "pages"
(pages read), "layout" (the layout model's pass) or "ocr" (a scanned page being read by OCR,
15–25 s a page on one core). ``ParseProgress`` turns those calls into the upload's
``progress`` (``START``–``END`` %, by pages done) and ``message`` ("OCR 第 3/8 页…"), and writes
them through the callback it is given, at most once every ``PROGRESS_INTERVAL`` seconds, except
that the start of an OCR page, which holds the bar for seconds, is always shown.

The message is stored in the worker's language; ``message_in_language`` shows a stored message
in the reader's (the upload pages' ``upload_message`` filter).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PROGRESS_INTERVAL = 1.0  # seconds between two progress writes (the page polls every second)
START, END = 10, 90  # the share of the bar the reading of the pages fills

MESSAGE_PAGES = _("正在读取：第 %(page)s/%(total)s 页…")
MESSAGE_LAYOUT = _("版面分析：第 %(page)s/%(total)s 页…")
MESSAGE_OCR = _("OCR 第 %(page)s/%(total)s 页，每页约 15–25 秒…")
MESSAGE_STRUCTURE = _("正在解析：清理文本、识别结构与元数据…")
_WITH_PAGES = (MESSAGE_PAGES, MESSAGE_LAYOUT, MESSAGE_OCR)


@cache
def _patterns() -> list[tuple[re.Pattern[str], Promise]]:
    """Each page message as a pattern, in every language the site speaks."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for message in _WITH_PAGES:
                text = re.escape(str(message) % {"page": "PAGE", "total": "TOTAL"})
                text = text.replace("PAGE", r"(?P<page>\d+)").replace("TOTAL", r"(?P<total>\d+)")
                found.append((re.compile(text), message))
    return found


def message_in_language(message: str) -> str:
    """A stored progress message (written in the worker's language) in the reader's language."""
    for pattern, template in _patterns():
        match = pattern.fullmatch(message)
        if match:
            return str(template) % {key: int(value) for key, value in match.groupdict().items()}
    return gettext(message) if message else message


class ParseProgress:
    """A ``ReadOptions.progress`` callback that writes ``(percent, message)`` through ``write``."""

    def __init__(self, write: Callable[[int, str], None], *, clock: Callable[[], float] = time.monotonic):
        self.write = write
        self.clock = clock
        self.percent = START
        self.last_write: float | None = None
        self.last_message = ""
        self.ocr_started: tuple[int, int] | None = None  # (page, total) of the OCR page under way

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        done = max(0, min(done, total))
        # pages done decide the bar; it never goes back (stages may count differently)
        self.percent = max(self.percent, START + (END - START) * done // total)
        message, urgent = self._message(stage, done, total)
        now = self.clock()
        due = self.last_write is None or now - self.last_write >= PROGRESS_INTERVAL
        if due or (urgent and message != self.last_message):
            self.write(self.percent, message)
            self.last_write, self.last_message = now, message

    def _message(self, stage: str, done: int, total: int) -> tuple[str, bool]:
        """What the parse is doing now, and whether it must be shown at once."""
        if stage == "ocr":
            if self.ocr_started == (done, total):  # the page whose OCR started has been read
                self.ocr_started = None
                return str(MESSAGE_PAGES % {"page": done, "total": total}), False
            if done < total:
                self.ocr_started = (done + 1, total)
                return str(MESSAGE_OCR % {"page": done + 1, "total": total}), True
        if stage == "layout" and done < total:
            return str(MESSAGE_LAYOUT % {"page": done + 1, "total": total}), False
        if stage == "pages" and done >= total:
            return str(MESSAGE_STRUCTURE), True
        return str(MESSAGE_PAGES % {"page": done, "total": total}), False
