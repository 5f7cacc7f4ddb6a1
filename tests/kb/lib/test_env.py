"""The strict environment readers behind kb/settings.py. Pure: no database, no os.environ."""

from __future__ import annotations

import pytest

from kb.lib.env import EnvError, env_bool, env_int, env_list, env_str, parse_database_url

# --- env_str ---------------------------------------------------------------------


def test_str_returns_value_or_default():
    assert env_str("LOG_LEVEL", "INFO", environ={"LOG_LEVEL": "DEBUG"}) == "DEBUG"
    assert env_str("LOG_LEVEL", "INFO", environ={}) == "INFO"


# --- env_bool --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " on "])
def test_bool_reads_true_spellings(value):
    assert env_bool("DEBUG", False, environ={"DEBUG": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off", ""])
def test_bool_reads_false_spellings(value):
    assert env_bool("DEBUG", True, environ={"DEBUG": value}) is False


@pytest.mark.parametrize("default", [True, False])
def test_bool_missing_gives_default(default):
    assert env_bool("DEBUG", default, environ={}) is default


@pytest.mark.parametrize("value", ["maybe", "2", "y", "enabled", "tru"])
def test_bool_malformed_raises_naming_variable_and_value(value):
    with pytest.raises(EnvError) as excinfo:
        env_bool("DEBUG", False, environ={"DEBUG": value})
    assert str(excinfo.value) == f"DEBUG must be one of 1/0, true/false, yes/no, on/off; got {value!r}"


def test_env_error_is_a_value_error():
    assert issubclass(EnvError, ValueError)


# --- env_int ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("50", 50), (" 7 ", 7), ("0", 0), ("-1", -1)])
def test_int_parses(value, expected):
    assert env_int("KB_UPLOAD_MAX_MB", 50, environ={"KB_UPLOAD_MAX_MB": value}) == expected


@pytest.mark.parametrize("environ", [{}, {"KB_UPLOAD_MAX_MB": ""}, {"KB_UPLOAD_MAX_MB": "  "}])
def test_int_missing_or_blank_gives_default(environ):
    assert env_int("KB_UPLOAD_MAX_MB", 50, environ=environ) == 50


@pytest.mark.parametrize("value", ["abc", "1.5", "10MB", "1e3", "五十"])
def test_int_malformed_raises_naming_variable_and_value(value):
    with pytest.raises(EnvError) as excinfo:
        env_int("KB_UPLOAD_MAX_MB", 50, environ={"KB_UPLOAD_MAX_MB": value})
    assert str(excinfo.value) == f"KB_UPLOAD_MAX_MB must be an integer; got {value!r}"


# --- env_list --------------------------------------------------------------------


def test_list_splits_on_commas_and_strips():
    environ = {"ALLOWED_HOSTS": " kb.example.org, localhost ,[::1]"}
    assert env_list("ALLOWED_HOSTS", environ=environ) == ["kb.example.org", "localhost", "[::1]"]


def test_list_drops_empty_items():
    assert env_list("ALLOWED_HOSTS", environ={"ALLOWED_HOSTS": "a,,b,"}) == ["a", "b"]


def test_list_set_but_empty_is_empty_not_default():
    assert env_list("ALLOWED_HOSTS", ["localhost"], environ={"ALLOWED_HOSTS": ""}) == []


def test_list_missing_gives_a_copy_of_default():
    default = ["localhost"]
    result = env_list("ALLOWED_HOSTS", default, environ={})
    result.append("evil.example")
    assert default == ["localhost"]
    assert env_list("ALLOWED_HOSTS", environ={}) == []


# --- parse_database_url ----------------------------------------------------------


def test_postgres_url_with_every_part():
    db = parse_database_url("postgres://tanyuan:p%40ss%2Fword@db.internal:5433/tanyuan?sslmode=require")
    assert db == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tanyuan",
        "USER": "tanyuan",
        "PASSWORD": "p@ss/word",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql", "POSTGRES"])
def test_postgres_scheme_aliases(scheme):
    assert parse_database_url(f"{scheme}://db/tanyuan")["ENGINE"] == "django.db.backends.postgresql"


def test_postgres_minimal_url_leaves_host_and_port_empty():
    db = parse_database_url("postgres:///tanyuan")
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == ("tanyuan", "", "", "", "")


@pytest.mark.parametrize("url", ["postgres://user@db:abc/tanyuan", "postgres://user@db:99999/tanyuan"])
def test_postgres_malformed_port_raises(url):
    with pytest.raises(EnvError, match="DATABASE_URL has a malformed port"):
        parse_database_url(url)


def test_malformed_port_error_does_not_echo_the_password():
    with pytest.raises(EnvError) as excinfo:
        parse_database_url("postgres://tanyuan:s3cret-pw@db:54x2/tanyuan")
    assert "s3cret-pw" not in str(excinfo.value)
    assert "db:54x2" in str(excinfo.value)


@pytest.mark.parametrize("url", ["postgres://db", "postgres://db/", "postgres://user:pw@db:5432/"])
def test_postgres_without_database_name_raises(url):
    with pytest.raises(EnvError, match="DATABASE_URL must name a database"):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///var/tanyuan.sqlite3", "var/tanyuan.sqlite3"),
        ("sqlite:////srv/tanyuan/db.sqlite3", "/srv/tanyuan/db.sqlite3"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///%E6%8E%A2%E6%BA%90.sqlite3", "探源.sqlite3"),
    ],
)
def test_sqlite_relative_absolute_and_memory_paths(url, name):
    assert parse_database_url(url) == {"ENGINE": "django.db.backends.sqlite3", "NAME": name}


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_sqlite_without_path_raises(url):
    with pytest.raises(EnvError, match="DATABASE_URL for SQLite needs a path"):
        parse_database_url(url)


@pytest.mark.parametrize(("url", "scheme"), [("mysql://db/tanyuan", "mysql"), ("db/tanyuan", ""), ("", "")])
def test_unsupported_scheme_raises(url, scheme):
    with pytest.raises(EnvError) as excinfo:
        parse_database_url(url)
    assert str(excinfo.value).startswith(f"DATABASE_URL scheme {scheme!r} is not supported")
