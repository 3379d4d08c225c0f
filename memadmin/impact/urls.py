"""Impact, mounted at /impact/: the builder's live impact panel."""

from django.urls import path

from memadmin.impact import views
from memadmin.traitgroups import converters  # noqa: F401 (registers <store_id:…>)

app_name = "impact"
urlpatterns = [
    path("<store_id:store_id>/builder/", views.builder_panel, name="builder"),
]
