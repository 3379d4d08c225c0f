"""memadmin's URLs: one include per app; the emulator is not among them (it is its own app)."""

from django.urls import include, path

from memadmin.api import endpoints

urlpatterns = [
    path("", include("memadmin.web.urls")),
    path("accounts/", include("memadmin.accounts.urls")),
    path("stores/", include("memadmin.stores.urls")),
    path("", include("memadmin.traitgroups.urls")),  # /groups/ and /stores/<store>/…
    path("stores/", include("memadmin.history.urls")),
    path("", include("memadmin.web.moved_paths")),
    path("reviews/", include("memadmin.reviews.urls")),
    path("operations/", include("memadmin.operations.urls")),
    path("audit/", include("memadmin.audit.urls")),
    path("tokens/", include("memadmin.api.urls")),
    path("api/", endpoints.urls()),
    path("notifications/", include("memadmin.notifications.urls")),
    path("catalog/", include("memadmin.catalog.urls")),
    path("dry-runs/", include("memadmin.dryrun.urls")),
    path("impact/", include("memadmin.impact.urls")),
]

handler400 = "memadmin.web.views.bad_request"
handler403 = "memadmin.web.views.permission_denied"
handler404 = "memadmin.web.views.page_not_found"
handler500 = "memadmin.web.views.server_error"
