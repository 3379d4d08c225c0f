"""Reads for the People pages."""

from django.contrib.auth import get_user_model

from memadmin.accounts.roles import roles_of
from memadmin.audit.models import AuditEvent

HISTORY_LENGTH = 20


def list_people() -> list:
    """Everyone with an account, by name, each with `role_names` (two queries in all)."""
    users = list(get_user_model().objects.order_by("username").prefetch_related("groups"))
    for user in users:
        user.role_names = roles_of(user)
    return users


def list_person_events(user) -> list[AuditEvent]:
    """The latest audit events about `user` (sign-ins, role and access changes)."""
    return list(
        AuditEvent.objects.filter(target_type="auth.user", target_id=str(user.pk)).order_by("-pk")[
            :HISTORY_LENGTH
        ]
    )
