"""Background work runs on separate queues, each with its own worker: indexing is never held up
by a long parse or publication."""

from django.conf import settings

from kb.search.tasks import search_index_object_task, search_index_rebuild_task
from kb.tasks import upload_parse_task, upload_publish_task


def test_each_kind_of_work_has_its_queue():
    queues = {
        task.name: task.queue_name
        for task in (
            search_index_object_task,
            search_index_rebuild_task,
            upload_parse_task,
            upload_publish_task,
        )
    }
    assert queues == {
        "search_index_object_task": "indexing",
        "search_index_rebuild_task": "indexing",
        "upload_parse_task": "parsing",
        "upload_publish_task": "publishing",
    }
    assert set(queues.values()) <= set(settings.TASKS["default"]["QUEUES"])
