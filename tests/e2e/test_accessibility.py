"""Accessibility in Chromium: axe-core (installed by `make axe` from the npm registry) finds no
violation on the main pages, for a reader and for an editor and an admin, in Chinese and in English."""

from __future__ import annotations

import pytest

from papers.models import SourceFile
from tests.e2e.conftest import REPO, login

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}"""


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    return [f"{url}: {v}" for v in page.evaluate(RUN_AXE)]


@pytest.fixture
def axe_page(new_page):
    if not AXE.is_file():
        pytest.fail(f"axe-core not installed at {AXE}: run `make axe`")
    # Injecting axe is an inline script, which the site's CSP rightly refuses.
    return new_page(bypass_csp=True)


def test_main_pages_have_no_accessibility_violations(
    indexed_corpus, editor, admin_user, axe_page, live_server
):
    page = axe_page
    paper = SourceFile.objects.get(filename__startswith="003_").paper
    base = live_server.url
    found = violations(page, f"{base}/accounts/login/")
    login(page, live_server, editor)
    for path in (
        "/",
        "/papers/",
        f"/papers/{paper.pk}/",
        f"/papers/{paper.pk}/?hl=数字技术#p-6",
        "/concepts/",
        "/concepts/digital-divide/",
        "/search/?q=数字鸿沟",
        "/compare/",
        "/graphs/concepts/",
        "/graphs/papers/",
        "/claims/",
        "/annotations/orphans/",
    ):
        found += violations(page, base + path)
    page.context.clear_cookies()
    login(page, live_server, admin_user)
    found += violations(page, f"{base}/uploads/")
    found += violations(page, f"{base}/papers/{paper.pk}/edit/")
    # The English interface too.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    found += violations(page, f"{base}/papers/{paper.pk}/")
    found += violations(page, f"{base}/search/?q=digital")
    assert found == [], "\n".join(found)
