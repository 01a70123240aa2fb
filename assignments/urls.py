from django.urls import path

from . import offer_views, request_views, views

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
]

# Offers (offer_views.py): the office's, from a request; the volunteer's, on the phone.
urlpatterns += [
    path("begaran/<int:pk>/erbjud/", offer_views.request_offer, name="request_offer"),
    path(
        "begaran/<int:pk>/erbjudanden/<int:offer_pk>/forordna/",
        offer_views.offer_appoint,
        name="offer_appoint",
    ),
    path(
        "begaran/<int:pk>/erbjudanden/<int:offer_pk>/aterkalla/",
        offer_views.offer_withdraw,
        name="offer_withdraw",
    ),
    path("mina-forfragningar/", offer_views.my_offers, name="my_offers"),
    path("mina-forfragningar/<int:pk>/", offer_views.my_offer, name="my_offer"),
    path(
        "mina-forfragningar/<int:pk>/acceptera/",
        offer_views.my_offer_accept,
        name="my_offer_accept",
    ),
    path(
        "mina-forfragningar/<int:pk>/avboj/", offer_views.my_offer_decline, name="my_offer_decline"
    ),
]
