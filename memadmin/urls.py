"""memadmin's URLs: one include per app; the emulator is not among them (it is its own app)."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView

from memadmin.api import endpoints
from memadmin.stores import views as store_views
from memadmin.traitgroups import urls as traitgroup_urls
from memadmin.traitgroups.converters import StoreIdConverter

# Paths from before URLs matched the apps (issue 16): old path (a regex), new path (filled
# from its named groups). A 301 for GET only: a form posted there is refused (405), not
# silently turned into a GET by the browser following the redirect.
MOVED_PATHS = (
    (r"^twilio/settings/$", "/stores/connection/settings/"),
    (r"^twilio/(?P<rest>.*)$", "/stores/%(rest)s"),
    (rf"^stores/(?P<store_id>{StoreIdConverter.regex})/$", "/stores/%(store_id)s/groups/"),
    (r"^stores/revisions/(?P<rest>.*)$", "/groups/revisions/%(rest)s"),
)
moved = [
    re_path(
        old,
        RedirectView.as_view(
            url=new, permanent=True, query_string=True, http_method_names=["get", "head"]
        ),
    )
    for old, new in MOVED_PATHS
]

# A store's group list and the nav's "Trait groups" entry show the stores app's sync state, so
# they are its views; people (and templates) find them under "traitgroups", so they are named
# there. Joining them here keeps traitgroups from importing the stores app above it.
trait_group_patterns = [
    path("groups/", store_views.trait_groups, name="index"),
    path("stores/<store_id:store_id>/groups/", store_views.group_list, name="list"),
    *traitgroup_urls.urlpatterns,
]

urlpatterns = [
    path("", include("memadmin.web.urls")),
    path("accounts/", include("memadmin.accounts.urls")),
    path("stores/", include("memadmin.stores.urls")),
    path("", include((trait_group_patterns, "traitgroups"))),  # /groups/, /stores/<store>/groups/…
    path("stores/", include("memadmin.history.urls")),
    path("reviews/", include("memadmin.reviews.urls")),
    path("operations/", include("memadmin.operations.urls")),
    path("audit/", include("memadmin.audit.urls")),
    path("tokens/", include("memadmin.api.urls")),
    path("api/", endpoints.urls()),
    path("notifications/", include("memadmin.notifications.urls")),
    path("catalog/", include("memadmin.catalog.urls")),
    path("dry-runs/", include("memadmin.dryrun.urls")),
    path("impact/", include("memadmin.impact.urls")),
    path("", include((moved, "moved"))),
]

handler400 = "memadmin.web.views.bad_request"
handler403 = "memadmin.web.views.permission_denied"
handler404 = "memadmin.web.views.page_not_found"
handler500 = "memadmin.web.views.server_error"
