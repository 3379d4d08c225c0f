"""Team review, mounted at /reviews/: the inbox, a revision's review page, its actions."""

from django.urls import path

from memadmin.reviews import views
from memadmin.traitgroups import converters  # noqa: F401 (registers <store_id:…>)

app_name = "reviews"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("publish/", views.publish_many, name="publish_many"),
    path("published/", views.published, name="published"),
    path("<int:pk>/", views.revision, name="revision"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/request-changes/", views.request_changes, name="request_changes"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/rebase/", views.rebase, name="rebase"),
    path("delete/<store_id:store_id>/<str:name>/", views.request_delete, name="request_delete"),
]
