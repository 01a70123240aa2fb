from django.urls import path

from . import flag_views, views

app_name = "assignments"

urlpatterns = [
    path("oversikt/", views.dashboard, name="dashboard"),
    path("klienter/", views.client_list, name="clients"),
    path("klienter/<int:pk>/", views.client_detail, name="client"),
    path("klienter/<int:pk>/tilldela/", views.assign, name="assign"),
    path("klienter/<int:pk>/byte/", views.change, name="change"),
    path("klienter/<int:pk>/nojdhet/", views.satisfaction, name="satisfaction"),
    path("stodpersoner/<int:pk>/avaktivera/", views.deactivate, name="deactivate"),
    path("mina-klienter/", views.my_clients, name="my_clients"),
    path("flaggor/", flag_views.flag_list, name="flags"),
    path("uppdrag/<int:pk>/checklista/", views.checklist, name="checklist"),
    path("uppdrag/<int:pk>/checklista/<int:template_pk>/bocka/", views.tick, name="tick"),
    path("uppdrag/<int:pk>/bockar/<int:check_pk>/angra/", views.withdraw, name="withdraw"),
]
