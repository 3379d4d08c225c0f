from django.urls import path

from memadmin.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("export/", views.export, name="export"),
    path("checkpoints/", views.checkpoint_list, name="checkpoints"),
    path("verifier/verify_audit_export.py", views.verifier, name="verifier"),
]
