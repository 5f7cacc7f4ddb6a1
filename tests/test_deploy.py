"""Deployment: docker-compose.yml, the Dockerfile, .env.example and production settings.

No Docker engine runs in CI, so the files are checked by schema and by reading.
Settings are exercised in subprocesses, because each environment needs a fresh
import of ``kb.settings``.
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
COMPOSE_SCHEMA = SHARED / "compose-spec" / "compose-spec.json"

# Every variable kb/settings.py reads, found by reading it, so a new variable
# that is not documented in .env.example fails test_env_example_documents_every_setting.
SETTINGS_VARS = sorted(
    set(
        re.findall(
            r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""", (REPO / "kb/settings.py").read_text()
        )
    )
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (REPO / "Dockerfile").read_text()


def _env_example() -> dict[str, str]:
    """Variables in .env.example, set or commented out (``# NAME=value``)."""
    found = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            found[match[1]] = match[2]
    return found


def _manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with only ``env`` as the settings' input."""
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly reports.
    inherited = set(SETTINGS_VARS) | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.update({"DJANGO_SETTINGS_MODULE": "kb.settings", "KB_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(  # noqa: S603 (fixed argv: this interpreter and manage.py)
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "kb.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://kb.example.org",
    "KB_SECURE": "1",
    "KB_BEHIND_PROXY": "1",
}


# --- docker-compose.yml ------------------------------------------------------


@pytest.fixture(scope="module")
def compose_validator():
    if not COMPOSE_SCHEMA.is_file():
        pytest.skip(f"Compose schema not found at {COMPOSE_SCHEMA} (expected ../shared beside the repo)")
    import jsonschema

    # The schema's "$schema" URL lacks the trailing "#" jsonschema looks up; it is draft 7.
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _schema_errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_validates_against_compose_spec(compose, compose_validator):
    assert _schema_errors(compose_validator, compose) == []


def test_compose_validation_catches_a_broken_file(compose, compose_validator):
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["depends_on"]["db"]["condition"] = "healthy"
    assert _schema_errors(compose_validator, broken)


def test_compose_has_db_web_and_worker(compose):
    assert set(compose["services"]) == {"db", "web", "worker", "worker-parse", "worker-publish"}


def test_db_is_postgres_16_with_pg_isready_healthcheck_and_named_volume(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_web_migrates_then_serves_gunicorn_on_8000(compose):
    web = compose["services"]["web"]
    command = " ".join(web["command"])
    assert "manage.py migrate --noinput &&" in command
    assert "gunicorn kb.wsgi" in command
    assert "0.0.0.0:8000" in command
    assert web["build"]["dockerfile"] == "Dockerfile"
    assert any(str(port).endswith(":8000") for port in web["ports"])


def test_web_waits_for_a_healthy_db_and_worker_for_migrations(compose):
    web, worker = compose["services"]["web"], compose["services"]["worker"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["web"]["condition"] == "service_healthy"


def test_worker_runs_db_worker_from_the_web_image_without_http_healthcheck(compose):
    web, worker = compose["services"]["web"], compose["services"]["worker"]
    assert worker["command"] == ["python", "manage.py", "db_worker", "--queue-name", "indexing,default"]
    queues = {compose["services"][name]["command"][-1] for name in ("worker-parse", "worker-publish")}
    assert queues == {"parsing", "publishing"}  # one worker per queue (kb.settings.TASK_QUEUES)
    assert worker["image"] == web["image"]
    assert worker["build"] == web["build"]
    assert worker["healthcheck"] == {"disable": True}


@pytest.mark.parametrize("service", ["web", "worker"])
def test_app_services_run_production_settings_against_db(compose, service):
    env = compose["services"][service]["environment"]
    assert env["DEBUG"] == "0"
    assert re.fullmatch(r"\$\{SECRET_KEY:\?.+\}", env["SECRET_KEY"]), "SECRET_KEY must be marked required"
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert "ALLOWED_HOSTS" in env
    assert set(env) <= set(SETTINGS_VARS), "only variables kb/settings.py reads"


@pytest.mark.parametrize("state", ["media", "search-index"])
def test_web_and_worker_share_state_on_named_volumes(compose, dockerfile, state):
    var_dir = re.search(r"KB_VAR_DIR=(\S+)", dockerfile)[1]
    for service in ("web", "worker"):
        assert f"{state}:{var_dir}/{state}" in compose["services"][service]["volumes"]
    assert state in compose["volumes"]
    assert f'"$KB_VAR_DIR/{state}"' in dockerfile, "created in the image so the volume inherits its owner"


def test_compose_required_variables_are_documented(compose):
    text = (REPO / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    assert {"SECRET_KEY", "POSTGRES_PASSWORD"} <= required
    assert required <= set(_env_example())


# --- Dockerfile and .env.example ----------------------------------------------


def test_dockerfile_builds_a_non_root_gunicorn_image_with_static_files(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    assert re.search(r"pip install .*-e \.", dockerfile)
    assert "manage.py collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^EXPOSE 8000$", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.M)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M)[1])
    assert cmd[:2] == ["gunicorn", "kb.wsgi:application"]
    assert "0.0.0.0:8000" in cmd


def test_dockerfile_healthcheck_is_valid_python(dockerfile):
    command = json.loads(re.search(r"CMD (\[\"python\", \"-c\".*\])$", dockerfile, re.M)[1])
    compile(command[2], "<healthcheck>", "exec")


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "var", "test-artifacts"} <= ignored
    assert "README.md" not in ignored, "pip install reads the readme named in pyproject.toml"


def test_env_example_documents_every_setting():
    assert SETTINGS_VARS, "no env_*() calls found in kb/settings.py"
    missing = set(SETTINGS_VARS) - set(_env_example())
    assert not missing, f".env.example does not document: {sorted(missing)}"


def test_env_example_holds_no_real_secret():
    example = _env_example()
    assert example["SECRET_KEY"].startswith("change-me")
    assert example["DEBUG"] == "0"


# --- Settings under production variables --------------------------------------


def test_check_deploy_reports_nothing_under_production_settings(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION_ENV,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_debug_off_without_secret_key_refuses_to_start(tmp_path):
    result = _manage("check", tmp_path=tmp_path, **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_on_runs_without_secret_key(tmp_path):
    result = _manage("check", tmp_path=tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of 1/0, true/false, yes/no, on/off; got 'maybe'"),
        ("KB_UPLOAD_MAX_MB", "abc", "KB_UPLOAD_MAX_MB must be an integer; got 'abc'"),
        ("KB_HSTS_SECONDS", "1 year", "KB_HSTS_SECONDS must be an integer; got '1 year'"),
        ("KB_PUBLIC_READ", "sometimes", "KB_PUBLIC_READ must be one of"),
        ("DATABASE_URL", "mysql://db/tanyuan", "DATABASE_URL scheme 'mysql' is not supported"),
        ("DATABASE_URL", "postgres://u@db:port/tanyuan", "DATABASE_URL has a malformed port"),
    ],
)
def test_malformed_env_value_stops_with_a_clear_error(tmp_path, name, value, message):
    env = {"SECRET_KEY": secrets.token_urlsafe(50), **PRODUCTION_ENV, name: value}
    result = _manage("check", tmp_path=tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# --- Migrations -----------------------------------------------------------------


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit:  # makemigrations --check exits 1 when a model change has no migration
        pytest.fail("Missing migrations:\n" + out.getvalue())
