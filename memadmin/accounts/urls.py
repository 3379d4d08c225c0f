from django.contrib.auth import views as auth_views
from django.urls import path

from memadmin.accounts import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people, name="people"),
    path("people/new/", views.create, name="person_create"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/role/", views.change_role, name="person_role"),
    path("people/<int:pk>/access/", views.set_active, name="person_active"),
    path("people/<int:pk>/password/", views.reset_password, name="person_password"),
]
