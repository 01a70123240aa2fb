from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("logg/", views.log_review, name="review"),
]
