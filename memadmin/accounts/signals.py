"""Sign-ins, sign-outs, failed sign-ins and role changes, written to the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed

from memadmin.audit import services as audit

ROLE_CHANGES = {"post_add": "added", "post_remove": "removed", "post_clear": "removed"}


def signed_in(sender, request, user, **kwargs) -> None:
    audit.record(action="auth.signed_in", actor=user, request=request, target=user)


def signed_out(sender, request, user, **kwargs) -> None:
    # The session may already have lost its user; then only the request is known.
    audit.record(action="auth.signed_out", actor=user, request=request, target=user)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        action="auth.sign_in_failed",
        request=request,
        target_type="auth.user",
        target_label=username,
        outcome="failure",
        detail=f"Wrong username or password for {username!r}.",
    )


def _role_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def remember_roles_before_clear(sender, instance, action, reverse, **kwargs) -> None:
    """post_clear no longer knows which roles went; keep them from pre_clear."""
    if action == "pre_clear" and not reverse:
        instance._roles_before_clear = _role_names(instance)
    elif action == "pre_clear":
        instance._members_before_clear = list(instance.user_set.all())


def roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Records one event per user whose roles (Django groups) changed."""
    verb = ROLE_CHANGES.get(action)
    if verb is None:
        return
    if not reverse:  # user.groups.add/remove/clear/set
        users = [instance]
        if action == "post_clear":
            groups = getattr(instance, "_roles_before_clear", [])
        else:
            groups = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    else:  # group.user_set.add/remove/clear/set
        groups = [instance.name]
        if action == "post_clear":
            users = getattr(instance, "_members_before_clear", [])
        else:
            users = list(get_user_model().objects.filter(pk__in=pk_set))
    if not groups:
        return
    for user in users:
        now = _role_names(user)
        was = sorted(set(now) - set(groups)) if verb == "added" else sorted({*now, *groups})
        audit.record(
            action="user.roles_changed",
            # Set by the accounts services; changes made elsewhere (a shell) stay anonymous.
            actor=getattr(user, "audit_actor", None),
            target=user,
            before={"roles": was},
            after={"roles": now},
            detail=f"{verb.capitalize()} {', '.join(groups)}.",
        )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="audit_signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit_signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit_sign_in_failed")
    groups = get_user_model().groups.through
    m2m_changed.connect(remember_roles_before_clear, sender=groups, dispatch_uid="audit_roles_pre")
    m2m_changed.connect(roles_changed, sender=groups, dispatch_uid="audit_roles")
