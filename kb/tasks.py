"""Background tasks (django-tasks; the database backend's worker is ``manage.py db_worker``).

Tasks stay thin: they take plain JSON arguments and call a service.
"""

from __future__ import annotations

from django_tasks import task


@task(queue_name="parsing")
def upload_parse_task(upload_id: int) -> str:
    """Parse one admin upload and store its preview or its error (see ``kb.services.uploads``)."""
    from kb.services.uploads import upload_parse

    return upload_parse(upload_id=upload_id)


@task(queue_name="publishing")
def upload_publish_task(upload_id: int, user_id: int) -> str:
    """Publish one parsed admin upload as ``user_id`` (see ``kb.services.uploads``)."""
    from kb.services.uploads import upload_publish_run

    return upload_publish_run(upload_id=upload_id, user_id=user_id)


@task(queue_name="default")
def graph_layout_task(
    key: str, nodes: list, edges: list, sizes: dict, width: int, height: int, margin: float
) -> int:
    """Recompute and store one graph's layout (see ``kb.services.layouts``). Returns its nodes."""
    from kb.services.layouts import layout_compute

    positions = layout_compute(
        key=key, nodes=nodes, edges=edges, sizes=sizes, width=width, height=height, margin=margin
    )
    return len(positions)
