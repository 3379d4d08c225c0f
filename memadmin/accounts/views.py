"""People, for Admins: who has which role, adding someone, and changing a person's role,
password or access. Each change calls one service, which records it with its actor."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from memadmin.accounts import selectors, services
from memadmin.accounts.roles import ROLES, roles_of

MANAGE = "accounts.manage_roles"


@require_GET
@permission_required(MANAGE, raise_exception=True)
def people(request: HttpRequest) -> HttpResponse:
    return _people_page(request)


def _people_page(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    context = {
        "people": selectors.list_people(),
        "roles": ROLES,
        "error": error,
        "typed": {"username": request.POST.get("username", ""), "role": request.POST.get("role")},
    }
    return render(request, "accounts/people.html", context, status=status)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    try:
        person = services.create_person(
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
            role=request.POST.get("role", ""),
            actor=request.user,
        )
    except (services.PersonRefused, services.UnknownRole) as exc:
        return _people_page(request, status=400, error=str(exc))
    messages.success(request, f"{person.get_username()} can now sign in.")
    return redirect("person", pk=person.pk)


@require_GET
@permission_required(MANAGE, raise_exception=True)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, _get(pk))


def _person_page(request, user, *, status: int = 200, error: str = "") -> HttpResponse:
    context = {
        "person": user,
        "roles": ROLES,
        "current_roles": roles_of(user),
        "error": error,
        "history": selectors.list_person_events(user),
    }
    return render(request, "accounts/person.html", context, status=status)


def _act(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    user = _get(pk)
    try:
        action(user)
    except (services.PersonRefused, services.UnknownRole) as exc:
        return _person_page(request, user, status=400, error=str(exc))
    messages.success(request, success.format(name=user.get_username()))
    return redirect("person", pk=pk)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    role = request.POST.get("role", "")

    def act(user):
        services.change_role(user=user, role=role, actor=request.user)

    return _act(request, pk, act, "{name} is now " + (role or "?") + ".")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def set_active(request: HttpRequest, pk: int) -> HttpResponse:
    active = request.POST.get("active") == "1"

    def act(user):
        services.set_active(user=user, active=active, actor=request.user)

    verb = "can sign in again" if active else "can no longer sign in"
    return _act(request, pk, act, "{name} " + verb + ".")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user):
        services.reset_password(
            user=user, password=request.POST.get("password", ""), actor=request.user
        )

    return _act(request, pk, act, "{name}'s password was changed.")


def _get(pk: int):
    return get_object_or_404(get_user_model(), pk=pk)
