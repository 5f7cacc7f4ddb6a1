"""Browser-test harness: Playwright (sync API) driving Debian's Chromium against ``live_server``.

- Every test under tests/e2e/ is marked ``e2e`` here, and skipped with a reason
  when no Chromium binary is found.
- One Playwright and one Chromium per session; a fresh browser context (cookies,
  storage) per page, so tests never share a login.
- The live server speaks plain HTTP and serves static files from the finders, so
  the production-only HTTPS redirect, secure cookies and the manifest storage
  (which needs ``collectstatic``) are switched off for these tests.
- Database: transactional, with serialized rollback, because the browser talks
  to the server thread through committed rows, and the flush after each test
  would otherwise wipe the role groups the data migration created.

Helpers: ``login(page, live_server, user)`` and ``screenshot(page, name)``,
which saves into the git-ignored ``test-artifacts/``; fixture ``indexed_corpus``: the
sample papers and the thesaurus loaded, and a search index built from them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.service import search_index_rebuild
from tests.factories import PASSWORD
from tests.liveserver import SerialServer

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parent.parent
ARTIFACTS = REPO / "test-artifacts"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
CHROMIUM_MISSING = (
    f"Chromium not found (no `chromium` on PATH, no {CHROMIUM}); "
    "install Debian's package: apt-get install chromium fonts-noto-cjk"
)

CORPUS = REPO.parent / "shared" / "corpus"

# Select characters start..end (code points) of a passage's text, across whatever elements wrap them.
SELECT_JS = """([passageId, quote]) => {
  const el = document.querySelector(`[data-passage="${passageId}"]`);
  const nodes = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest('.passage__anchor')) nodes.push(walker.currentNode);
  }
  const text = nodes.map(n => n.data).join('');
  const start = text.indexOf(quote), end = start + quote.length;
  if (start < 0) throw new Error('quote not in passage');
  const range = document.createRange();
  let pos = 0;
  for (const node of nodes) {
    const next = pos + node.data.length;
    if (start >= pos && start < next) range.setStart(node, start - pos);
    if (end > pos && end <= next) range.setEnd(node, end - pos);
    pos = next;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""

# The reader records where one stopped with a beacon, also as a page is left or its context
# closed: such a request could reach the live server after the test, while the next one sets
# up its database. The browser tests leave the recording out (its service and endpoint have
# their own tests in tests/kb/test_reading_in_place.py).
NO_READING_BEACONS = """(() => {
  const send = navigator.sendBeacon ? navigator.sendBeacon.bind(navigator) : null;
  navigator.sendBeacon = (url, data) => String(url).includes('/reading/position/') ? true : send(url, data);
})();"""

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


def chromium_available() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything in this folder ``e2e`` (before ``-m`` selects), and skip it without Chromium."""
    missing = not chromium_available()
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(pytest.mark.skip(reason=CHROMIUM_MISSING))


# --- Browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_session(django_db_setup):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])"
    )
    from django.db import connections

    # Playwright's sync API leaves an event loop marked as running in this thread. From
    # then on Django's thread-critical connection storage hands out new connection
    # objects, which lack the snapshot that serialized rollback restores after each
    # flush (the role groups): carry the snapshot over to them.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # The loop would also make Django's ORM calls from test bodies raise
    # SynchronousOnlyOperation. Set only while Playwright runs, so the rest of the
    # suite (and its subprocesses, such as `check --deploy`) never sees it.
    unset = "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_api.sync_playwright() as playwright:
            for alias, contents in snapshots.items():
                connections[alias]._test_serialized_contents = contents
            yield playwright
    finally:
        if unset:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser(playwright_session):
    if not chromium_available():
        pytest.skip(CHROMIUM_MISSING)
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Open a page in a fresh context: ``new_page(viewport=MOBILE, is_mobile=True)``."""
    contexts = []

    def make(**context_options):
        options = {"viewport": DESKTOP, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        context.add_init_script(NO_READING_BEACONS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page in its own browser context."""
    return new_page()


def watch_errors(page) -> list[str]:
    """Collect console errors and uncaught exceptions of ``page`` (CSP violations are console errors).

    The one error left out is the 404 of ``/favicon.ico``, which Chromium asks for on its
    own when a page names no icon; it says nothing about the page under test.
    """
    errors: list[str] = []

    def on_console(msg) -> None:
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"console: {msg.text} ({msg.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


@pytest.fixture
def console_errors(page) -> list[str]:
    """Errors of the ``page`` fixture; attach before navigating, assert ``== []`` at the end."""
    return watch_errors(page)


# --- Server ------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite(django_db_setup, django_db_blocker):
    """On an in-memory SQLite test database the live server answers one request at a time
    (``tests/liveserver.py``): its threads would otherwise share the one connection. pytest-django
    builds its server from Django's ``LiveServerThread``, whose server class this swaps."""
    from django.db import connection
    from django.test import testcases

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    original = testcases.LiveServerThread.server_class
    testcases.LiveServerThread.server_class = SerialServer
    yield
    testcases.LiveServerThread.server_class = original


@pytest.fixture(autouse=True)
def _browser_test_settings(settings, django_db_serialized_rollback):
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- Helpers -----------------------------------------------------------------------


def login(page, live_server, user, password: str = PASSWORD) -> None:
    """Log ``user`` in through the real login form; fails loudly when the form rejects them."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    if "/accounts/login/" in page.url:
        notice = page.locator(".notice--error")
        reason = notice.inner_text() if notice.count() else "no error shown"
        raise AssertionError(f"login as {user.get_username()!r} failed: {reason}")


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` as ``test-artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def indexed_corpus(transactional_db, settings, tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS}")
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    dictionary.thesaurus_changed()
    call_command("load_thesaurus", verbosity=0)
    call_command("ingest", str(CORPUS), verbosity=0)
    # The live server reads the index this builds (the ingest's tasks sit in the task queue).
    assert search_index_rebuild() > 0
    yield
    forget_index(settings.KB_SEARCH_INDEX_DIR)
