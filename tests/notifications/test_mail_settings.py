"""Mail is configured with Django's familiar variable names, read into MAILERS."""

import pytest
from django.core.mail import send_mail

from memadmin import config
from memadmin.notifications.mail import EmailNotConfigured
from memadmin.notifications.models import Delivery, Notification
from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_without_email_host_local_mail_goes_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    assert config.mailers(debug=True) == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }


def test_in_production_without_email_host_no_email_is_written_or_sent(
    monkeypatch, settings, person, store_id
):
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    settings.MAILERS = config.mailers(debug=False)
    olga = person("Operator", "olga")
    person("Reviewer", "rita")
    revision = drafts.create_draft(
        store_id=store_id, definition={"displayName": "Loyalty"}, author=olga
    )

    reviews.submit_for_review(revision=revision, actor=olga)

    assert Notification.objects.count() == 1
    assert not Delivery.objects.exists()
    with pytest.raises(EmailNotConfigured, match="set EMAIL_HOST"):
        send_mail("Hello", "Body", None, ["rita@example.com"])


def test_email_host_and_friends_configure_smtp(monkeypatch):
    for name, value in {
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "memadmin",
        "EMAIL_HOST_PASSWORD": "app-password",
        "EMAIL_USE_TLS": "1",
    }.items():
        monkeypatch.setenv(name, value)

    mailer = config.mailers(debug=False)["default"]

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
        config.mailers(debug=True)
