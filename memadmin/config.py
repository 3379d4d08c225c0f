"""Reads memadmin's configuration from the environment.

Settings stay declarative; every parse that can fail lives here and raises
`ConfigError` with a sentence a person can act on, so a typo in `DATABASE_URL`
stops the process at start instead of surfacing as a traceback on first request.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
SUPPORTED_DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


class ConfigError(Exception):
    """The environment holds a value memadmin cannot run with."""


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number; got {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}; got {raw!r}.")
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    return int(env_float(name, default, minimum=minimum))


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def approvals_by_tier(*, low: int, medium: int, high: int) -> dict[str, int]:
    """Approvals per risk tier; a riskier tier never needs fewer than a safer one.

    `REVIEW_REQUIRED_APPROVALS`, the single number these replaced, is refused rather than
    ignored: a deployment that asked for two approvals must not silently get one.
    """
    if os.environ.get("REVIEW_REQUIRED_APPROVALS") is not None:
        raise ConfigError(
            "REVIEW_REQUIRED_APPROVALS was replaced by REVIEW_APPROVALS_LOW, "
            "REVIEW_APPROVALS_MEDIUM and REVIEW_APPROVALS_HIGH (approvals by risk tier); "
            "set those instead."
        )
    if not low <= medium <= high:
        raise ConfigError(
            "Approvals by risk tier must not decrease: REVIEW_APPROVALS_LOW "
            f"({low}) ≤ REVIEW_APPROVALS_MEDIUM ({medium}) ≤ REVIEW_APPROVALS_HIGH ({high})."
        )
    return {"LOW": low, "MEDIUM": medium, "HIGH": high}


def database_config(url: str | None, *, default_sqlite_path: Path) -> dict:
    """Turns DATABASE_URL into Django's DATABASES entry; SQLite gets WAL and a busy timeout."""
    if not url:
        url = f"sqlite:///{default_sqlite_path}"
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise ConfigError(
            "DATABASE_URL must look like sqlite:///path/to/db.sqlite3 or "
            f"postgres://user@host:5432/name; the scheme {scheme or '(none)'!r} is not supported."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, dj_database_url.UnknownSchemeError) as exc:
        raise ConfigError(f"DATABASE_URL could not be parsed: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL names no SQLite file (sqlite:///path/to/db.sqlite3).")
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        # WAL lets the web server read while the worker writes; IMMEDIATE transactions
        # take the write lock up front, so concurrent writers wait instead of failing.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif not config.get("NAME"):
        raise ConfigError("DATABASE_URL names no database (postgres://user@host:5432/NAME).")
    return config


def secret_key(*, debug: bool, key_file: Path) -> str:
    """SECRET_KEY from the environment; for local use, generated once and kept under var/."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if not debug:
        raise ConfigError(
            "SECRET_KEY must be set when DEBUG is off, e.g. "
            "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def memory_api_credentials() -> tuple[str, str, bool]:
    """(username, password, configured) for Basic auth against the Memory API.

    API keys win over the account SID and auth token, as Twilio recommends. With
    neither, memadmin uses local defaults that only the embedded emulator accepts.
    """
    for user_var, secret_var in (
        ("TWILIO_API_KEY_SID", "TWILIO_API_KEY_SECRET"),
        ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"),
    ):
        user, secret = os.environ.get(user_var, ""), os.environ.get(secret_var, "")
        if user and secret:
            return user, secret, True
        if user or secret:
            raise ConfigError(f"{user_var} and {secret_var} must be set together.")
    return LOCAL_EMULATOR_USERNAME, LOCAL_EMULATOR_PASSWORD, False


LOCAL_EMULATOR_USERNAME = "SKmemadminlocal0000000000000000000"
LOCAL_EMULATOR_PASSWORD = "memadmin-local-secret"  # noqa: S105 - the emulator's public default


def memory_api_url(*, credentials_configured: bool) -> str:
    """MEMORY_API_URL, or the embedded emulator; a real URL must be http(s)."""
    url = os.environ.get("MEMORY_API_URL", "").strip() or "emulator"
    if url == "emulator":
        return url
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            f"MEMORY_API_URL must be 'emulator' or an http(s) URL such as "
            f"https://memory.twilio.com; got {url!r}."
        )
    if not credentials_configured:
        raise ConfigError(
            "MEMORY_API_URL points at a real API but no credentials are set: set "
            "TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET (or TWILIO_ACCOUNT_SID and "
            "TWILIO_AUTH_TOKEN)."
        )
    return url.rstrip("/")


def mailers(*, debug: bool) -> dict:
    """Django's MAILERS from the classic variables: SMTP when EMAIL_HOST is set, else the
    console (local use) or no e-mail at all (DEBUG off: the console is no place for mail).

    Django 6.1 deprecates the EMAIL_* *settings* for MAILERS; the environment keeps
    Django's familiar names so that deployments configure mail the way they always did.
    """
    host = os.environ.get("EMAIL_HOST", "").strip()
    if not host and debug:
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    if not host:
        return {"default": {"BACKEND": "memadmin.notifications.mail.DisabledEmailBackend"}}
    use_tls = env_bool("EMAIL_USE_TLS", default=False)
    use_ssl = env_bool("EMAIL_USE_SSL", default=False)
    if use_tls and use_ssl:
        raise ConfigError("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": host,
                "port": env_int("EMAIL_PORT", 465 if use_ssl else 25, minimum=1),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": use_tls,
                "use_ssl": use_ssl,
                "timeout": env_float("EMAIL_TIMEOUT", 10.0),
            },
        }
    }
