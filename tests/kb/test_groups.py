"""Research groups and group notes, by persona: the group's owner, a member, an outsider.

A group note is seen by the group's members only, everywhere it could show: the reader, the
margin fragment, search, the W3C export, the JSON API, history and the Django admin. Leaving
the group hides it at once. Scholars write their own notes (private or for a group of theirs),
never public ones; owners and admins manage the group; the last owner cannot leave.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kb.models import Annotation, GroupMembership, GroupRole, ResearchGroup, UserPreference, Visibility
from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.selectors import search_query
from kb.search.service import search_index_rebuild
from kb.services import annotations as annotation_services
from kb.services import audiences, preferences
from kb.services import groups as services
from kb.views import groups as group_views
from tests import factories as f

SECRET = "读书会内部讨论"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(db):
    return f.UserFactory(username="owner", role="Scholar")


@pytest.fixture
def member(db):
    return f.UserFactory(username="member", role="Scholar")


@pytest.fixture
def outsider(db):
    return f.UserFactory(username="outsider", role="Scholar")


@pytest.fixture
def group(admin_user, owner, member):
    group = services.group_create(user=admin_user, name="数字治理读书会", owner=owner)
    services.group_add_member(user=owner, group=group, member=member)
    return group


@pytest.fixture
def note(paper_with_text, group, owner):
    passage = paper_with_text.passages.get(order=1)
    return annotation_services.annotation_create(
        user=owner,
        passage=passage,
        start=0,
        end=4,
        exact="数字鸿沟",
        body=SECRET,
        tags=["小组标签"],
        visibility=f"group:{group.pk}",
    )


@pytest.fixture
def search_index(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    dictionary.thesaurus_changed()
    yield search_index_rebuild
    forget_index(settings.KB_SEARCH_INDEX_DIR)


# -- what each persona sees ----------------------------------------------------------------------


def _reader(user, paper) -> str:
    return _client(user).get(paper.get_absolute_url()).content.decode()


def _api_ids(user, paper) -> list[int]:
    data = _client(user).get(reverse("kb:api-paper-annotations", args=[paper.pk])).json()
    return [a["id"] for a in data["annotations"]]


def _export_text(user) -> str:
    return _client(user).get(reverse("kb:annotation-export")).content.decode()


def _found(user) -> bool:
    return any(h.type == "annotation" for h in search_query(query=SECRET, user=user).hits)


def test_members_see_a_group_note_in_the_reader_and_outsiders_do_not(
    note, paper_with_text, owner, member, outsider, editor, admin_user
):
    assert SECRET in _reader(owner, paper_with_text)
    assert SECRET in _reader(member, paper_with_text)
    for user in (outsider, editor, admin_user):  # an admin who is no member does not see it either
        assert SECRET not in _reader(user, paper_with_text), user
    margin = reverse("kb:annotation-margin", args=[paper_with_text.pk])
    assert SECRET in _client(member).get(margin).content.decode()
    assert SECRET not in _client(outsider).get(margin).content.decode()


def test_the_api_shows_a_group_note_to_members_only(note, paper_with_text, group, member, outsider):
    assert _api_ids(member, paper_with_text) == [note.pk]
    data = _client(member).get(reverse("kb:api-annotation", args=[note.pk])).json()
    assert (data["visibility"], data["group"]) == ("group", group.pk)
    assert _api_ids(outsider, paper_with_text) == []
    assert _client(outsider).get(reverse("kb:api-annotation", args=[note.pk])).status_code == 404
    assert _client(outsider).get(reverse("kb:annotation-detail", args=[note.pk])).status_code == 404
    tags = reverse("kb:api-tags")
    assert _client(member).get(tags).json()["tags"] == ["小组标签"]
    assert _client(outsider).get(tags).json()["tags"] == []


def test_the_w3c_export_holds_a_group_note_for_members_only(note, member, outsider):
    assert SECRET in _export_text(member)
    assert SECRET not in _export_text(outsider)
    assert json.loads(_export_text(outsider))["total"] == 0


def test_search_finds_a_group_note_for_members_only(note, search_index, owner, member, outsider, editor):
    search_index()
    assert _found(owner) and _found(member)
    assert not _found(outsider) and not _found(editor)


def test_history_of_a_group_note_is_for_members_only(note, group, owner, editor, other_editor):
    services.group_add_member(user=owner, group=group, member=editor)
    annotation_services.annotation_update(user=owner, annotation=note, body="修订后的内部讨论")
    url = reverse("kb:history", args=["annotation", note.pk])
    page = _client(editor).get(url)
    assert page.status_code == 200 and "修订后的内部讨论" in page.content.decode()
    assert _client(other_editor).get(url).status_code == 404
    annotation_services.annotation_delete(user=owner, annotation=note)  # judged by its last record
    assert _client(editor).get(url).status_code == 200
    assert _client(other_editor).get(url).status_code == 404


def test_the_django_admin_lists_a_group_note_for_members_only(note, group, owner, admin_user):
    changelist = reverse("admin:kb_annotation_changelist")
    assert "数字鸿沟" not in _client(admin_user).get(changelist).content.decode()
    services.group_add_member(user=owner, group=group, member=admin_user)
    assert "数字鸿沟" in _client(admin_user).get(changelist).content.decode()


def test_leaving_the_group_hides_its_notes_at_once(note, paper_with_text, group, member, search_index):
    search_index()
    client = _client(member)  # the same session before and after: nothing is cached
    assert SECRET in client.get(paper_with_text.get_absolute_url()).content.decode()
    assert _found(member)
    response = client.post(reverse("kb:group-leave", args=[group.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("kb:group-list")
    assert not GroupMembership.objects.filter(group=group, user=member).exists()
    assert SECRET not in client.get(paper_with_text.get_absolute_url()).content.decode()
    assert client.get(reverse("kb:api-annotation", args=[note.pk])).status_code == 404
    assert SECRET not in client.get(reverse("kb:annotation-export")).content.decode()
    assert not _found(member)
    assert client.get(reverse("kb:group-detail", args=[group.pk])).status_code == 404


def test_replies_carry_their_threads_group(note, group, member, outsider):
    reply = annotation_services.annotation_reply(user=member, parent=note, body="同意")
    assert (reply.visibility, reply.group_id) == (Visibility.GROUP, group.pk)
    assert not Annotation.objects.visible_to(outsider).filter(pk=reply.pk).exists()
    response = _client(outsider).post(reverse("kb:annotation-reply", args=[note.pk]), {"body": "我也来"})
    assert response.status_code == 404


def test_making_a_note_private_takes_its_replies_along(note, owner, member):
    reply = annotation_services.annotation_reply(user=member, parent=note, body="同意")
    annotation_services.annotation_update(user=owner, annotation=note, visibility="private")
    reply.refresh_from_db()
    assert (reply.visibility, reply.group_id) == (Visibility.PRIVATE, None)
    # The member keeps only what they wrote themselves.
    assert list(Annotation.objects.visible_to(member).filter(pk__in=[note.pk, reply.pk])) == [reply]


# -- who may share with whom --------------------------------------------------------------------


def test_a_scholar_shares_only_with_a_group_of_theirs(paper_with_text, group, outsider, member):
    passage = paper_with_text.passages.get(order=1)
    kwargs = {"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}
    with pytest.raises(PermissionDenied) as refused:
        annotation_services.annotation_create(user=outsider, visibility=f"group:{group.pk}", **kwargs)
    assert str(refused.value) == str(audiences.NOT_IN_GROUP)
    for visibility in ("public", "editors"):
        with pytest.raises(PermissionDenied) as refused:
            annotation_services.annotation_create(user=member, visibility=visibility, **kwargs)
        assert str(refused.value) == str(audiences.PUBLIC_NEEDS_EDITOR)
    with pytest.raises(ValidationError) as invalid:
        annotation_services.annotation_create(user=member, visibility="group", **kwargs)
    assert invalid.value.messages == [str(audiences.GROUP_REQUIRED)]
    note = annotation_services.annotation_create(user=member, visibility="group", group=group.pk, **kwargs)
    assert note.group == group
    assert Annotation.objects.count() == 1


def test_a_scholar_edits_and_deletes_only_their_own_notes(note, owner, member):
    response = _client(member).patch(
        reverse("kb:api-annotation", args=[note.pk]), data='{"body": "改"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert _client(member).delete(reverse("kb:api-annotation", args=[note.pk])).status_code == 403
    response = _client(owner).post(
        reverse("kb:annotation-edit", args=[note.pk]),
        {"body": "改过的讨论", "tags": "", "visibility": "private", "version": note.version},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.body, note.visibility, note.group_id) == ("改过的讨论", "private", None)
    assert _client(owner).delete(reverse("kb:api-annotation", args=[note.pk])).status_code == 204
    assert not Annotation.objects.exists()


def test_the_toolbar_offers_a_scholar_their_groups_and_never_public(note, paper_with_text, group, member):
    annotator = _reader(member, paper_with_text).split('id="annotator"')[1]
    assert f'<option value="group:{group.pk}">' in annotator
    assert 'value="public"' not in annotator and 'value="editors"' not in annotator


# -- the reader's note filter --------------------------------------------------------------------


def test_the_note_filter_is_remembered_and_applied(note, paper_with_text, group, member):
    passage = paper_with_text.passages.get(order=3)
    mine = annotation_services.annotation_create(
        user=member, passage=passage, start=0, end=2, exact="弥合", body="我自己的笔记"
    )
    client = _client(member)
    url = reverse("kb:note-scope")
    response = client.post(url, {"scope": "mine", "next": paper_with_text.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == paper_with_text.get_absolute_url()
    assert UserPreference.objects.get(user=member).note_scope == "mine"
    page = client.get(paper_with_text.get_absolute_url()).content.decode()
    assert "我自己的笔记" in page and SECRET not in page
    client.post(url, {"scope": f"group:{group.pk}"})
    page = client.get(paper_with_text.get_absolute_url()).content.decode()
    assert SECRET in page and "我自己的笔记" not in page
    client.post(url, {"scope": "public"})
    page = client.get(paper_with_text.get_absolute_url()).content.decode()
    assert SECRET not in page and "我自己的笔记" not in page
    assert mine.pk  # still there: a filter hides nothing for good
    response = client.post(url, {"scope": "everything", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")  # no open redirect; the bad value is refused
    assert UserPreference.objects.get(user=member).note_scope == "public"


def test_a_filter_on_a_group_one_has_left_shows_all(note, paper_with_text, group, member, owner):
    preferences.preference_update(user=member, note_scope=f"group:{group.pk}")
    services.group_leave(user=member, group=group)
    mine = annotation_services.annotation_create(
        user=member, passage=paper_with_text.passages.get(order=3), start=0, end=2, exact="弥合", body="我的"
    )
    assert "我的" in _reader(member, paper_with_text) and mine.pk


def test_preference_update_refuses_unknown_fields_and_anonymous(member):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationError) as invalid:
        preferences.preference_update(user=member, theme="dark")
    assert invalid.value.messages == [str(preferences.UNKNOWN_PREFERENCE)]
    with pytest.raises(PermissionDenied):
        preferences.preference_update(user=AnonymousUser(), note_scope="mine")
    assert preferences.preference_get(user=AnonymousUser()).note_scope == "all"


# -- managing a group ----------------------------------------------------------------------------


def test_editors_and_admins_create_groups_scholars_do_not(editor, scholar, admin_user):
    with pytest.raises(PermissionDenied):
        services.group_create(user=scholar, name="学者自建")
    with pytest.raises(PermissionDenied):
        services.group_create(user=editor, name="替人建", owner=scholar)
    group = services.group_create(user=editor, name="  编辑的 小组 ")
    assert group.name == "编辑的 小组"
    assert GroupMembership.objects.get(group=group).role == GroupRole.OWNER
    with pytest.raises(ValidationError) as invalid:
        services.group_create(user=admin_user, name="编辑的 小组")
    assert invalid.value.messages == [str(services.NAME_TAKEN)]
    assert _client(scholar).get(reverse("kb:group-create")).status_code == 403
    response = _client(admin_user).post(
        reverse("kb:group-create"), {"name": "管理员替人建", "description": "", "owner": "scholar"}
    )
    made = ResearchGroup.objects.get(name="管理员替人建")
    assert response.status_code == 302 and response["Location"] == reverse("kb:group-detail", args=[made.pk])
    assert list(made.memberships.values_list("user__username", "role")) == [("scholar", "owner")]


def test_owners_manage_members_and_members_do_not(group, owner, member, outsider):
    add = reverse("kb:group-member-add", args=[group.pk])
    assert _client(member).post(add, {"username": "outsider", "role": "member"}).status_code == 403
    assert _client(outsider).post(add, {"username": "outsider", "role": "member"}).status_code == 404
    assert not group.memberships.filter(user=outsider).exists()
    response = _client(owner).post(add, {"username": "outsider", "role": "member"})
    assert response.status_code == 302
    assert group.memberships.filter(user=outsider, role="member").exists()
    response = _client(owner).post(add, {"username": "nobody", "role": "member"}, follow=True)
    assert str(group_views.NO_SUCH_USER) in response.content.decode()
    remove = reverse("kb:group-member-remove", args=[group.pk, outsider.pk])
    assert _client(member).post(remove).status_code == 403
    assert _client(owner).post(remove).status_code == 302
    assert not group.memberships.filter(user=outsider).exists()


def test_the_group_page_shows_management_to_owners_only(group, owner, member, outsider, admin_user):
    url = reverse("kb:group-detail", args=[group.pk])
    assert _client(outsider).get(url).status_code == 404
    member_page = _client(member).get(url).content.decode()
    assert "member" in member_page and reverse("kb:group-member-add", args=[group.pk]) not in member_page
    for manager in (owner, admin_user):
        page = _client(manager).get(url).content.decode()
        assert reverse("kb:group-member-add", args=[group.pk]) in page
    listing = _client(member).get(reverse("kb:group-list")).content.decode()
    assert "数字治理读书会" in listing
    assert "数字治理读书会" not in _client(outsider).get(reverse("kb:group-list")).content.decode()


def test_the_last_owner_hands_over_before_leaving(group, owner, member):
    for attempt in (
        lambda: services.group_leave(user=owner, group=group),
        lambda: services.group_set_role(user=owner, group=group, member=owner, role="member"),
        lambda: services.group_remove_member(user=owner, group=group, member=owner),
    ):
        with pytest.raises(ValidationError) as invalid:
            attempt()
        assert invalid.value.messages == [str(services.LAST_OWNER)]
    response = _client(owner).post(reverse("kb:group-leave", args=[group.pk]), follow=True)
    assert str(services.LAST_OWNER) in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.group_set_role(user=member, group=group, member=member, role="owner")
    services.group_set_role(user=owner, group=group, member=member, role="owner")
    services.group_leave(user=owner, group=group)
    assert list(group.memberships.values_list("user__username", "role")) == [("member", "owner")]


def test_deleting_a_group_keeps_its_notes_private_to_their_authors(note, group, owner, member):
    reply = annotation_services.annotation_reply(user=member, parent=note, body="同意")
    url = reverse("kb:group-delete", args=[group.pk])
    assert _client(member).post(url, {"confirm": "yes"}).status_code == 403
    response = _client(owner).post(url, {})  # no confirmation: nothing happens
    assert ResearchGroup.objects.filter(pk=group.pk).exists() and response.status_code == 302
    response = _client(owner).post(url, {"confirm": "yes"})
    assert response.status_code == 302 and not ResearchGroup.objects.filter(pk=group.pk).exists()
    note.refresh_from_db()
    reply.refresh_from_db()
    assert (note.visibility, note.group_id, reply.visibility) == ("private", None, "private")
    assert Annotation.objects.visible_to(owner).filter(pk=note.pk).exists()
    assert not Annotation.objects.visible_to(member).filter(pk=note.pk).exists()


def test_the_admin_renames_a_group_through_the_service(group, admin_user):
    url = reverse("admin:kb_researchgroup_change", args=[group.pk])
    client = _client(admin_user)
    assert client.get(url).status_code == 200
    services.group_create(user=admin_user, name="另一个小组")
    response = client.post(url, {"name": "另一个小组", "description": "", **_inline_management()})
    assert response.status_code == 200
    assert str(services.NAME_TAKEN) in response.content.decode()
    response = client.post(url, {"name": "治理读书会", "description": "每周一次", **_inline_management()})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.description) == ("治理读书会", "每周一次")
    assert group.history.latest().history_user == admin_user


def _inline_management() -> dict:
    prefix = "memberships"
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
