"""Version history, mounted at /stores/: under the group (or the store) it tells the past of."""

from django.urls import path

from memadmin.history import views
from memadmin.traitgroups import converters  # noqa: F401 (registers <store_id:…>)

app_name = "history"
urlpatterns = [
    path("<store_id:store_id>/groups/<str:name>/history/", views.group_history, name="group"),
    path(
        "<store_id:store_id>/groups/<str:name>/history/<int:pk>/restore/",
        views.restore,
        name="restore",
    ),
    path("<store_id:store_id>/as-of/", views.store_as_of, name="store"),
    path("<store_id:store_id>/as-of/restore/", views.restore_many, name="restore_many"),
    path("<store_id:store_id>/as-of/restored/", views.restored, name="restored"),
]
