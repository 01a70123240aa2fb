from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("oversikt/", views.dashboard, name="dashboard"),
    path("klienter/", views.client_list, name="clients"),
    path("klienter/<int:pk>/", views.client_detail, name="client"),
    path("mina-klienter/", views.my_clients, name="my_clients"),
]
