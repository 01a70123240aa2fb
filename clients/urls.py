from django.urls import path

from . import deviation_views, record_views, views

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
    # Acting on the records (record_views.py): pk is the record's own id.
    path("samtycken/<int:pk>/fornya/", record_views.consent_renew, name="consent_renew"),
    path("samtycken/<int:pk>/aterkalla/", record_views.consent_withdraw, name="consent_withdraw"),
    path("risker/<int:pk>/uppfoljning/", record_views.risk_follow_up, name="risk_follow_up"),
    path("risker/<int:pk>/avsluta/", record_views.risk_end, name="risk_end"),
    path("klienter/<int:pk>/kontaktperson/ny/", record_views.contact_new, name="contact_new"),
    path("kontaktpersoner/<int:pk>/andra/", record_views.contact_edit, name="contact_edit"),
    path("kontaktpersoner/<int:pk>/avsluta/", record_views.contact_end, name="contact_end"),
]
