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
# A namespace whose pages belong to another's entry: a group's history, to Trait groups.
SECTION_OF_NAMESPACE = {"history": "traitgroups"}


def navigation_for(request: HttpRequest) -> list[dict]:
    user = request.user
    entries = []
    # By URL namespace, not path: a store's groups live under /stores/ yet are "Trait groups".
    namespace = getattr(request.resolver_match, "namespace", "")
    section = SECTION_OF_NAMESPACE.get(namespace, namespace)
    for label, url_name, permission in NAVIGATION:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        active = url_name.startswith(f"{section}:") if section else request.path.startswith(url)
        entries.append({"label": label, "url": url, "active": active})
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
