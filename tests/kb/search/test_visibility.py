"""What each reader may find: private annotations, editors' annotations, drafts, rejected claims."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kb.models import ClaimStatus, Visibility
from kb.search.selectors import search_query
from papers.models import PaperStatus
from tests import factories as f
from tests.kb.search.conftest import make_paper


@pytest.fixture
def objects(db, reindex, editor, other_editor, scholar):
    _, passages = make_paper("论文", [("paragraph", "数字鸿沟的段落。")])
    p = passages[0]
    made = {
        "private": f.AnnotationFactory(
            passage=p, body="私密批注 蝴蝶效应", visibility=Visibility.PRIVATE, creator=editor
        ),
        "editors": f.AnnotationFactory(
            passage=p, body="编辑批注 蝴蝶效应", visibility=Visibility.EDITORS, creator=editor
        ),
        "public": f.AnnotationFactory(
            passage=p, body="公开批注 蝴蝶效应", visibility=Visibility.PUBLIC, creator=editor
        ),
        "rejected": f.ClaimFactory(
            paper=p.paper, statement="被驳回的论断 蝴蝶效应", status=ClaimStatus.REJECTED, creator=editor
        ),
    }
    draft = f.PaperFactory(title="草稿论文 蝴蝶效应", status=PaperStatus.DRAFT)
    made["draft"] = draft
    reindex()
    return made


def _found(user, objects):
    keys = {(h.type, h.obj_id) for h in search_query(query="蝴蝶效应", user=user).hits}
    return {
        name
        for name, obj in objects.items()
        if (("paper" if name == "draft" else "claim" if name == "rejected" else "annotation"), obj.pk) in keys
    }


def test_anonymous_sees_public_only(objects):
    assert _found(AnonymousUser(), objects) == {"public"}


def test_scholar_sees_public_only(objects, scholar):
    assert _found(scholar, objects) == {"public"}


def test_other_editor_never_sees_a_private_annotation(objects, other_editor):
    assert _found(other_editor, objects) == {"public", "editors", "rejected"}


def test_creator_sees_own_private_annotation(objects, editor):
    assert _found(editor, objects) == {"public", "editors", "private", "rejected"}


def test_admin_sees_drafts_but_not_others_private_annotations(objects, admin_user):
    assert _found(admin_user, objects) == {"public", "editors", "rejected", "draft"}


def test_no_public_read_means_nothing_for_anonymous(objects, settings):
    settings.KB_PUBLIC_READ = False
    assert search_query(query="蝴蝶效应", user=AnonymousUser()).hits == []


def test_a_group_note_is_found_by_the_groups_current_members_only(db, reindex, admin_user, scholar, editor):
    from kb.services import groups as group_services

    _, passages = make_paper("论文", [("paragraph", "数字鸿沟的段落。")])
    group = group_services.group_create(user=admin_user, name="读书会", owner=scholar)
    note = f.AnnotationFactory(
        passage=passages[0],
        body="小组批注 蝴蝶效应",
        visibility=Visibility.GROUP,
        group=group,
        creator=scholar,
    )
    reindex()

    def found(user) -> bool:
        return ("annotation", note.pk) in {
            (h.type, h.obj_id) for h in search_query(query="蝴蝶效应", user=user).hits
        }

    assert found(scholar) and not found(editor) and not found(admin_user)
    group_services.group_add_member(user=scholar, group=group, member=editor)
    assert found(editor)  # membership is read at query time: no reindex needed
    group_services.group_leave(user=editor, group=group)
    assert not found(editor)
