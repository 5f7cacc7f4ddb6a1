"""Every URL of the project, for every persona, with public reading off.

The URL list is walked from the resolver, so a new view is checked the moment it is
routed. Each URL name declares who may GET and who may POST it (``ACCESS``); a name
missing there fails the test, so a new view cannot slip in without saying who may
use it. For each URL:

- anonymous GET and POST are refused (302 to a login page, 403, 404 or 405);
- personas below the declared level are refused too, and their POSTs change no row;
- no response is ever a 500;
- the lowest persona allowed gets past the check (not 403 and not 404), so the sample
  arguments name real objects and a refusal above is the permission check at work;
- a POST without a CSRF token is refused, even for an admin, and changes no row.

``test_the_checks_catch_an_unprotected_view`` routes a view with no permission check
and shows that these checks report it.
"""

from __future__ import annotations

import re
import uuid
from types import ModuleType, SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from kb.models import CrossReference, CrossRefStatus, Upload, UploadState
from kb.models.concepts import ConceptCandidate
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import groups as group_services
from kb.services.tokens import token_create
from papers.services import paper_save_parsed
from tests import factories as f
from tests.kb.citation_samples import citation_world
from tests.papers.pagepdf import two_page_parsed, two_page_pdf

# Who may do what. "public": anyone; "read": any role (anyone while public reading is on);
# "edit": editors and admins; "admin": admins. A pair is (GET level, POST level).
PUBLIC, READ, EDIT, ADMIN = "public", "read", "edit", "admin"
RANK = {PUBLIC: 0, READ: 1, EDIT: 2, ADMIN: 3}
PERSONA_RANK = {"anonymous": 0, "scholar": 1, "editor": 2, "admin": 3}
ACCESS: dict[str, tuple[str, str]] = {
    # site-wide
    "home": (READ, READ),
    "login": (PUBLIC, PUBLIC),
    "logout": (PUBLIC, PUBLIC),
    "set_language": (PUBLIC, PUBLIC),
    # papers
    "papers:paper-list": (READ, READ),
    "papers:paper-detail": (READ, READ),
    "papers:paper-cite": (READ, READ),
    "papers:paper-export": (READ, READ),
    "papers:paper-edit": (ADMIN, ADMIN),
    "papers:page-view": (READ, READ),
    "papers:page-image": (READ, READ),
    "papers:passage-cite": (READ, READ),
    "papers:author-detail": (READ, READ),
    # concepts, comparison, graphs, cross-references
    "kb:concept-list": (READ, READ),
    "kb:thesaurus-skos": (READ, READ),
    "kb:thesaurus-import": (EDIT, EDIT),
    "kb:thesaurus-import-preview": (EDIT, EDIT),
    "kb:thesaurus-import-apply": (EDIT, EDIT),
    "kb:thesaurus-import-cancel": (EDIT, EDIT),
    "kb:concept-detail": (READ, READ),
    "kb:concept-create": (EDIT, EDIT),
    "kb:concept-edit": (EDIT, EDIT),
    "kb:concept-merge": (EDIT, EDIT),
    "kb:concept-candidates": (EDIT, EDIT),
    "kb:concept-candidate-decide": (EDIT, EDIT),
    "kb:mention-create": (EDIT, EDIT),
    "kb:mention-reject": (EDIT, EDIT),
    "kb:comparison": (READ, READ),
    "kb:comparison-csv": (READ, READ),
    "kb:concept-graph": (READ, READ),
    "kb:paper-concept-graph": (READ, READ),
    "kb:citation-graph": (READ, READ),
    "kb:crossref-review": (EDIT, EDIT),
    "kb:crossref-decide": (EDIT, EDIT),
    "kb:cited-work-detail": (READ, READ),
    "kb:citation-network-export": (READ, READ),
    "kb:cited-work-promote": (EDIT, EDIT),
    "kb:reference-link-decide": (EDIT, EDIT),
    "kb:citation-stance": (EDIT, EDIT),
    # search
    "kb:search": (READ, READ),
    "kb:search-api": (READ, READ),
    "kb:search-export": (READ, READ),
    "kb:concept-export": (READ, READ),
    "kb:paper-notes-export": (READ, READ),
    # admin uploads
    "kb:upload-list": (ADMIN, ADMIN),
    "kb:upload-create": (ADMIN, ADMIN),
    "kb:upload-detail": (ADMIN, ADMIN),
    "kb:upload-progress": (ADMIN, ADMIN),
    "kb:upload-update": (ADMIN, ADMIN),
    "kb:upload-publish": (ADMIN, ADMIN),
    "kb:upload-discard": (ADMIN, ADMIN),
    "kb:upload-retry": (ADMIN, ADMIN),
    # bibliographic record import
    "kb:record-import": (EDIT, EDIT),
    "kb:record-preview": (EDIT, EDIT),
    "kb:record-apply": (EDIT, EDIT),
    "kb:record-cancel": (EDIT, EDIT),
    # annotations, claims, history, W3C exchange
    # annotations: every signed-in user writes their own notes (private or for a group of theirs);
    # public knowledge (claims, cross-references, concepts, mentions, history) stays with editors
    "kb:api-paper-annotations": (READ, READ),
    "kb:api-annotation": (READ, READ),
    "kb:api-tags": (READ, READ),
    "kb:api-claim-create": (EDIT, EDIT),
    "kb:api-evidence-add": (EDIT, EDIT),
    "kb:api-claim-search": (EDIT, EDIT),
    "kb:api-concept-suggest": (READ, READ),
    "kb:evidence-stance": (EDIT, EDIT),
    "kb:api-crossref-create": (EDIT, EDIT),
    "kb:annotation-detail": (READ, READ),
    "kb:annotation-reply": (READ, READ),
    "kb:annotation-edit": (READ, READ),
    "kb:orphan-list": (EDIT, EDIT),
    "kb:orphan-reattach": (EDIT, EDIT),
    "kb:annotation-export": (READ, READ),
    "kb:annotation-margin": (READ, READ),
    "kb:annotation-import": (READ, READ),  # scholars import into their own notes
    "kb:claim-list": (READ, READ),
    "kb:claim-graph": (READ, READ),
    "kb:claim-detail": (READ, READ),
    "kb:claim-review": (EDIT, EDIT),
    "kb:claim-edit": (EDIT, EDIT),
    "kb:claim-relation-create": (EDIT, EDIT),
    "kb:relation-delete": (EDIT, EDIT),
    "kb:concept-claims": (READ, READ),
    "kb:history": (EDIT, EDIT),
    "kb:history-restore": (EDIT, EDIT),
    # my notes and the colours' names: signed-in users only (also while public reading is on)
    "kb:my-notes": (READ, READ),
    "kb:notes-export": (READ, READ),
    "kb:color-names": (READ, READ),
    # research groups: members see a group, owners and admins manage it (the services check
    # the group role: the matrix's scholar owns the sample group); editors and admins create them
    "kb:group-list": (READ, READ),
    "kb:group-create": (EDIT, EDIT),
    "kb:group-detail": (READ, READ),
    "kb:group-edit": (READ, READ),
    "kb:group-delete": (READ, READ),
    "kb:group-leave": (READ, READ),
    "kb:group-member-add": (READ, READ),
    "kb:group-member-role": (READ, READ),
    "kb:group-member-remove": (READ, READ),
    "kb:note-scope": (READ, READ),
    # reading in place: where one stopped, the concept-underline setting (signed-in readers, POST only)
    "kb:reading-position": (READ, READ),
    "kb:reading-preferences": (READ, READ),
    # the read API (kb.api): GET only (a POST is 405, or 403 without a CSRF token); anonymous
    # callers get 401 while public reading is off. Editors and admins manage their API tokens.
    "api:api-root": (READ, READ),
    "api:openapi-json": (READ, READ),
    "api:openapi-view": (READ, READ),
    "api:paper-list": (READ, READ),
    "api:paper-detail": (READ, READ),
    "api:paper-passages": (READ, READ),
    "api:paper-mentions": (READ, READ),
    "api:concept-list": (READ, READ),
    "api:concept-detail": (READ, READ),
    "api:concept-mentions": (READ, READ),
    "api:claim-list": (READ, READ),
    "api:claim-detail": (READ, READ),
    "api:crossref-list": (READ, READ),
    "api:annotation-list": (READ, READ),
    "api:annotation-detail": (READ, READ),
    "api:search": (READ, READ),
    "kb:token-list": (EDIT, EDIT),
    "kb:token-revoke": (EDIT, EDIT),
    # the Django admin: its login page is public, everything else is for admins
    "admin:login": (PUBLIC, PUBLIC),
    "admin:logout": (PUBLIC, PUBLIC),
}
ADMIN_SITE = "admin:"

