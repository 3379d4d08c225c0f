from django.urls import path

from memadmin.dryrun import views

app_name = "dryrun"

urlpatterns = [
    path("revisions/<int:revision_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/examples/", views.examples, name="examples"),
]
