from django.urls import path

from . import views

# Included by stodperson/urls.py before the admin, so that its login is ours.
urlpatterns = [
    path("konto/logga-in/", views.login, name="login"),
    path("konto/sso/", views.sso_start, name="oidc_authentication_init"),
    path("konto/sso/tillbaka/", views.sso_callback, name="oidc_authentication_callback"),
    path("admin/login/", views.admin_login, name="admin_login"),
]
