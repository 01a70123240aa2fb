from django.urls import path

from . import (
    care_end_views,
    contact_views,
    offer_views,
    request_views,
    review_views,
    views,
)

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

# The volunteer's contacts and monthly reports, and the office's review (issue #16).
urlpatterns += [
    path("kontakter/", contact_views.contacts, name="contacts"),
    path(
        "uppdrag/<int:pk>/kontakter/<int:year>/<int:month>/",
        contact_views.contact_month,
        name="contact_month",
    ),
    path(
        "uppdrag/<int:pk>/kontakter/<int:year>/<int:month>/lamna-in/",
        contact_views.report_submit,
        name="report_submit",
    ),
    path("uppdrag/<int:pk>/kontakter/ny/", contact_views.contact_new, name="contact_new"),
    path("kontakter/<int:pk>/andra/", contact_views.contact_edit, name="contact_edit"),
    path("kontakter/<int:pk>/ta-bort/", contact_views.contact_delete, name="contact_delete"),
    path("kontakter/<int:pk>/kvitto/", contact_views.receipt, name="receipt"),
    path("manadsrapporter/", review_views.report_queue, name="report_queue"),
    path("manadsrapporter/<int:pk>/", review_views.report_review, name="report_review"),
]
