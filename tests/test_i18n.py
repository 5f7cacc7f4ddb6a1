"""Bilingual UI: 简体中文 by default, English switchable; the compiled catalog matches its source."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_chinese_is_the_default(client):
    html = client.get(reverse("papers:paper-list")).content.decode()
    assert 'lang="zh-Hans"' in html
    assert "论文" in html


@pytest.mark.django_db
def test_switching_to_english_persists_and_translates(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("papers:paper-list")})
    assert response.status_code == 302
    html = client.get(reverse("papers:paper-list")).content.decode()
    assert '<html lang="en">' in html
    assert "Papers" in html and "Log in" in html
    assert "登录" not in html


def test_every_message_is_translated():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert untranslated == []


def test_compiled_catalog_matches_the_source():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
    source = {
        e.msgid: e.msgstr for e in po if e.translated() and not e.msgid_plural and "fuzzy" not in e.flags
    }
    assert compiled == source, "run `make messages` to recompile locale/en"