# URLs not requested, each with the reason. Kept short: the test fails if it grows.
SKIPPED = {
    "admin/(?P<url>.*)$": "the admin's catch-all answers every unknown path; admin:index covers its check",
}

# 401: the read API asks for credentials (kb.api.auth) instead of sending to the login page.
REFUSED = {302, 401, 403, 404, 405}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


# -- the URL list --------------------------------------------------------------------------------


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, name, converters) for every URL pattern, includes followed."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            # An unnamed URL in a namespace is known by its namespace alone ("admin:").
            name = f"{namespace}:{pattern.name or ''}" if namespace else pattern.name or ""
            yield prefix + str(pattern.pattern), name


def access_of(name: str) -> tuple[str, str] | None:
    if name in ACCESS:
        return ACCESS[name]
    if name.startswith(ADMIN_SITE):
        return (ADMIN, ADMIN)
    return None


# -- a small world with one of everything -----------------------------------------------------


@pytest.fixture
def world(paper_with_text, scholar, editor, admin_user):
    paper = paper_with_text
    passage = paper.passages.get(order=1)
    other_passage = f.PassageFactory(text="数字鸿沟的另一种说法，出现在另一篇论文里。")
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="digital-divide")
    mention = f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
    annotation = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="公开", visibility="public"
    )
    claim = claim_services.claim_create(
        user=editor,
        paper=paper,
        statement="数字鸿沟阻碍共同富裕。",
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    )
    other_claim = f.ClaimFactory(paper=paper, creator=editor)
    relation = claim_services.claim_relation_create(
        user=editor, source=claim, target=other_claim, relation="supports"
    )
    suggestion = CrossReference.objects.create(
        source_passage=passage, target_passage=other_passage, status=CrossRefStatus.SUGGESTED, score=0.5
    )
    candidate = ConceptCandidate.objects.create(term="平台经济", score=1, frequency=9, paper_count=2)
    upload = Upload.objects.create(
        batch=uuid.uuid4(),
        filename="a.txt",
        format="txt",
        size=10,
        sha256="0" * 64,
        uploaded_by=admin_user,
        state=UploadState.FAILED,
    )
    # A group the scholar owns, with one more member, and the scholar's note shared with it.
    group = group_services.group_create(user=admin_user, name="数字治理读书会", owner=scholar)
    member = f.UserFactory(role="Scholar")
    group_services.group_add_member(user=scholar, group=group, member=member)
    group_note = annotation_services.annotation_create(
        user=scholar, passage=passage, start=0, end=4, exact="数字鸿沟", visibility=f"group:{group.pk}"
    )
    pdf_paper = paper_save_parsed(parsed=two_page_parsed(two_page_pdf()), data=two_page_pdf()).paper
    pdf_passage = pdf_paper.passages.get(order=1)
    # The citation network: a reference of the paper linked to a cited work, a statement of its citation.
    cited_work, reference_link, statement = citation_world(paper)
    kwargs_by_name = {
        "papers:paper-detail": {"pk": paper.pk},
        "papers:page-view": {"pk": pdf_paper.pk, "page": 1},
        "papers:page-image": {"pk": pdf_paper.pk, "page": 1},
        "papers:passage-cite": {"pk": pdf_paper.pk, "passage_pk": pdf_passage.pk, "fmt": "ris"},
        "papers:paper-cite": {"pk": paper.pk, "fmt": "ris"},
        "kb:search-export": {"fmt": "ris"},
        "papers:paper-export": {"fmt": "ris"},
        "kb:concept-export": {"slug": concept.slug, "fmt": "bib"},
        "papers:paper-edit": {"pk": paper.pk},
        "papers:author-detail": {"pk": paper.authorships.first().author_id},
        "kb:concept-candidate-decide": {"pk": candidate.pk, "action": "dismiss"},
        "kb:mention-reject": {"pk": mention.pk},
        "kb:crossref-decide": {"pk": suggestion.pk, "action": "reject"},
        "kb:cited-work-detail": {"pk": cited_work.pk},
        "kb:citation-network-export": {"fmt": "graphml"},
        "kb:cited-work-promote": {"pk": cited_work.pk},
        "kb:reference-link-decide": {"pk": reference_link.pk, "action": "confirm"},
        "kb:citation-stance": {"pk": statement.pk},
        "kb:api-annotation": {"pk": annotation.pk},
        "kb:api-evidence-add": {"pk": claim.pk},
        "kb:evidence-stance": {"pk": claim.evidence.get().pk},
        "kb:annotation-detail": {"pk": annotation.pk},
        "kb:annotation-reply": {"pk": group_note.pk},
        "kb:annotation-edit": {"pk": group_note.pk},
        "kb:orphan-reattach": {"kind": "annotation", "pk": annotation.pk},
        "kb:relation-delete": {"pk": relation.pk},
        "api:claim-detail": {"claim_id": claim.pk},
        "api:annotation-detail": {"annotation_id": annotation.pk},
        "kb:token-revoke": {"pk": token_create(user=editor, name="脚本")[0].pk},
        "kb:history": {"model_name": "claim", "pk": claim.pk},
        "kb:history-restore": {
            "model_name": "claim",
            "pk": claim.pk,
            "history_id": claim.history.earliest().history_id,
        },
    }
    # By argument name, for every other URL (a wrong guess shows as a 404 for the allowed persona).
    kwargs_by_argument = {
        "slug": concept.slug,
        "paper_pk": paper.pk,
        "app_label": "kb",
        "object_id": str(concept.pk),
        "content_type_id": 1,
        "id": admin_user.pk,
    }
    kwargs_by_prefix = {
        "kb:upload-": {"pk": upload.pk},
        "kb:claim-": {"pk": claim.pk},
        "kb:group-": {"pk": group.pk, "user_pk": member.pk},
    }
    return SimpleNamespace(
        by_name=kwargs_by_name,
        by_argument=kwargs_by_argument,
        by_prefix=kwargs_by_prefix,
        default_pk=paper.pk,
    )


