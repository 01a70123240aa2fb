"""The service header and its navigation: who is logged in, in which role and for which
units, and a menu per role with the page being shown marked (aria-current)."""

import re

from django.urls import reverse

from stodperson import navigation


def _menu_labels(html: str) -> list[str]:
    nav = html.split('aria-label="Huvudmeny"', 1)[1].split("</nav>", 1)[0]
    return [
        re.sub(r"<[^>]+>|\s+", " ", m).strip()
        for m in re.findall(r'class="(?:nav-link|dropdown-item)[^"]*"[^>]*>(.*?)</a>', nav)
    ]


def _current(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)', html.split("</nav>", 1)[0])


def test_the_header_names_the_manager_their_role_and_their_units(as_manager_a, world):
    html = as_manager_a.get(reverse("overview:clients")).content.decode()
    header = html.split('data-testid="service-user"', 1)[1].split("</div>", 1)[0]
    assert "Anna Chef" in header
    assert f"Enhetschef · {world.unit_a.name}" in header


def test_the_header_names_the_support_persons_unit(as_support_person, sp_user):
    html = as_support_person.get(reverse("overview:my_clients")).content.decode()
    header = html.split('data-testid="service-user"', 1)[1].split("</div>", 1)[0]
    assert "Stödperson" in header
    unit = sp_user.support_person.unit
    if unit is not None:
        assert unit.name in header


def test_the_administrator_works_for_all_units(as_admin):
    html = as_admin.get(reverse("overview:dashboard")).content.decode()
    assert "Administratör · Alla enheter" in html


def test_a_support_person_has_my_clients_and_not_the_register_of_clients(as_support_person):
    html = as_support_person.get(reverse("overview:my_clients")).content.decode()
    assert _menu_labels(html) == ["Mina klienter", "Kontakter", "Flaggor"]


def test_a_manager_has_the_units_pages_and_no_administrators_pages(as_manager_a):
    html = as_manager_a.get(reverse("overview:dashboard")).content.decode()
    assert _menu_labels(html) == ["Översikt", "Klienter", "Stödpersoner", "Flaggor", "Export"]


def test_the_administrator_has_the_office_pages_and_more(as_admin):
    labels = _menu_labels(as_admin.get(reverse("overview:dashboard")).content.decode())
    assert labels[:6] == [
        "Översikt",
        "Begäranden",
        "Klienter",
        "Stödpersoner",
        "Flaggor",
        "Tertialrapporter",
    ]
    assert {
        "Utbildning",
        "Logg",
        "Balans i stödpersonspoolen",
        "Importera",
        "Export",
        "Månadsrapporter",
    } <= set(labels)


def test_the_page_being_shown_is_marked_in_the_menu(as_manager_a, as_support_person, world):
    client_page = reverse("overview:client", args=[world.client_a.pk])
    assert _current(as_manager_a.get(client_page).content.decode()) == ["Klienter"]
    checklist = reverse("duties:checklist", args=[world.assignment_a.pk])
    assert _current(as_support_person.get(checklist).content.decode()) == ["Mina klienter"]


def test_every_menu_item_names_a_page_that_exists():
    for item in navigation.ITEMS:
        assert reverse(item.url_name)


def test_the_start_page_has_no_breadcrumbs_and_a_deeper_page_leads_back(as_manager_a, world):
    start = as_manager_a.get(reverse("overview:dashboard")).content.decode()
    assert 'class="breadcrumb"' not in start
    page = as_manager_a.get(reverse("overview:client", args=[world.client_a.pk])).content.decode()
    crumbs = page.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert [re.sub(r"<[^>]+>", "", a) for a in re.findall(r"<a [^>]*>.*?</a>", crumbs)] == [
        "Start",
        "Klienter",
    ]


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
