"""The UI starts in 简体中文 whatever the browser prefers; the switcher's choice sticks."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_english_browser_still_gets_chinese_by_default(client):
    html = client.get(reverse("papers:paper-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-Hans"' in html


@pytest.mark.django_db
def test_unknown_cookie_value_falls_back_to_chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert 'lang="zh-Hans"' in client.get(reverse("papers:paper-list")).content.decode()


@pytest.mark.django_db
def test_switcher_names_english_in_english(client):
    html = client.get(reverse("papers:paper-list")).content.decode()
    assert 'value="en" class="link-button" lang="en">English</button>' in html


@pytest.mark.django_db
def test_a_request_in_english_does_not_leak_into_the_thread(client, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("papers:paper-list"))
    assert translation.get_language() == settings.LANGUAGE_CODE
