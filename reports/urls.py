from django.urls import path

from . import extract_views, views

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
    path(
        "registerutdrag/<slug:kind>/<int:pk>.<slug:fmt>",
        extract_views.register_extract,
        name="extract",
    ),
]
