"""Shared test material: a small sample paper as an admin would upload it (composed for
the tests), and a way to run queued background jobs with the real worker loop."""

SHORT_PAPER = """数字治理的制度逻辑与实践路径

王佃利  滕 蕾

摘要：数字治理正在重塑公共管理的制度逻辑。本文讨论数字技术如何进入政府治理，以及制度如何回应。

关键词：数字治理；制度逻辑；公共管理

一、问题的提出

数字技术的普及使政府治理面临新的条件。治理主体、治理工具与治理过程都在发生变化。

二、制度逻辑的分析

制度逻辑决定了数字技术进入治理过程的方式，也决定了技术能否带来治理效能的提升。
"""


def run_db_worker(worker_id: str = "test-worker") -> None:
    """Run every queued job with django-tasks-db's own worker loop (batch mode), then return."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],  # every queue (indexing, parsing, publishing)
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
