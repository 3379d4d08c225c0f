"""Trait groups, mounted at /stores/: stores, groups, the builder and its htmx endpoints."""

from django.urls import path

from memadmin.traitgroups import (
    builder_endpoints,
    builder_views,
    converters,  # noqa: F401 (registers <store_id:…>)
    views,
)

app_name = "traitgroups"
urlpatterns = [
    path("", views.index, name="index"),
    path("revisions/<int:pk>/", views.revision, name="revision"),
    path("revisions/<int:pk>/export.json", views.export, name="export"),
    path("<store_id:store_id>/", views.group_list, name="list"),
    path("<store_id:store_id>/new/", builder_views.new, name="new"),
    path("<store_id:store_id>/import/", builder_views.import_json, name="import"),
    path("<store_id:store_id>/groups/<str:name>/", views.detail, name="detail"),
    path("<store_id:store_id>/groups/<str:name>/edit/", views.edit, name="edit"),
    path(
        "<store_id:store_id>/groups/<str:name>/export.json", views.export_live, name="export_live"
    ),
    path("<store_id:store_id>/builder/validate/", builder_endpoints.validate, name="validate"),
    path("<store_id:store_id>/builder/preview/", builder_endpoints.preview, name="preview"),
    path("<store_id:store_id>/builder/add/", builder_endpoints.add_trait, name="add_trait"),
    path(
        "<store_id:store_id>/builder/remove/", builder_endpoints.remove_trait, name="remove_trait"
    ),
    path(
        "<store_id:store_id>/builder/duplicate/",
        builder_endpoints.duplicate_trait,
        name="duplicate_trait",
    ),
    path(
        "<store_id:store_id>/builder/rule-fields/",
        builder_endpoints.rule_fields,
        name="rule_fields",
    ),
]
