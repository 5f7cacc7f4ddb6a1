"""Optimistic locking for the knowledge layer: the one implementation is ``papers.versions``
(paper metadata uses it too, and ``papers`` never imports ``kb``); re-exported here so the
knowledge services and views keep one import path."""

from __future__ import annotations

from papers.versions import SKIPPED, STALE, FieldChange, StaleEdit, changes_since, parse_version, version_take

__all__ = ["SKIPPED", "STALE", "FieldChange", "StaleEdit", "changes_since", "parse_version", "version_take"]
