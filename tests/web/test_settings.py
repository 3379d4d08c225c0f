"""Configuration comes from the environment; mistakes stop the process with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from memadmin import config

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_is_the_default_with_wal_and_a_busy_timeout(tmp_path):
    db = config.database_config(None, default_sqlite_path=tmp_path / "m.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "m.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


def test_postgres_urls_work(tmp_path):
    db = config.database_config(
        "postgres://memadmin@127.0.0.1:5432/test", default_sqlite_path=tmp_path / "x"
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"]) == ("test", "127.0.0.1", 5432)


@pytest.mark.parametrize("url", ["mysql2://x/y", "not a url", "postgres://host:5432/"])
def test_bad_database_urls_are_refused_with_a_sentence(url, tmp_path):
    with pytest.raises(config.ConfigError, match="DATABASE_URL"):
        config.database_config(url, default_sqlite_path=tmp_path / "x")


def test_a_bad_database_url_stops_manage_py_with_a_clear_error_not_a_traceback():
    result = run_manage("check", DATABASE_URL="mysql2://nowhere/db")
    assert result.returncode == 2
    assert "memadmin: configuration error: DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode == 2
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_local_secret_key_is_generated_once_and_kept(tmp_path):
    key_file = tmp_path / "secret_key"
    first = config.secret_key(debug=True, key_file=key_file)
    assert len(first) >= 50
    assert config.secret_key(debug=True, key_file=key_file) == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("off", False), ("Yes", True)])
def test_booleans_read_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert config.env_bool("DEBUG", default=False) is expected


def test_a_boolean_typo_is_a_config_error(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(config.ConfigError, match="DEBUG must be one of"):
        config.env_bool("DEBUG", default=False)


def test_api_keys_win_over_account_credentials(monkeypatch):
    monkeypatch.setenv("TWILIO_API_KEY_SID", "SKabc")
    monkeypatch.setenv("TWILIO_API_KEY_SECRET", "shh-secret")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "ACabc")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token")
    assert config.memory_api_credentials() == ("SKabc", "shh-secret", True)


def test_half_a_credential_pair_is_a_config_error(monkeypatch):
    monkeypatch.delenv("TWILIO_API_KEY_SECRET", raising=False)
    monkeypatch.setenv("TWILIO_API_KEY_SID", "SKabc")
    with pytest.raises(config.ConfigError, match="must be set together"):
        config.memory_api_credentials()


def test_without_credentials_the_embedded_emulator_is_the_api(monkeypatch):
    for name in ("TWILIO_API_KEY_SID", "TWILIO_API_KEY_SECRET", "MEMORY_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    _, _, configured = config.memory_api_credentials()
    assert config.memory_api_url(credentials_configured=configured) == "emulator"


def test_a_real_api_url_needs_credentials(monkeypatch):
    monkeypatch.setenv("MEMORY_API_URL", "https://memory.twilio.com")
    with pytest.raises(config.ConfigError, match="no credentials are set"):
        config.memory_api_url(credentials_configured=False)


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-real-secret-key-" + "x" * 50,
        ALLOWED_HOSTS="memadmin.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
