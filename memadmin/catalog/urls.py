"""The trait catalog, under /catalog/: its own prefix, apart from the stores' pages."""

from django.urls import path

from memadmin.catalog import views
from memadmin.traitgroups import converters  # noqa: F401 (registers <store_id:…>)

app_name = "catalog"
urlpatterns = [
    path("", views.catalog, name="index"),
    path("<store_id:store_id>/", views.store_catalog, name="store"),
    # `path`: a trait name may hold a slash (Twilio keeps it when normalising names).
    path("<store_id:store_id>/<str:group>/<path:name>", views.trait, name="trait"),
]