def sample_url(route: str, name: str, world) -> str:
    arguments = [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]
    kwargs = dict(world.by_name.get(name, {}))
    for prefix, values in world.by_prefix.items():
        if name.startswith(prefix) and not kwargs:
            kwargs = dict(values)
    for argument in arguments:
        kwargs.setdefault(argument, world.by_argument.get(argument, world.default_pk))
    kwargs = {k: v for k, v in kwargs.items() if k in arguments}
    if not name.endswith(":"):
        return reverse(name, kwargs=kwargs)
    # Unnamed (the admin's old-style object URLs): fill the route in by hand.
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


# -- the checks ---------------------------------------------------------------------------------


def fingerprint() -> tuple:
    """Rows per table and the latest ``updated_at`` where there is one, in one query."""
    parts = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.db_table == "django_session" or not model._meta.managed:
            continue
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - names come from the models
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            parts.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")  # noqa: S608 - same
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def _refusal(response) -> str | None:
    """Why ``response`` is not a refusal, or None when it is one."""
    status = response.status_code
    if status not in REFUSED:
        return f"status {status}"
    if status == 302 and not response["Location"].startswith(LOGIN_PATHS):
        return f"302 to {response['Location']}"
    return None


def _request(client: Client, method: str, url: str):
    """The response, and whether the request changed the database; then the change is undone,
    so every URL meets the same world whatever the URLs before it did."""
    with transaction.atomic():
        before = fingerprint()
        response = getattr(client, method)(url)
        changed = fingerprint() != before
        transaction.set_rollback(True)
    return response, changed


