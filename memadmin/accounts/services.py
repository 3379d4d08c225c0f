"""Writes for accounts: keeping the role groups in shape and creating users."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction

from memadmin.accounts.roles import ROLE_PERMISSIONS, ROLES

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "memadmin-demo"  # noqa: S105 - printed on start, local use only
DEMO_USERS = {
    "operator": "Operator",
    "reviewer": "Reviewer",
    "auditor": "Auditor",
    "admin": "Admin",
}


class UnknownRole(ValueError):
    pass


def sync_roles() -> dict[str, Group]:
    """Creates the role groups and sets each one's permissions to exactly ROLE_PERMISSIONS."""
    groups = {}
    with transaction.atomic():
        for role, wanted in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role)
            permissions = []
            for dotted in wanted:
                app_label, codename = dotted.split(".", 1)
                found = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if found is None:
                    logger.debug("Permission %s does not exist yet; %s skips it.", dotted, role)
                    continue
                permissions.append(found)
            group.permissions.set(permissions)
            groups[role] = group
    return groups


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver; runs once, for this app, after all apps have migrated."""
    if sender.label == "accounts":
        sync_roles()


def create_user_with_role(
    *, username: str, password: str, role: str, email: str = ""
) -> AbstractUser:
    """Creates (or updates) a user holding exactly one role; Admins may use Django's admin."""
    if role not in ROLES:
        raise UnknownRole(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    groups = sync_roles()
    User = get_user_model()
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
        user.set_password(password)
        if email:
            user.email = email
        user.is_staff = role == "Admin"
        user.is_superuser = False
        user.save()
        user.groups.set([groups[role]])
    return user


def seed_demo_users() -> list[str]:
    """The four demo users, one per role, all with DEMO_PASSWORD and <name>@example.com."""
    for username, role in DEMO_USERS.items():
        create_user_with_role(
            username=username, password=DEMO_PASSWORD, role=role, email=f"{username}@example.com"
        )
    return list(DEMO_USERS)
