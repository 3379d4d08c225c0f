"""What a message says: one line and a link, with names quoted in the channel's markup.

Names come from people (usernames, group names, trait names): in Markdown an underscore
would start italics and in HTML a `<` a tag, so each markup quotes them its own way.
"""

import re
from enum import StrEnum

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from memadmin.notifications.events import LINES
from memadmin.notifications.models import Notification

_WHITESPACE = re.compile(r"\s+")
MAX_NAME = 100


class Markup(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


def quote(name: str, markup: Markup) -> str:
    """One name as a literal in `markup`: quoted text, a code span, or escaped code."""
    name = _WHITESPACE.sub(" ", str(name)).strip()[:MAX_NAME] or "(unnamed)"
    if markup == Markup.MARKDOWN:
        # Inside a code span nothing is formatting; only a backtick could end it early.
        return "`" + name.replace("`", "'") + "`"
    if markup == Markup.HTML:
        return f"<code>{escape(name)}</code>"
    return f"'{name}'"


def render_line(notification: Notification, markup: Markup = Markup.TEXT) -> str:
    """The one line that says what happened, names quoted for `markup`."""
    names = {key: quote(value, markup) for key, value in (notification.names or {}).items()}
    names.setdefault("actor", quote("someone", markup))
    try:
        return LINES[notification.kind].format(**names)
    except KeyError:  # a name the template needs was not recorded
        return notification.get_kind_display()


def absolute_link(notification: Notification) -> str:
    """The page to act on, as an absolute URL from MEMADMIN_BASE_URL."""
    return settings.MEMADMIN_BASE_URL.rstrip("/") + notification.link


def render_body(notification: Notification, markup: Markup = Markup.TEXT) -> str:
    """The line and the link below it."""
    link = absolute_link(notification)
    if markup == Markup.HTML:
        return f'{render_line(notification, markup)}<br><a href="{escape(link)}">{escape(link)}</a>'
    return f"{render_line(notification, markup)}\n{link}"


def email_subject(notification: Notification) -> str:
    return f"[memadmin] {render_line(notification)}"[:200]


def email_body(notifications: list[Notification]) -> str:
    """A plain-text e-mail: one event, or an hour's digest of several."""
    blocks = [f"{render_line(n)}{_revision(n)}\nOpen it: {absolute_link(n)}" for n in notifications]
    preferences = settings.MEMADMIN_BASE_URL.rstrip("/") + reverse("notifications:preferences")
    footer = f"-- \nChoose what memadmin e-mails you: {preferences}\n"
    return "\n\n".join(blocks) + "\n\n" + footer


def _revision(notification: Notification) -> str:
    # Two changes to one group in a digest read the same without their revision numbers.
    return f" (revision {notification.revision_id})" if notification.revision_id else ""


def digest_subject(notifications: list[Notification]) -> str:
    if len(notifications) == 1:
        return email_subject(notifications[0])
    return f"[memadmin] {len(notifications)} things happened in the last hour"


def webhook_payload(notification: Notification, *, delivery_id: int, sent_at: str) -> dict:
    """The generic webhook's JSON: the line in plain text, the link, and the names apart."""
    return {
        "event": notification.kind,
        "text": render_line(notification),
        "url": absolute_link(notification),
        "names": notification.names,
        "store_id": notification.store_id,
        "trait_group": notification.trait_group,
        "revision_id": notification.revision_id,
        "notification_id": notification.pk,
        "delivery_id": delivery_id,
        "occurred_at": notification.created_at.isoformat(),
        "sent_at": sent_at,
    }
