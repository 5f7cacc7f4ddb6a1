"""Shared fixtures: the four personas (anonymous, scholar, editor, admin) and a small paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests import factories as f

PERSONAS = ("anonymous", "scholar", "editor", "admin")


def pytest_configure(config):
    # Tests render templates without running collectstatic: plain static storage, and a
    # STATIC_ROOT that exists so whitenoise does not warn (warnings are errors here).
    django_settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_hasher(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KB_PAGE_CACHE_DIR = str(tmp_path / "page-images")


@pytest.fixture
def scholar(db):
    return f.UserFactory(username="scholar", role="Scholar")


@pytest.fixture
def editor(db):
    return f.UserFactory(username="editor", role="Editor")


@pytest.fixture
def other_editor(db):
    return f.UserFactory(username="editor2", role="Editor")


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="admin", role="Admin")


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous_client(db):
    return Client()


@pytest.fixture
def scholar_client(scholar):
    return _client_for(scholar)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def admin_client_(admin_user):
    return _client_for(admin_user)


@pytest.fixture(params=PERSONAS)
def persona(request, db):
    """(name, client) for each persona in turn."""
    name = request.param
    user = None if name == "anonymous" else request.getfixturevalue({"admin": "admin_user"}.get(name, name))
    return name, _client_for(user)


@pytest.fixture
def paper_with_text(db):
    """A published paper with authors, two sections, passages, a footnote and a citation."""
    paper = f.PaperFactory(title="数字鸿沟与共同富裕", year=2023)
    f.AuthorshipFactory(paper=paper, order=0)
    f.AuthorshipFactory(paper=paper, order=1)
    revision = f.RevisionFactory(paper=paper)
    s1 = f.SectionFactory(revision=revision, order=0, number="一、", heading="数字鸿沟的内涵")
    s2 = f.SectionFactory(revision=revision, order=1, number="二、", heading="弥合路径", level=1)
    texts = [
        ("heading", s1, "一、数字鸿沟的内涵"),
        ("paragraph", s1, "数字鸿沟是数字时代社会不平等的新形态①。"),
        ("heading", s2, "二、弥合路径"),
        ("paragraph", s2, "弥合数字鸿沟是实现共同富裕的重要路径[1]。"),
        ("footnote", s2, "①参见国家统计局数据。"),
    ]
    passages = f.passages_for(revision, texts, page=1)
    fn = f.FootnoteFactory(
        revision=revision, order=0, marker="①", passage=passages[4], text="参见国家统计局数据。"
    )
    passages[1].citations.create(marker="①", start=19, end=20, footnote=fn)
    return paper
