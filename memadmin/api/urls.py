"""The API tokens page, mounted at /tokens/ (the API itself is at /api/)."""

from django.urls import path

from memadmin.api import views

app_name = "apitokens"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
