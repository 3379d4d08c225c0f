"""Stores, mounted at /stores/: the list, sync, drift, promotion, the Twilio connection."""

from django.urls import path

from memadmin.stores import views
from memadmin.traitgroups import converters  # noqa: F401 (registers <store_id:…>)

app_name = "stores"
urlpatterns = [
    path("", views.index, name="index"),
    path("select/", views.select, name="select"),
    path("connection/", views.connection, name="connection"),
    path("connection/settings/", views.connection_settings, name="settings"),
    path("promote/", views.promote, name="promote"),
    path("<store_id:store_id>/sync/", views.sync, name="sync"),
    path("<store_id:store_id>/sync/status/", views.sync_status, name="sync_status"),
    path("<store_id:store_id>/groups/<str:name>/drift/", views.drift, name="drift"),
]
