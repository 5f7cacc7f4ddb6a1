"""Background tasks (django-tasks; the database backend's worker is ``manage.py db_worker``).

Tasks stay thin: they take plain JSON arguments and call a service.
"""

from __future__ import annotations

from django_tasks import task


@task()
def upload_parse_task(upload_id: int) -> str:
    """Parse one admin upload and store its preview or its error (see ``kb.services.uploads``)."""
    from kb.services.uploads import upload_parse

    return upload_parse(upload_id=upload_id)
