"""Trait groups: revisions under /groups/, and a store's groups and builder under
/stores/<store>/, beside the stores app that owns /stores/ itself. The group list and the
nav's /groups/ entry are stores' views, named in this namespace by memadmin/urls.py."""

from django.urls import path

from memadmin.traitgroups import (
    converters,  # noqa: F401 (registers <store_id:…>)
    views,
)
from memadmin.traitgroups.builder import endpoints
from memadmin.traitgroups.builder import views as builder_views

STORE = "stores/<store_id:store_id>/"
GROUP = STORE + "groups/<str:name>/"
BUILDER = STORE + "builder/"

app_name = "traitgroups"
urlpatterns = [
    path("groups/revisions/<int:pk>/", views.revision, name="revision"),
    path("groups/revisions/<int:pk>/export.json", views.export, name="export"),
    path(STORE + "new/", builder_views.new, name="new"),
    path(STORE + "import/", builder_views.import_json, name="import"),
    path(GROUP, views.detail, name="detail"),
    path(GROUP + "edit/", views.edit, name="edit"),
    path(GROUP + "export.json", views.export_live, name="export_live"),
    path(BUILDER + "validate/", endpoints.validate, name="validate"),
    path(BUILDER + "check/", endpoints.check, name="check"),
    path(BUILDER + "preview/", endpoints.preview, name="preview"),
    path(BUILDER + "add/", endpoints.add_trait, name="add_trait"),
    path(BUILDER + "remove/", endpoints.remove_trait, name="remove_trait"),
    path(BUILDER + "duplicate/", endpoints.duplicate_trait, name="duplicate_trait"),
    path(BUILDER + "rule-fields/", endpoints.rule_fields, name="rule_fields"),
]
