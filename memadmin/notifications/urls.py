"""Notifications, mounted at /notifications/."""

from django.urls import path

from memadmin.notifications import views

app_name = "notifications"
urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("destinations/", views.destinations, name="destinations"),
    path("destinations/<int:pk>/remove/", views.remove_destination, name="remove_destination"),
    path("destinations/<int:pk>/test/", views.test_destination, name="test_destination"),
    path("destinations/configured/<str:key>/test/", views.test_configured, name="test_configured"),
    path("deliveries/", views.deliveries, name="deliveries"),
]
