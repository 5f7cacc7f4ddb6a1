"""The staged upload of every import (papers.staging): bounded, bound to a session, a day at most."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from papers.staging import DAY, Stage

TOO_LARGE = "太大：最多 %(mb)s MB。"
EXPIRED = "预览已过期。"


@pytest.fixture
def stage():
    return Stage(
        folder="test-imports",
        session_key="test_imports",
        max_bytes=2 * 2**20,
        too_large=TOO_LARGE,
        expired=EXPIRED,
    )


def _expired(call) -> None:
    with pytest.raises(ValidationError) as exc:
        call()
    assert exc.value.code == "expired" and exc.value.messages == [EXPIRED]


def test_round_trip_then_discard(stage, settings):
    token = stage.save(b"%0 Journal Article\n")
    assert stage.load(token=token) == b"%0 Journal Article\n"
    assert [p.parent for p in Path(settings.MEDIA_ROOT).rglob("*.upload")] == [stage.directory]
    stage.discard(token=token)
    _expired(lambda: stage.load(token=token))
    stage.discard(token=token)  # twice is harmless


@pytest.mark.parametrize("token", ["", "short", "../../etc/passwd", "a" * 65, "x/" + "a" * 30])
def test_a_malformed_token_names_no_file(stage, token):
    _expired(lambda: stage.load(token=token))
    stage.discard(token=token)


def test_size_bound_with_its_own_message(stage):
    stage.save(b"x" * stage.max_bytes)  # the limit itself is allowed
    with pytest.raises(ValidationError) as exc:
        stage.save(b"x" * (stage.max_bytes + 1))
    assert exc.value.code == "size" and exc.value.messages == ["太大：最多 2 MB。"]
    assert len(list(stage.directory.iterdir())) == 1  # nothing written for the refused one


def test_a_day_old_file_expires_and_is_swept(stage):
    old, fresh = stage.save(b"old"), stage.save(b"fresh")
    day_ago = time.time() - DAY - 60
    os.utime(stage._path(old), (day_ago, day_ago))
    _expired(lambda: stage.load(token=old))  # expired even before a sweep
    stage.save(b"new")  # saving sweeps what is older than a day
    assert not stage._path(old).exists() and stage.load(token=fresh) == b"fresh"


def test_token_is_bound_to_the_session_that_uploaded_it(stage):
    mine, theirs = {}, {}
    token = stage.save(b"data")
    stage.remember(mine, token=token, value="records.ris")
    assert stage.recall(mine, token=token) == "records.ris"
    _expired(lambda: stage.recall(theirs, token=token))  # another session cannot claim it
    stage.forget(mine, token=token)
    _expired(lambda: stage.recall(mine, token=token))
    _expired(lambda: stage.load(token=token))  # forgetting discards the file


def test_session_keeps_the_newest_and_discards_the_rest(stage):
    session: dict = {}
    tokens = [stage.save(str(i).encode()) for i in range(stage.max_pending + 2)]
    for i, token in enumerate(tokens):
        stage.remember(session, token=token, value=i)
    assert list(session[stage.session_key]) == tokens[-stage.max_pending :]
    for token in tokens[:2]:
        _expired(lambda token=token: stage.load(token=token))
    assert stage.load(token=tokens[-1]) == str(len(tokens) - 1).encode()


def test_the_importers_check_runs_after_the_size_bound_and_before_writing(stage):
    seen = []

    def check(data: bytes) -> None:
        seen.append(len(data))
        if data != b"ok":
            raise ValidationError("不是题录文件。", code="format")

    checked = Stage(**{**stage.__dict__, "check": check})
    with pytest.raises(ValidationError) as exc:
        checked.save(b"x" * (stage.max_bytes + 1))
    assert exc.value.code == "size" and seen == []  # a huge file is never parsed
    with pytest.raises(ValidationError) as exc:
        checked.save(b"bad")
    assert exc.value.code == "format" and not checked.directory.exists()
    assert checked.load(token=checked.save(b"ok")) == b"ok" and seen == [3, 2]
