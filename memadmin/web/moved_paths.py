"""Paths that moved when URLs came to match the apps (issue 16), sent on with a 301 so
that bookmarks keep working. GET and HEAD only: a form posted to an old path is refused
(405) rather than silently turned into a GET by the browser following the redirect."""

from django.urls import re_path
from django.views.generic import RedirectView

from memadmin.traitgroups.converters import StoreIdConverter

# (old path, as a regex; new path, filled from the old one's named groups), first match wins.
MOVED_PATHS = (
    (r"^twilio/settings/$", "/stores/connection/settings/"),
    (r"^twilio/(?P<rest>.*)$", "/stores/%(rest)s"),
    (rf"^stores/(?P<store_id>{StoreIdConverter.regex})/$", "/stores/%(store_id)s/groups/"),
    (r"^stores/revisions/(?P<rest>.*)$", "/groups/revisions/%(rest)s"),
)

app_name = "moved"
urlpatterns = [
    re_path(
        old,
        RedirectView.as_view(
            url=new, permanent=True, query_string=True, http_method_names=["get", "head"]
        ),
    )
    for old, new in MOVED_PATHS
]
