"""Writes for accounts: keeping the role groups in shape and creating users."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from memadmin.accounts.roles import ADMIN, ROLE_PERMISSIONS, ROLES, roles_of
from memadmin.audit import services as audit

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


class PersonRefused(ValueError):
    """A change to a person that would break something; the message says what to do."""


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
    *, username: str, password: str, role: str, email: str = "", actor=None
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
        user.audit_actor = actor  # the role-change receiver records who did it
        user.groups.set([groups[role]])
    return user


def create_person(*, username: str, password: str, role: str, actor) -> AbstractUser:
    """Adds a person with one role and a first password (checked by the password rules)."""
    username = username.strip()
    if not username:
        raise PersonRefused("Give the person a username.")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise PersonRefused(f"Someone is already called {username!r}; pick another username.")
    _check_password(password, username=username)
    with transaction.atomic():
        user = create_user_with_role(username=username, password=password, role=role, actor=actor)
        audit.record(action="user.created", actor=actor, target=user, after={"roles": [role]})
    return user


def change_role(*, user: AbstractUser, role: str, actor) -> AbstractUser:
    """Gives `user` exactly `role`; an Admin cannot take Admin away from themselves."""
    if role not in ROLES:
        raise UnknownRole(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    if user.pk == actor.pk and role != ADMIN:
        raise PersonRefused("You cannot take the Admin role from yourself; ask another Admin.")
    groups = sync_roles()
    with transaction.atomic():
        user.is_staff = role == ADMIN
        user.save(update_fields=["is_staff"])
        user.audit_actor = actor
        user.groups.set([groups[role]])
    return user


def set_active(*, user: AbstractUser, active: bool, actor) -> AbstractUser:
    """Deactivates (no more sign-ins, history kept) or reactivates a person."""
    if user.pk == actor.pk and not active:
        raise PersonRefused("You cannot deactivate yourself; ask another Admin.")
    before = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        action="user.activated" if active else "user.deactivated",
        actor=actor,
        target=user,
        before={"active": before, "roles": roles_of(user)},
        after={"active": active, "roles": roles_of(user)},
    )
    return user


def reset_password(*, user: AbstractUser, password: str, actor) -> AbstractUser:
    """Sets a new password an Admin chose (the audit event says it changed, never what to)."""
    _check_password(password, username=user.get_username(), user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(action="user.password_reset", actor=actor, target=user)
    return user


def _check_password(password: str, *, username: str, user=None) -> None:
    candidate = user or get_user_model()(username=username)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise PersonRefused(" ".join(exc.messages)) from None


def seed_demo_users() -> list[str]:
    """The four demo users, one per role, all with DEMO_PASSWORD and <name>@example.com."""
    for username, role in DEMO_USERS.items():
        create_user_with_role(
            username=username, password=DEMO_PASSWORD, role=role, email=f"{username}@example.com"
        )
    return list(DEMO_USERS)
