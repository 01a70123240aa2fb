from django.urls import path

from . import deviation_views, views

app_name = "clients"

urlpatterns = [
    path("klienter/<int:pk>/samtycke/ny/", views.record, {"kind": "samtycke"}, name="consent_new"),
    path("klienter/<int:pk>/risk/ny/", views.record, {"kind": "risk"}, name="risk_new"),
    path(
        "klienter/<int:pk>/avvikelse/ny/", views.record, {"kind": "avvikelse"}, name="deviation_new"
    ),
    path("avvikelser/<int:pk>/", deviation_views.deviation_detail, name="deviation"),
    path(
        "avvikelser/<int:pk>/utred/",
        deviation_views.deviation_step,
        {"step": "investigate"},
        name="deviation_investigate",
    ),
    path(
        "avvikelser/<int:pk>/atgarder/",
        deviation_views.deviation_step,
        {"step": "decide"},
        name="deviation_decide",
    ),
    path(
        "avvikelser/<int:pk>/ivo/",
        deviation_views.deviation_step,
        {"step": "ivo"},
        name="deviation_ivo",
    ),
    path(
        "avvikelser/<int:pk>/avsluta/",
        deviation_views.deviation_step,
        {"step": "close"},
        name="deviation_close",
    ),
]
