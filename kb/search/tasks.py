"""Background tasks of search (django-tasks). Thin: plain arguments, one service call."""

from __future__ import annotations

from django_tasks import task


@task()
def search_index_object_task(kind: str, pk: int) -> int:
    from kb.search.service import search_index_object

    return search_index_object(kind=kind, pk=pk)


@task()
def search_index_rebuild_task() -> int:
    from kb.search.service import search_index_rebuild

    return search_index_rebuild()
