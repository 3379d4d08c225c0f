"""Mail is configured with Django's familiar variable names, read into MAILERS."""

import pytest

from memadmin import config

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_without_email_host_mail_goes_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    assert config.mailers() == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }


def test_email_host_and_friends_configure_smtp(monkeypatch):
    for name, value in {
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "memadmin",
        "EMAIL_HOST_PASSWORD": "app-password",
        "EMAIL_USE_TLS": "1",
    }.items():
        monkeypatch.setenv(name, value)

    mailer = config.mailers()["default"]

    assert mailer["BACKEND"] == SMTP
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.com",
        "port": 587,
        "username": "memadmin",
        "password": "app-password",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10.0,
    }


def test_tls_and_ssl_together_are_a_config_error(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.com")
    monkeypatch.setenv("EMAIL_USE_TLS", "1")
    monkeypatch.setenv("EMAIL_USE_SSL", "1")
    with pytest.raises(config.ConfigError, match="not both"):
        config.mailers()
