"""Roles are Django groups whose permissions decide what each person may do."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from memadmin.accounts import services
from memadmin.accounts.roles import ROLE_PERMISSIONS, ROLES


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_exactly_its_permissions(make_user, role):
    user = make_user(role)
    for permission in {p for perms in ROLE_PERMISSIONS.values() for p in perms}:
        app_label, codename = permission.split(".")
        from django.contrib.auth.models import Permission

        if not Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists():
            continue  # declared by an app that has not defined it yet
        assert user.has_perm(permission) is (permission in ROLE_PERMISSIONS[role]), permission


def test_operators_cannot_review_and_auditors_cannot_edit(make_user):
    operator, auditor = make_user("Operator"), make_user("Auditor")
    assert not operator.has_perm("accounts.manage_roles")
    assert not auditor.has_perm("accounts.manage_roles")
    assert make_user("Admin", username="boss").has_perm("accounts.manage_roles")


def test_create_user_command_gives_one_role(db):
    call_command("create_user", "rita", role="Reviewer", password="long-enough-pass")
    from django.contrib.auth import get_user_model

    rita = get_user_model().objects.get(username="rita")
    assert [g.name for g in rita.groups.all()] == ["Reviewer"]
    assert rita.check_password("long-enough-pass")


def test_create_user_refuses_a_short_password(db):
    with pytest.raises(CommandError, match="at least 8"):
        call_command("create_user", "rita", role="Reviewer", password="short")


def test_unknown_role_is_refused(db):
    with pytest.raises(services.UnknownRole, match="choose one of"):
        services.create_user_with_role(username="x", password="long-enough", role="Wizard")


@override_settings(DEBUG=True)
def test_demo_data_creates_one_user_per_role(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: running `make run` twice is fine
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users] == ["admin", "auditor", "operator", "reviewer"]
    assert all(u.check_password("memadmin-demo") for u in users)
    assert "password: memadmin-demo" in capsys.readouterr().out


@override_settings(DEBUG=False)
def test_demo_data_is_never_created_with_debug_off(db):
    with pytest.raises(CommandError, match="local use only"):
        call_command("seed_demo")
