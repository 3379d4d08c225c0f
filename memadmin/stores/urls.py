from django.urls import path, register_converter

from memadmin.stores import views


class StoreIdConverter:
    """A Memory store id (`mem_store_…`, a TTID); anything else is a 404, not an API call."""

    regex = r"mem_(?:store|service)_[0-7][0-9a-z]{25}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StoreIdConverter, "store")

app_name = "stores"
urlpatterns = [
    path("", views.index, name="index"),
    path("select/", views.select, name="select"),
    path("connection/", views.connection, name="connection"),
    path("settings/", views.connection_settings, name="settings"),
    path("promote/", views.promote, name="promote"),
    path("<store:store_id>/groups/", views.groups, name="groups"),
    path("<store:store_id>/sync/", views.sync, name="sync"),
    path("<store:store_id>/sync/status/", views.sync_status, name="sync_status"),
    path("<store:store_id>/groups/<str:name>/drift/", views.drift, name="drift"),
    path("<store:store_id>/groups/<str:name>/draft/", views.start_draft, name="start_draft"),
]
