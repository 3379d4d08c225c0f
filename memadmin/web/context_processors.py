"""Values every page's layout needs: version, navigation, the signed-in user's roles."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from memadmin import __version__
from memadmin.accounts.roles import roles_of

# (label, URL name, permission that makes the entry worth showing)
NAVIGATION = (
    ("Stores", "stores:index", "traitgroups.view_traitgroup"),
    ("Trait groups", "traitgroups:index", "traitgroups.view_traitgroup"),
    # Operators follow their own revisions there too, not only reviewers.
    ("Reviews", "reviews:inbox", "traitgroups.view_traitgrouprevision"),
    ("Trait catalog", "catalog:index", "traitgroups.view_traitgroup"),
    ("Operations", "operations:index", "operations.view_operation"),
    ("Audit log", "audit:index", "audit.view_auditevent"),
    ("API tokens", "apitokens:index", "traitgroups.view_traitgroup"),
    ("People", "people", "accounts.manage_roles"),
)
# Pages that belong to an entry without being in its URL namespace: a group's history.
SECTION_OF_NAMESPACE = {"history": "traitgroups"}


def _is_current(request: HttpRequest, url_name: str, url: str) -> bool:
    """Whether the page is in the entry's section: by URL namespace, since a store's
    groups live under /stores/ yet belong to "Trait groups", not "Stores"."""
    namespace, _, _ = url_name.rpartition(":")
    if not namespace:
        return request.path.startswith(url)
    current = getattr(request.resolver_match, "namespace", "")
    return SECTION_OF_NAMESPACE.get(current, current) == namespace


def navigation_for(request: HttpRequest) -> list[dict]:
    user = request.user
    entries = []
    for label, url_name, permission in NAVIGATION:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": label, "url": url, "active": _is_current(request, url_name, url)})
    return entries


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "memadmin_version": __version__,
        "using_emulator": settings.MEMORY_API_URL == "emulator",
        "user_roles": roles_of(user) if signed_in else [],
        "navigation": navigation_for(request) if signed_in else [],
    }
