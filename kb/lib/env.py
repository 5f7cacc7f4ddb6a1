"""Strict readers of environment variables for settings.

Each helper raises ``ImproperlyConfigured``-style ``ValueError`` on a malformed
value instead of silently falling back, so a typo in production fails loudly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlparse

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """An environment variable holds a value the settings cannot use."""


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default)


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {environ[name]!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    if name not in environ or environ[name].strip() == "":
        return default
    try:
        return int(environ[name].strip())
    except ValueError:
        raise EnvError(f"{name} must be an integer; got {environ[name]!r}") from None


def env_list(
    name: str, default: list[str] | None = None, environ: Mapping[str, str] | None = None
) -> list[str]:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return list(default or [])
    return [item.strip() for item in environ[name].split(",") if item.strip()]


def env_base_url(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """An absolute http(s) URL with a host and nothing after the path, without a trailing ``/``."""
    environ = os.environ if environ is None else environ
    value = environ.get(name, "").strip() or default
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.query or parsed.fragment:
        raise EnvError(
            f"{name} must be an absolute http(s) URL such as https://kb.example.org; got {value!r}"
        )
    return value.rstrip("/")


def parse_database_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a Django DATABASES entry."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise EnvError("DATABASE_URL must name a database, e.g. postgres://user@host:5432/tanyuan")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        try:
            port = parsed.port
        except ValueError:
            # Name only host:port, so a password in the URL never reaches the logs.
            host_port = parsed.netloc.rpartition("@")[2]
            raise EnvError(f"DATABASE_URL has a malformed port: {host_port!r}") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/"):
            path = path[1:] if parsed.netloc == "" and not url.startswith("sqlite:////") else path
        if not path:
            raise EnvError("DATABASE_URL for SQLite needs a path, e.g. sqlite:///var/db.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    raise EnvError(f"DATABASE_URL scheme {scheme!r} is not supported (use postgres:// or sqlite:///)")
