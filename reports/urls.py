from django.urls import path

from . import decision_views, extract_views, views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.report_list, name="list"),
    path("rapporter/ny/", views.report_create, name="create"),
    path("rapporter/<int:pk>/", views.report_detail, name="detail"),
    path("rapporter/<int:pk>/generera-text/", views.report_regenerate, name="regenerate"),
    path("rapporter/<int:pk>/rakna-om/", views.report_refresh, name="refresh"),
    path("rapporter/<int:pk>/faststall/", views.report_finalise, name="finalise"),
    path("rapporter/<int:pk>/pdf/", views.report_pdf_download, name="pdf"),
    path("rapporter/<int:pk>/export.<str:fmt>", views.report_export, name="export"),
    path("rapporter/samlat/ny/", views.batch_create, name="batch_create"),
    path("rapporter/samlat/<int:pk>/", views.batch_detail, name="batch"),
    path("rapporter/samlat/<int:pk>/zip/", views.batch_download, name="batch_download"),
    path("delegationsbeslut/", decision_views.decision_list, name="decisions"),
    path(
        "delegationsbeslut/lista.<slug:fmt>",
        decision_views.decision_export,
        name="decisions_export",
    ),
    path("delegationsbeslut/<int:pk>/", decision_views.decision_detail, name="decision"),
    path(
        "delegationsbeslut/<int:pk>/brev-<slug:to>.pdf",
        decision_views.decision_letter,
        name="decision_letter",
    ),
    path(
        "registerutdrag/<slug:kind>/<int:pk>.<slug:fmt>",
        extract_views.register_extract,
        name="extract",
    ),
]
