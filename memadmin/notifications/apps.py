from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Tells people when they are needed: an outbox of messages, sent by e-mail and Apprise."""

    name = "memadmin.notifications"
    label = "notifications"