def check_url(url: str, name: str, clients: dict[str, Client], csrf_client: Client) -> list[str]:
    """Every problem with one URL (empty when its checks hold)."""
    levels = access_of(name)
    if levels is None:
        return [f"{url}: no access level declared for {name or 'an unnamed URL'} (add it to ACCESS)"]
    problems = []
    for method, level in zip(("get", "post"), levels, strict=True):
        for persona, client in clients.items():
            response, changed = _request(client, method, url)
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {url} as {persona}: {response.status_code}")
                continue
            if PERSONA_RANK[persona] < RANK[level]:
                why = _refusal(response)
                if why:
                    problems.append(f"{method.upper()} {url} as {persona} ({level} only): {why}")
                if changed:
                    problems.append(f"{method.upper()} {url} as {persona} changed the database")
            elif PERSONA_RANK[persona] == max(RANK[level], 1) and response.status_code in (403, 404):
                problems.append(f"{method.upper()} {url} as {persona}: {response.status_code} (bad sample?)")
    response, changed = _request(csrf_client, "post", url)
    if response.status_code != 403:
        problems.append(f"POST {url} without a CSRF token: {response.status_code}")
    if changed:
        problems.append(f"POST {url} without a CSRF token changed the database")
    return problems


def check_all(urlconf, world, clients, csrf_client) -> tuple[list[str], int]:
    problems, checked = [], 0
    for route, name in walk(get_resolver(urlconf).url_patterns):
        if route in SKIPPED:
            continue
        if not name:
            problems.append(f"{route}: unnamed URL outside a namespace (name it, or skip it with a reason)")
            continue
        problems += check_url(sample_url(route, name, world), name, clients, csrf_client)
        checked += 1
    return problems, checked


