from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import two_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("halsa/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    # The login page, single sign-on and the admin's login (before "admin/" below).
    path("", include("accounts.urls")),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/verifiera/", two_factor.verify, name="two_factor_verify"),
    path("konto/tvastegsverifiering/", two_factor.setup, name="two_factor_setup"),
    path("", include("overview.urls")),
    path("", include("assignments.urls")),
    path("", include("duties.urls")),
    path("", include("flags.urls")),
    path("", include("clients.urls")),
    path("", include("supportpersons.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "stodperson.views.permission_denied"
handler404 = "stodperson.views.page_not_found"
handler500 = "stodperson.views.server_error"
