"""Trait groups, mounted at /stores/: stores, groups, the builder and its htmx endpoints."""

from django.urls import path, register_converter

from memadmin.traitgroups import builder_endpoints, builder_views, views


class StoreIdConverter:
    # "`storeId`: `^mem_(store|service)_[0-7][0-9a-z]{25}$`"; anything else is a 404 here.
    regex = r"mem_(?:store|service)_[0-7][0-9a-z]{25}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StoreIdConverter, "store_id")

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
