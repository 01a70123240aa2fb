from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("klienter/<int:pk>/samtycke/ny/", views.record, {"kind": "samtycke"}, name="consent_new"),
    path("klienter/<int:pk>/risk/ny/", views.record, {"kind": "risk"}, name="risk_new"),
    path(
        "klienter/<int:pk>/avvikelse/ny/", views.record, {"kind": "avvikelse"}, name="deviation_new"
    ),
]
