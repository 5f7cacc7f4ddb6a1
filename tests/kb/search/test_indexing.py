"""Keeping the index in step: the enqueue API and its task, rebuilds, a lost or corrupt index."""

import shutil
from pathlib import Path

from django.core.management import call_command

from kb.models import Visibility
from kb.search.index import forget_index
from kb.search.selectors import search_query
from kb.search.service import search_index, search_index_enqueue
from tests import factories as f
from tests.kb.search.conftest import make_paper


def _keys(query, user):
    return [(h.type, h.obj_id) for h in search_query(query=query, user=user).hits]


def test_enqueue_indexes_after_commit(db, scholar, editor, django_capture_on_commit_callbacks):
    _, passages = make_paper("论文", [("paragraph", "段落")])
    ann = f.AnnotationFactory(
        passage=passages[0], body="蝴蝶效应", visibility=Visibility.PUBLIC, creator=editor
    )
    with django_capture_on_commit_callbacks(execute=True):
        search_index_enqueue(obj=ann)
    assert _keys("蝴蝶效应", scholar) == [("annotation", ann.pk)]

    ann.visibility = Visibility.PRIVATE
    ann.save()
    with django_capture_on_commit_callbacks(execute=True):
        search_index_enqueue(obj=ann)
    assert _keys("蝴蝶效应", scholar) == []

    # Deleting: enqueue before the delete; the task finds the row gone and drops the document.
    with django_capture_on_commit_callbacks(execute=True):
        search_index_enqueue(obj=ann)
        ann.delete()
    assert _keys("蝴蝶效应", editor) == []


def test_paper_reindex_replaces_its_documents(db, scholar, django_capture_on_commit_callbacks):
    paper, passages = make_paper("论文", [("paragraph", "旧的段落 蝴蝶效应")])
    with django_capture_on_commit_callbacks(execute=True):
        search_index_enqueue(obj=paper)
    assert _keys("蝴蝶效应", scholar) == [("passage", passages[0].pk)]
    passages[0].text = "新的段落"
    passages[0].save()
    with django_capture_on_commit_callbacks(execute=True):
        search_index_enqueue(obj=paper)
    assert _keys("蝴蝶效应", scholar) == []
    assert _keys("新的段落", scholar) == [("passage", passages[0].pk)]


def test_rebuild_command(db, scholar):
    _, passages = make_paper("论文", [("paragraph", "蝴蝶效应")])
    call_command("rebuild_search_index", verbosity=0)
    assert _keys("蝴蝶效应", scholar) == [("passage", passages[0].pk)]


def test_lost_index_is_rebuilt(db, scholar, settings, django_capture_on_commit_callbacks):
    _, passages = make_paper("论文", [("paragraph", "蝴蝶效应")])
    shutil.rmtree(settings.KB_SEARCH_INDEX_DIR, ignore_errors=True)
    forget_index(settings.KB_SEARCH_INDEX_DIR)
    with django_capture_on_commit_callbacks(execute=True):
        search_index()
    assert _keys("蝴蝶效应", scholar) == [("passage", passages[0].pk)]


def test_corrupt_index_is_recreated_and_rebuilt(db, scholar, settings, django_capture_on_commit_callbacks):
    _, passages = make_paper("论文", [("paragraph", "蝴蝶效应")])
    path = Path(settings.KB_SEARCH_INDEX_DIR)
    path.mkdir(parents=True, exist_ok=True)
    (path / "meta.json").write_text("{not json")
    (path / "kb_schema.json").write_text('{"version": 1}')
    forget_index(path)
    with django_capture_on_commit_callbacks(execute=True):
        index = search_index()
    assert index.needs_rebuild is False
    assert _keys("蝴蝶效应", scholar) == [("passage", passages[0].pk)]


def test_loading_a_paper_indexes_it(db, scholar, django_capture_on_commit_callbacks):
    from kb.services.loading import paper_load

    data = "数字鸿沟的测量\n\n张三\n\n摘要：本文测量蝴蝶效应。\n\n一、引言\n\n蝴蝶效应在数字治理中普遍存在。\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = paper_load(data=data, filename="paper.txt")
    assert result.status != "failed", result.error
    assert result.paper_id in {h.paper_id for h in search_query(query="蝴蝶效应", user=scholar).hits}
