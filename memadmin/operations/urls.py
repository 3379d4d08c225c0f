from django.urls import path

from memadmin.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/badge/", views.badge, name="badge"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/reconcile/", views.reconcile_view, name="reconcile"),
]
