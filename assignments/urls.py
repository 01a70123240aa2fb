from django.urls import path

from . import care_end_views, request_views, views

app_name = "assignments"

urlpatterns = [
    path("klienter/<int:pk>/tilldela/", views.assign, name="assign"),
    path("klienter/<int:pk>/byte/", views.change, name="change"),
    path("klienter/<int:pk>/nojdhet/", views.satisfaction, name="satisfaction"),
    path("stodpersoner/<int:pk>/avaktivera/", views.deactivate, name="deactivate"),
    path("stodpersoner/balans/", views.balance, name="balance"),
]

# Requests and appointments (the administrator's work; request_views.py).
urlpatterns += [
    path("begaran/", request_views.request_list, name="requests"),
    path("begaran/ny/", request_views.request_new, name="request_new"),
    path("begaran/<int:pk>/", request_views.request_detail, name="request"),
    path("begaran/<int:pk>/pausa/", request_views.request_pause, name="request_pause"),
    path("begaran/<int:pk>/ateruppta/", request_views.request_resume, name="request_resume"),
    path("begaran/<int:pk>/aterkalla/", request_views.request_withdraw, name="request_withdraw"),
    path("begaran/<int:pk>/forordna/", request_views.request_appoint, name="request_appoint"),
    path("uppdrag/<int:pk>/entlediga/", request_views.assignment_release, name="release"),
    # The end of compulsory care and the weeks after (care_end.py).
    path("klienter/<int:pk>/vard-upphort/", care_end_views.care_end, name="care_end"),
]
