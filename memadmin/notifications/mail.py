"""The mail backend for a production memadmin with no SMTP server configured.

Django's deploy checks rightly refuse the console backend there, so without EMAIL_HOST
(and with DEBUG off) e-mail is switched off: `notify` writes no e-mail rows at all, and
anything else that tries to send is told why instead of mail vanishing.
"""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

DISABLED = "memadmin.notifications.mail.DisabledEmailBackend"


class EmailNotConfigured(Exception):
    pass


class DisabledEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise EmailNotConfigured("E-mail is not configured: set EMAIL_HOST to send e-mail.")


def email_enabled() -> bool:
    return settings.MAILERS.get("default", {}).get("BACKEND") != DISABLED
