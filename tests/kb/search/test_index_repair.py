"""A corrupt or unreadable index: searches answer "search is being rebuilt" (never a 500) and a
rebuild is enqueued; the worker's rebuild brings the results back."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks import default_task_backend

from kb.search.service import search_index
from kb.search.tasks import search_index_rebuild_task
from tests.kb.search.conftest import make_paper

DATA_SUFFIXES = {".idx", ".pos", ".store", ".term", ".fast", ".fieldnorm"}


def _corrupt(index_dir: str) -> int:
    """Garbage in place of the index files. New files (``os.replace``), never rewritten in place:
    a handle that has them mapped keeps its pages (truncating a mapped file is a SIGBUS)."""
    hit = 0
    for path in Path(index_dir).iterdir():
        if path.suffix in DATA_SUFFIXES:
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(b"\x00garbage" * 8)
            os.replace(tmp, path)
            hit += 1
    assert hit, "no index files to corrupt"
    return hit


class PanicException(BaseException):
    """What a Rust panic inside the search library arrives as (pyo3's name, a BaseException)."""


@pytest.fixture
def indexed(reindex):
    make_paper("数字鸿沟研究", [("paragraph", "数字鸿沟是数字时代的新不平等。")])
    reindex()


@pytest.fixture
def queued(settings):
    """Tasks are queued for the worker instead of run at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    default_task_backend.clear()
    return default_task_backend


def _rebuilds(backend) -> int:
    return sum(1 for r in backend.results if r.task.name == search_index_rebuild_task.name)


@pytest.mark.parametrize("route", ["kb:search", "kb:search-api"])
def test_corrupt_index_answers_being_rebuilt_and_the_worker_repairs_it(
    indexed, queued, scholar_client, settings, django_capture_on_commit_callbacks, route, monkeypatch
):
    url = reverse(route)
    assert "数字鸿沟研究" in scholar_client.get(url, {"q": "数字鸿沟"}).content.decode()
    _corrupt(settings.KB_SEARCH_INDEX_DIR)
    # This process's handle still maps the old files; the library fails inside it, as it did
    # under gunicorn (a panic: the pages it reads are gone).
    stale = search_index()

    def panics():
        raise PanicException("range start index out of range for slice")

    monkeypatch.setattr(stale, "searcher", panics)
    with django_capture_on_commit_callbacks(execute=True):
        response = scholar_client.get(url, {"q": "数字鸿沟"})
    assert response.status_code == 200
    if route == "kb:search":
        assert "搜索正在重建，请稍后再试。" in response.content.decode()
    else:
        assert response.json()["unavailable"] is True and response.json()["hits"] == []
    assert _rebuilds(queued) == 1
    # The worker runs the queued rebuild; searches find the paper again.
    search_index_rebuild_task.call()
    again = scholar_client.get(url, {"q": "数字鸿沟"})
    assert again.status_code == 200 and "数字鸿沟研究" in again.content.decode()
    assert "搜索正在重建" not in again.content.decode()


def test_a_process_that_opens_a_corrupt_index_recreates_it_and_says_so(
    indexed, queued, scholar_client, settings, django_capture_on_commit_callbacks
):
    from kb.search.index import forget_index

    forget_index(settings.KB_SEARCH_INDEX_DIR)  # as a freshly started web process
    gc.collect()
    _corrupt(settings.KB_SEARCH_INDEX_DIR)
    with django_capture_on_commit_callbacks(execute=True):
        response = scholar_client.get(reverse("kb:search"), {"q": "数字鸿沟"})
    assert response.status_code == 200
    assert "搜索索引正在重建" in response.content.decode()
    assert _rebuilds(queued) == 1


def test_an_index_removed_under_an_open_handle_is_reopened(indexed, scholar_client, settings):
    """Another process recreated the files: the stale handle is dropped and the search retried."""
    import shutil

    from kb.search.service import search_index_rebuild

    url = reverse("kb:search")
    assert "数字鸿沟研究" in scholar_client.get(url, {"q": "数字鸿沟"}).content.decode()
    for path in Path(settings.KB_SEARCH_INDEX_DIR).iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    response = scholar_client.get(url, {"q": "数字鸿沟"})
    assert response.status_code == 200
    search_index_rebuild()
    assert "数字鸿沟研究" in scholar_client.get(url, {"q": "数字鸿沟"}).content.decode()


def test_a_bug_of_ours_is_not_taken_for_a_corrupt_index(indexed, monkeypatch, scholar_client, settings):
    from kb.search import selectors

    def broken(*args, **kwargs):
        raise ValueError("a bug, not the index")

    monkeypatch.setattr(selectors, "highlights", broken)
    with pytest.raises(ValueError, match="a bug"):
        selectors.search_query(query="数字鸿沟", user=None)
    assert (Path(settings.KB_SEARCH_INDEX_DIR) / "meta.json").exists()


def test_admins_see_how_far_the_rebuild_has_got_and_others_do_not(
    indexed, queued, scholar_client, admin_client_, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from kb.search import service
    from kb.search.index import forget_index

    seen: list[tuple[int, int] | None] = []
    real_rebuild = service.SearchIndex.rebuild

    def rebuild_and_look(self, **kwargs):
        # mid-rebuild, as a web process would see it
        seen.append(service.search_rebuild_progress())
        return real_rebuild(self, **kwargs)

    forget_index(settings.KB_SEARCH_INDEX_DIR)
    gc.collect()
    _corrupt(settings.KB_SEARCH_INDEX_DIR)
    with django_capture_on_commit_callbacks(execute=True):
        assert "已索引" not in scholar_client.get(reverse("kb:search"), {"q": "数字鸿沟"}).content.decode()
    progress = Path(settings.KB_SEARCH_INDEX_DIR) / service.REBUILD_FILE
    progress.write_text('{"done": 3, "total": 10}')  # a rebuild under way in the worker
    html = admin_client_.get(reverse("kb:search"), {"q": "数字鸿沟"}).content.decode()
    assert "已索引 3 / 10 条" in html and 'max="10" value="3"' in html
    assert "已索引" not in scholar_client.get(reverse("kb:search"), {"q": "数字鸿沟"}).content.decode()

    monkeypatch.setattr(service.SearchIndex, "rebuild", rebuild_and_look)
    search_index_rebuild_task.call()
    assert seen and seen[0] is not None and seen[0][1] >= 1  # the worker wrote its total first
    assert not progress.exists()  # and clears it when done
