"""The interface in English says nothing in Chinese.

Every main page is opened with English chosen, as an admin (who sees the most chrome: every
button and form the other roles see, and more), over a library whose content is written in English (titles, authors,
passages, concepts, claims, annotations, uploads), so any Han character on the page is the
interface's own. What is marked as Chinese on purpose (``lang="zh…"``, e.g. the language
switcher's 中文) is left aside, as are scripts and styles.
"""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kb.models import CrossReference, Upload, UploadState
from kb.models.concepts import ConceptCandidate
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import groups as group_services
from papers.ingest import parse_bytes
from tests import factories as f

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\U00020000-\U0002ffff]+")
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-label", "data-copied")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Chrome(HTMLParser):
    """Text and shown attributes outside ``lang="zh…"`` elements, scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        # The page's own language (<html lang>) is what is under test, not an exemption.
        marked = tag != "html" and (values.get("lang") or "").lower().startswith("zh")
        skip = marked or tag in ("script", "style")
        if not skip and not self._skipping():
            self.found += [f"{tag}[{name}]={values[name]}" for name in SHOWN_ATTRIBUTES if values.get(name)]
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            self.found.append(data.strip())


def chinese_in_chrome(html: str) -> list[str]:
    parser = _Chrome()
    parser.feed(html)
    return [text for text in parser.found if HAN.search(text)]


@pytest.fixture
def library(admin_user, editor):
    paper = f.PaperFactory(
        title="Digital divide and common prosperity",
        title_en="Digital divide and common prosperity",
        abstract="Digital technology opens new chances.",
        keywords=["digital divide"],
        venue="Social Science Studies",
        year=2023,
    )
    author = f.AuthorFactory(name="Wang Li", name_en="Wang Li")
    f.AuthorshipFactory(paper=paper, author=author, order=0, affiliation="Some University")
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0, number="1", heading="Introduction")
    passages = f.passages_for(
        revision,
        [
            ("paragraph", section, "The digital divide is a new form of inequality."),
            ("paragraph", section, "Closing the digital divide needs digital literacy."),
        ],
    )
    concept = f.ConceptFactory(label_zh="Digital divide", label_en="digital divide", slug="digital-divide")
    f.MentionFactory(concept=concept, passage=passages[0], start=4, end=18)
    annotation = annotation_services.annotation_create(
        user=editor,
        passage=passages[0],
        start=4,
        end=18,
        exact="digital divide",
        body="A note",
        visibility="public",
    )
    annotation_services.annotation_update(user=editor, annotation=annotation, body="A better note")
    claims = [
        claim_services.claim_create(
            user=editor,
            paper=paper,
            statement=statement,
            concepts=[concept],
            evidence=[{"passage": passages[0], "start": 4, "end": 18, "exact": "digital divide"}],
        )
        for statement in ("The divide hinders prosperity.", "The divide is closing.")
    ]
    claim_services.claim_relation_create(
        user=editor, source=claims[0], target=claims[1], relation="contradicts"
    )
    other_paper = f.PaperFactory(
        title="Another paper", title_en="Another paper", abstract="", keywords=[], venue="Studies"
    )
    other = f.PassageFactory(
        revision=f.RevisionFactory(paper=other_paper), text="Another paper on the divide."
    )
    CrossReference.objects.create(source_passage=passages[1], target_passage=other, score=0.4)
    ConceptCandidate.objects.create(term="platform economy", score=1, frequency=9, paper_count=2)
    data = b"A Paper on Platforms\n\nWang Li\n\nAbstract: Platforms matter.\n\n1 Introduction\n\nBody text.\n"
    upload = Upload.objects.create(
        batch=uuid.uuid4(),
        filename="paper.txt",
        format="txt",
        size=len(data),
        sha256=parse_bytes(data, filename="paper.txt").source.sha256,
        uploaded_by=admin_user,
        state=UploadState.PARSED,
        progress=100,
        preview=parse_bytes(data, filename="paper.txt").to_json(),
    )
    return {
        "paper": paper,
        "author": author,
        "concept": concept,
        "annotation": annotation,
        "claim": claims[0],
        "upload": upload,
        "group": group_services.group_create(user=admin_user, name="Reading group", owner=editor),
    }


PAGES = {
    "home": lambda w: reverse("home"),
    "paper-list": lambda w: reverse("papers:paper-list"),
    "paper-detail": lambda w: w["paper"].get_absolute_url(),
    "paper-edit": lambda w: reverse("papers:paper-edit", args=[w["paper"].pk]),
    "author-detail": lambda w: w["author"].get_absolute_url(),
    "concept-list": lambda w: reverse("kb:concept-list"),
    "concept-detail": lambda w: w["concept"].get_absolute_url(),
    "concept-edit": lambda w: reverse("kb:concept-edit", args=[w["concept"].slug]),
    "concept-candidates": lambda w: reverse("kb:concept-candidates"),
    "thesaurus-import": lambda w: reverse("kb:thesaurus-import"),
    "comparison": lambda w: reverse("kb:comparison"),
    "comparison-claims": lambda w: reverse("kb:comparison") + "?mode=claims",
    "paper-concept-graph": lambda w: reverse("kb:paper-concept-graph"),
    "concept-graph": lambda w: reverse("kb:concept-graph"),
    "crossref-review": lambda w: reverse("kb:crossref-review"),
    "search": lambda w: reverse("kb:search") + "?q=digital",
    "claim-list": lambda w: reverse("kb:claim-list"),
    "claim-list-filtered": lambda w: (
        reverse("kb:claim-list") + f"?paper={w['claim'].paper_id}&concept={w['concept'].slug}"
    ),
    "claim-detail": lambda w: w["claim"].get_absolute_url(),
    "claim-graph": lambda w: reverse("kb:claim-graph"),
    "concept-claims": lambda w: reverse("kb:concept-claims", args=[w["concept"].slug]),
    "annotation-detail": lambda w: w["annotation"].get_absolute_url(),
    "history-claim": lambda w: reverse("kb:history", args=["claim", w["claim"].pk]),
    "history-annotation": lambda w: reverse("kb:history", args=["annotation", w["annotation"].pk]),
    "orphan-list": lambda w: reverse("kb:orphan-list"),
    "upload-list": lambda w: reverse("kb:upload-list"),
    "upload-detail": lambda w: w["upload"].get_absolute_url(),
    "login": lambda w: reverse("login"),
    "group-list": lambda w: reverse("kb:group-list"),
    "group-create": lambda w: reverse("kb:group-create"),
    "group-detail": lambda w: reverse("kb:group-detail", args=[w["group"].pk]),
}


@pytest.fixture
def english(settings):
    def to_english(client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return to_english


@pytest.mark.parametrize("page", sorted(PAGES))
def test_an_english_page_has_no_chinese_chrome(page, library, admin_client_, english, settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "index")
    response = english(admin_client_).get(PAGES[page](library))
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert '<html lang="en">' in html
    found = chinese_in_chrome(html)
    assert not found, "\n".join(found)


def test_a_service_message_is_shown_in_english(library, admin_client_, english):
    """A service's refusal reaches the page in the reader's language."""
    client = english(admin_client_)
    response = client.post(
        reverse("papers:paper-edit", args=[library["paper"].pk]),
        {"title": "x", "doi": "not a doi", "language": "en", "status": "published"},
    )
    assert chinese_in_chrome(response.content.decode()) == []


def test_the_walk_sees_chinese_chrome(library, admin_client_):
    """The check itself: the same page in Chinese is caught."""
    html = admin_client_.get(reverse("papers:paper-list")).content.decode()
    assert chinese_in_chrome(html)


def test_every_service_message_is_translated():
    """Module constants of the services that hold Chinese are lazy translations with an English
    entry (a plain string reached the English page as 论断陈述不能为空。)."""
    import importlib
    import pkgutil

    from django.utils import translation
    from django.utils.functional import Promise

    import kb.services

    plain, untranslated = [], []
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(kb.services.__path__, prefix="kb.services.")
    ]
    for module in modules:
        for name, value in vars(module).items():
            if not name.isupper() or name.startswith("_"):
                continue
            if isinstance(value, str) and HAN.search(value):
                plain.append(f"{module.__name__}.{name}")
            elif isinstance(value, Promise) and HAN.search(str(value)):
                with translation.override("en"):
                    if HAN.search(str(value)):
                        untranslated.append(f"{module.__name__}.{name}")
    assert plain == []
    assert untranslated == []


def test_history_names_kinds_fields_and_reasons_as_people_do(library, editor, client, english):
    from kb.models import Annotation
    from kb.services import history as history_services

    annotation = library["annotation"]
    first = annotation.history.earliest().history_id
    history_services.history_restore(user=editor, model=Annotation, pk=annotation.pk, history_id=first)
    client.force_login(editor)
    url = reverse("kb:history", args=["annotation", annotation.pk])
    chinese = client.get(url).content.decode()
    assert f"批注 #{annotation.pk}" in chinese and "<td>内容</td>" in chinese
    assert f"恢复到版本 #{first}" in chinese
    english_page = english(client).get(url).content.decode()
    assert f"Annotation #{annotation.pk}" in english_page and "<td>Body</td>" in english_page
    assert f"restored to version #{first}" in english_page
    for raw in ("annotation #", "<td>body</td>", "restored #"):
        assert raw not in chinese and raw not in english_page
