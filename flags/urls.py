from django.urls import path

from . import views

app_name = "flags"

urlpatterns = [
    path("flaggor/", views.flag_list, name="list"),
    path("flaggor/<int:pk>/", views.flag_detail, name="flag"),
]
