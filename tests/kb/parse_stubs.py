"""Parse functions that misbehave, for the parse runner's tests (``tests/kb/test_parse_runner.py``).

They live in a module of their own, free of Django models, because the runner's spawned child
imports them by name.
"""

from __future__ import annotations

import os
import time

from papers.ingest import parse_bytes


def sleepy(data: bytes, **kwargs):
    """Reports a page, then takes far longer than any test's time limit."""
    kwargs["options"].report("pages", 1, 40)
    time.sleep(60)
    return parse_bytes(data, **kwargs)


def hog(data: bytes, **kwargs):
    """Asks for 1 GB at once, as a parse of a bomb would."""
    block = bytearray(1 << 30)
    return len(block)


def vanishing(data: bytes, **kwargs):
    """Dies without a word, as a worker does when something kills it."""
    os._exit(3)


def reporting(data: bytes, **kwargs):
    """Reports three pages, then parses for real."""
    for page in (1, 2, 3):
        kwargs["options"].report("pages", page, 3)
    return parse_bytes(data, **kwargs)
