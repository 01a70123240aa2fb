from django.urls import path

from . import views, volunteer_views

app_name = "supportpersons"

urlpatterns = [
    path("stodpersoner/", views.person_list, name="list"),
    path("stodpersoner/ny/", views.person_new, name="new"),
    path("stodpersoner/<int:pk>/", views.person_detail, name="detail"),
    path("stodpersoner/<int:pk>/andra/", views.person_edit, name="edit"),
    path("stodpersoner/<int:pk>/rekrytering/", views.person_step, name="step"),
    path("stodpersoner/<int:pk>/paus/", views.person_pause, name="pause"),
    path("stodpersoner/<int:pk>/ateraktivera/", views.person_reactivate, name="reactivate"),
    path("export/", views.export_page, name="export"),
    path("export/stodpersoner.<slug:fmt>", views.export_people, name="export_people"),
    path("export/klienter.<slug:fmt>", views.export_clients, name="export_clients"),
    path("import/", views.import_upload, name="import"),
    path("import/spara/", views.import_confirm, name="import_confirm"),
    path("import/mall/<slug:kind>.<slug:fmt>", views.import_template, name="import_template"),
    path("utbildningar/", views.event_list, name="events"),
    path("utbildningar/ny/", views.event_new, name="event_new"),
    path("utbildningar/<int:pk>/", views.event_detail, name="event"),
    path("utbildningar/<int:pk>/anmalan/", views.event_register, name="event_register"),
    path(
        "utbildningar/<int:pk>/anmalan/<int:registration_pk>/ta-bort/",
        views.event_unregister,
        name="event_unregister",
    ),
    path("utbildningar/<int:pk>/narvaro/", views.event_attendance, name="event_attendance"),
    path("utbildningar/<int:pk>/installd/", views.event_cancel, name="event_cancel"),
    path("utbildningar/<int:pk>/genomford/", views.event_held, name="event_held"),
    path("samverkan/", views.collaboration, name="collaboration"),
    # The patient committee's volunteers (issue 16).
    path("stodpersoner/<int:pk>/bjud-in/", volunteer_views.invite, name="invite"),
    path(
        "stodpersoner/<int:pk>/belastningsregister/",
        volunteer_views.background_check_new,
        name="background_check_new",
    ),
    path("konto/inbjudan/<str:token>/", volunteer_views.invitation, name="invitation"),
    path("mina-uppdrag/tystnadsforbindelse/", volunteer_views.undertaking, name="undertaking"),
    path("mina-uppdrag/mina-uppgifter/", volunteer_views.details, name="volunteer_details"),
    path(
        "mina-uppdrag/utbildningar/<int:pk>/anmal/",
        volunteer_views.event_register,
        name="volunteer_event_register",
    ),
    path(
        "mina-uppdrag/utbildningar/<int:pk>/avanmal/",
        volunteer_views.event_unregister,
        name="volunteer_event_unregister",
    ),
]