@pytest.fixture
def clients(scholar, editor, admin_user, settings):
    settings.KB_PUBLIC_READ = False
    out = {}
    for persona, user in (
        ("anonymous", None),
        ("scholar", scholar),
        ("editor", editor),
        ("admin", admin_user),
    ):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        out[persona] = client
    return out


@pytest.fixture
def csrf_client(admin_user):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(admin_user)
    return client


# -- the tests ----------------------------------------------------------------------------------


def test_every_url_checks_permissions(world, clients, csrf_client):
    problems, checked = check_all(None, world, clients, csrf_client)
    assert problems == [], "\n".join(problems)
    assert checked == len(list(walk(get_resolver().url_patterns))) - len(SKIPPED)


def test_every_declared_name_and_skip_is_a_real_url():
    routes = list(walk(get_resolver().url_patterns))
    names = {name for _, name in routes}
    assert set(ACCESS) - names == set()
    assert set(SKIPPED) <= {route for route, _ in routes}
    assert len(SKIPPED) <= 2


def test_the_admin_only_pages_refuse_editors(world, clients):
    for route, name in walk(get_resolver().url_patterns):
        if route in SKIPPED or access_of(name) != (ADMIN, ADMIN):
            continue
        url = sample_url(route, name, world)
        for method in ("get", "post"):
            assert _refusal(getattr(clients["editor"], method)(url)) is None, (method, url)


def _unprotected(request, pk):
    """A view that forgot its permission check: it reads and writes for anyone."""
    if request.method == "POST":
        ConceptCandidate.objects.create(term=f"漏洞{pk}")
    return HttpResponse("ok")


def _urlconf(level: str | None):
    probe = ModuleType("probe_urls")  # a module, because the resolver caches by urlconf
    probe.urlpatterns = [path("probe/<int:pk>/", _unprotected, name="probe"), path("", include("kb.urls"))]
    if level is not None:
        ACCESS["probe"] = (level, level)
    return probe


@pytest.mark.parametrize("level", [READ, EDIT, ADMIN, None])
def test_the_checks_catch_an_unprotected_view(world, clients, csrf_client, level, settings):
    probe = _urlconf(level)
    settings.ROOT_URLCONF = probe
    try:
        problems, _ = check_all(probe, world, clients, csrf_client)
    finally:
        ACCESS.pop("probe", None)
    probe_problems = [p for p in problems if "/probe/" in p]
    assert probe_problems, problems
    assert len(probe_problems) == len(problems)  # the real URLs still pass under the probe urlconf
    if level is None:
        assert all("no access level declared for probe" in p for p in probe_problems)
    else:
        assert any("as anonymous" in p and "status 200" in p for p in probe_problems)
    if level in (EDIT, ADMIN):
        assert any("as scholar changed the database" in p for p in probe_problems)
    if level == ADMIN:
        assert any("as editor" in p for p in probe_problems)
