"""Staged uploads: a file kept on the server between an import's preview and its apply.

Every importer that goes "upload or paste → preview → apply or cancel" (bibliographic
records, SKOS thesauri, Hypothesis/W3C annotations) holds one ``Stage``:

- the bytes are saved under an unguessable token in the stage's own folder of
  ``MEDIA_ROOT`` (``save``), at most ``max_bytes`` of them; saving removes the stage's
  files older than ``max_age`` (a day), so an abandoned preview never lingers;
- ``load`` reads them back and ``discard`` removes them; a token that is malformed,
  expired, discarded or unknown is a ``ValidationError`` with the stage's ``expired``
  message (code ``expired``), and never names a path outside the folder;
- the session binds the tokens to the user who uploaded them (``remember``, ``recall``,
  ``forget``), so nobody else can preview or apply another's file. Each token carries a
  value (the file name, or the paper it is for); the session keeps the ``max_pending``
  newest, and a token pushed out has its file discarded.

The importer checks who may upload; what the file is, it tells the stage (``check``, run
after the size bound and before anything is written). This module only knows bytes,
tokens and sessions.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

DAY = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_SUFFIX = ".upload"


@dataclass(frozen=True)
class Stage:
    """Where one importer keeps its uploads, and its limits and messages."""

    folder: str  # under MEDIA_ROOT
    session_key: str
    max_bytes: int
    too_large: Any  # a message with ``%(mb)s`` or ``%(mb)d``
    expired: Any  # a message: the preview is gone, upload again
    check: Callable[[bytes], object] | None = None  # the importer's own test of the bytes
    max_age: int = DAY
    max_pending: int = 5

    # -- the bytes ---------------------------------------------------------------------------

    @property
    def directory(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder

    def _path(self, token: str) -> Path:
        if not _TOKEN.match(token or ""):
            raise ValidationError(self.expired, code="expired")
        return self.directory / f"{token}{_SUFFIX}"

    def check_size(self, size: int) -> None:
        """``ValidationError`` (code ``size``) when ``size`` bytes are more than the stage takes."""
        if size > self.max_bytes:
            raise ValidationError(self.too_large % {"mb": self.max_bytes // 2**20}, code="size")

    def save(self, data: bytes) -> str:
        """Keep ``data``; returns its token. ``ValidationError`` when it is too large or fails
        ``check`` (checked in that order: a huge file is never parsed). Files older than
        ``max_age`` are removed."""
        self.check_size(len(data))
        if self.check is not None:
            self.check(data)
        folder = self.directory
        folder.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - self.max_age
        for old in folder.glob(f"*{_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):  # another request removed it first
                if old.stat().st_mtime < cutoff:
                    old.unlink(missing_ok=True)
        token = secrets.token_urlsafe(24)
        self._path(token).write_bytes(data)
        return token

    def load(self, *, token: str) -> bytes:
        """The bytes saved under ``token``; ``ValidationError`` when it is gone or older than a day."""
        path = self._path(token)
        try:
            if time.time() - path.stat().st_mtime <= self.max_age:
                return path.read_bytes()
        except FileNotFoundError:
            pass
        raise ValidationError(self.expired, code="expired")

    def discard(self, *, token: str) -> None:
        with contextlib.suppress(ValidationError):  # a malformed token names no file
            self._path(token).unlink(missing_ok=True)

    # -- the session -------------------------------------------------------------------------

    def _pending(self, session: MutableMapping) -> dict:
        return dict(session.get(self.session_key, {}))

    def remember(self, session: MutableMapping, *, token: str, value: Any) -> None:
        """Bind ``token`` (with ``value``) to this session; the oldest beyond ``max_pending`` go."""
        pending = self._pending(session)
        for old in list(pending)[: max(0, len(pending) - self.max_pending + 1)]:
            pending.pop(old)
            self.discard(token=old)
        session[self.session_key] = {**pending, token: value}

    def recall(self, session: MutableMapping, *, token: str) -> Any:
        """The value ``token`` was remembered with; ``ValidationError`` when this session has no such token."""
        pending = self._pending(session)
        if token not in pending:
            raise ValidationError(self.expired, code="expired")
        return pending[token]

    def forget(self, session: MutableMapping, *, token: str) -> None:
        """Unbind ``token`` and discard its file."""
        pending = self._pending(session)
        pending.pop(token, None)
        session[self.session_key] = pending
        self.discard(token=token)
