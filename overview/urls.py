from django.urls import path

from . import client_views, views, volunteer_views

app_name = "overview"

urlpatterns = [
    path("oversikt/", views.dashboard, name="dashboard"),
    path("klienter/", views.client_list, name="clients"),
    path("klienter/<int:pk>/", views.client_detail, name="client"),
    path("klienter/<int:pk>/andra/", client_views.client_edit, name="client_edit"),
    path("klienter/<int:pk>/flytta/", client_views.client_move, name="client_move"),
    path("klienter/<int:pk>/avsluta/", client_views.client_end, name="client_end"),
    path("mina-klienter/", views.my_clients, name="my_clients"),
    path("mina-uppdrag/", volunteer_views.home, name="volunteer_home"),
]
