"""Background tasks of search (django-tasks). Thin: plain arguments, one service call."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="indexing")
def search_index_object_task(kind: str, pk: int) -> int:
    from kb.search.service import search_index_object

    return search_index_object(kind=kind, pk=pk)


@task(queue_name="indexing")
def search_index_rebuild_task() -> int:
    from pathlib import Path

    from django.conf import settings

    from kb.search.index import forget_index
    from kb.search.repair import healthy
    from kb.search.service import search_index_rebuild

    # Unreadable or marked corrupt (kb.search.repair): a fresh handle recreates it before the rebuild.
    path = Path(settings.KB_SEARCH_INDEX_DIR)
    if not healthy(path):
        forget_index(path)
    return search_index_rebuild()
