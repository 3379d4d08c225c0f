"""The four roles and the permissions each one carries.

A role is a Django group; its permissions are the source of truth for what a user may
do, and every view checks a permission, never a role name.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

OPERATOR = "Operator"
REVIEWER = "Reviewer"
AUDITOR = "Auditor"
ADMIN = "Admin"
ROLES = (OPERATOR, REVIEWER, AUDITOR, ADMIN)

# Everyone signed in may read trait groups and operations.
_READ = [
    "traitgroups.view_traitgroup",
    "traitgroups.view_traitgrouprevision",
    "operations.view_operation",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    OPERATOR: [
        *_READ,
        "traitgroups.edit_draft",
        "traitgroups.submit_for_review",
        "traitgroups.sync_store",
        "operations.refresh_operation",
    ],
    REVIEWER: [
        *_READ,
        "traitgroups.review_revision",
        "traitgroups.publish_revision",
        "traitgroups.sync_store",
        "operations.refresh_operation",
    ],
    AUDITOR: [
        *_READ,
        "audit.view_auditevent",
        "audit.export_auditevent",
    ],
    ADMIN: [
        *_READ,
        "traitgroups.edit_draft",
        "traitgroups.submit_for_review",
        "traitgroups.review_revision",
        "traitgroups.publish_revision",
        "traitgroups.sync_store",
        "operations.refresh_operation",
        "audit.view_auditevent",
        "audit.export_auditevent",
        "accounts.manage_roles",
        "notifications.manage_notifications",
    ],
}


def roles_of(user: AbstractBaseUser | AnonymousUser) -> list[str]:
    """The role names a user holds, in the order of ROLES."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLES if role in names]
