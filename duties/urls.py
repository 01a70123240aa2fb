from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("uppdrag/<int:pk>/checklista/", views.checklist, name="checklist"),
    path("uppdrag/<int:pk>/checklista/<int:template_pk>/bocka/", views.tick, name="tick"),
    path("uppdrag/<int:pk>/bockar/<int:check_pk>/angra/", views.withdraw, name="withdraw"),
]
