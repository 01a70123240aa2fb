"""Protected identity: no door open to anyone who is not a named reader (issue 13).

Three records: a client protected from the start, a protected support person, and a client
protected after registration (its history holds the real name). Their names, personnummer
(each written form), e-mail and phone are distinctive, so a substring search of a response
is meaningful. The walk visits every GET URL of the application (the rows of the access
matrix, derived from the URL configuration) and every admin changelist, change, history
and revert page (derived from the admin registry), as an administrator who is not a named
reader and as a unit manager: none of those values is in any answer. A named reader sees
them where the record is shown whole.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from assignments.models import Offer
from clients.models import Client, ProtectedIdentity
from flags.notifications import send_daily_digests
from reports.models import ReportBatch
from stodperson.roles import ADMINISTRATORS_GROUP
from supportpersons.models import Matter, SupportPerson
from tests import factories, test_access_matrix
from tests.test_access_matrix import POST_ONLY, ROWS, add_contacts

PROTECTED = ProtectedIdentity.PROTECTED_REGISTRATION


@dataclass(frozen=True)
class Secret:
    """What must not be in an answer to someone who is not a named reader."""

    first_name: str
    last_name: str
    personnummer: str = ""  # YYYYMMDD-NNNN
    email: str = ""
    phone: str = ""

    def forms(self) -> list[str]:
        values = [self.first_name, self.last_name]
        if self.personnummer:
            long = self.personnummer
            values += [
                long,  # 19470315-7398
                long.replace("-", ""),  # 194703157398
                long[2:],  # 470315-7398
                long[2:].replace("-", ""),  # 4703157398
                long[:8],  # the birth date a masked number shows
            ]
        if self.email:
            values.append(self.email)
        if self.phone:
            values += [self.phone, "".join(self.phone.split()).replace("-", "")]
        return values


CLIENT = Secret("Xanthippa", "Quorndahl", personnummer="19470315-7398")
PERSON = Secret(
    "Zebulon", "Wrynqvist", email="zebulon.wrynqvist@hemlig.example", phone="070-919 33 71"
)
LATER = Secret("Yggdrasila", "Vorpalsson", personnummer="19520827-4869")
ALL_SECRETS = [value for secret in (CLIENT, PERSON, LATER) for value in secret.forms()]


@pytest.fixture
def doors(world, admin_user, manager_a):
    """The world's records made secret: client A protected (with its support person), the
    support person with client A protected, client A2 registered by name and protected
    afterwards. The rest of what the access matrix visits is built as its `http_as` builds
    it (a row added there that needs a new record needs it here too)."""
    client = world.client_a
    client.first_name, client.last_name = CLIENT.first_name, CLIENT.last_name
    client.personnummer, client.protected_identity = CLIENT.personnummer, PROTECTED
    client.save()
    person = world.sp_with_client
    person.first_name, person.last_name = PERSON.first_name, PERSON.last_name
    person.email, person.phone, person.protected_identity = PERSON.email, PERSON.phone, PROTECTED
    person.save()
    later = world.client_a2
    later.first_name, later.last_name = LATER.first_name, LATER.last_name
    later.personnummer = LATER.personnummer
    later.save()  # the history now holds the real name, and so does the admin's log ...
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[later], action_flag=CHANGE, single_object=True
    )
    later.protected_identity = PROTECTED
    later.save()  # ... and the record is protected from here on

    # The administrator may use the Django admin too: the admin's doors are walked as them.
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    reader = factories.UserFactory(username="lasare", is_staff=True, is_superuser=True)
    reader.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    for record in (client, person, later):
        record.identity_readers.add(reader)

    world.documentation = factories.lss_programme().duty_templates.get(code="documentation")
    world.request = factories.RequestFactory(client=later)
    world.event = factories.TrainingEventFactory()
    world.registration = factories.RegistrationFactory(event=world.event, support_person=person)
    world.report = factories.TertialReportFactory()
    world.batch = ReportBatch.objects.create(created_by=admin_user)
    world.other_programme_person = factories.SupportPersonFactory(
        programme=factories.patient_committee_programme()
    )
    test_access_matrix.add_deviations(world)
    world.decision = factories.DecisionFactory(assignment=world.assignment_a)
    world.person_decision = factories.DecisionFactory(
        assignment=None, client=None, support_person=person, kind=Matter.RECRUITMENT
    )
    # The patient committee's request with an offer: to the protected support person.
    ward = factories.UnitFactory(programme=factories.patient_committee_programme())
    world.pc_request = factories.RequestFactory(client=factories.ClientFactory(unit=ward))
    world.offer = Offer.objects.create(
        request=world.pc_request,
        support_person=person,
        expires_at=timezone.now() + timedelta(days=1),
    )
    factories.FlagFactory(client=client)
    factories.ConsentFactory(client=later)
    world.consent_a = factories.ConsentFactory(client=client)
    world.measure_a = factories.RiskMeasureFactory(
        client=client, kind="protective", consent=world.consent_a
    )
    world.contact_a = factories.ContactFactory(client=client)
    factories.DutyCheckFactory(assignment=world.assignment_a)
    add_contacts(world)
    return {"admin": admin_user, "manager_a": manager_a, "reader": reader}


def _http(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _text(response: HttpResponse) -> str:
    """The answer as text a person would read: PDF and Excel are unpacked first."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return subprocess.run(
            ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
        ).stdout.decode()
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return body.decode(errors="replace")


def _leaks(response: HttpResponse) -> list[str]:
    text = _text(response) + response.get("Content-Disposition", "")
    return [value for value in ALL_SECRETS if value in text]


def app_urls(world) -> Iterator[str]:
    """Every GET URL of the application, as the access matrix derives them (one row per URL
    name of the URL configuration), and the three records' own pages."""
    for row in ROWS:
        if row.expected != POST_ONLY:
            yield reverse(row.name, kwargs=row.args(world))
    for client in (world.client_a, world.client_a2):
        yield reverse("overview:client", args=[client.pk])
        for fmt in ("json", "pdf"):
            yield reverse("reports:extract", args=["klient", client.pk, fmt])
    person = world.sp_with_client
    for name in ("detail", "edit", "step", "pause", "reactivate"):
        yield reverse(f"supportpersons:{name}", args=[person.pk])
    for fmt in ("json", "pdf"):
        yield reverse("reports:extract", args=["stodperson", person.pk, fmt])
    for fmt in ("csv", "xlsx"):
        yield reverse("supportpersons:export_people", args=[fmt])
        yield reverse("supportpersons:export_clients", args=[fmt])


def _admin_name(model: type[Model], view: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def admin_urls() -> Iterator[str]:
    """Every changelist, and every row's change, history, revert and delete page, of every model in
    the admin registry, and the admin's start page (its recent actions)."""
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        yield reverse(_admin_name(model, "changelist"))
        for obj in model._default_manager.all()[:20]:
            try:
                yield reverse(_admin_name(model, "change"), args=[obj.pk])
                yield reverse(_admin_name(model, "history"), args=[obj.pk])
                if model._meta.label != "auth.User":  # see the known door below
                    yield reverse(_admin_name(model, "delete"), args=[obj.pk])  # lists what goes
            except NoReverseMatch:  # a model the admin only lists
                continue
            if isinstance(model_admin, SimpleHistoryAdmin):
                for version in obj.history.all():  # type: ignore[attr-defined]
                    yield reverse(
                        _admin_name(model, "simple_history"), args=[obj.pk, version.history_id]
                    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "manager_a"])
def test_no_page_of_the_application_shows_a_protected_identity(world, doors, persona):
    http = _http(doors[persona])
    leaks = {}
    for url in app_urls(world):
        response = http.get(url)
        assert response.status_code < 500, url
        if found := _leaks(response):
            leaks[url] = found
    assert leaks == {}


@pytest.mark.django_db
def test_no_page_of_the_admin_shows_a_protected_identity(world, doors):
    http = _http(doors["admin"])
    leaks = {}
    for url in admin_urls():
        response = http.get(url)
        assert response.status_code < 500, url
        if found := _leaks(response):
            leaks[url] = found
    assert leaks == {}


@pytest.mark.django_db
def test_the_manager_gets_nothing_from_the_admin(world, doors):
    http = _http(doors["manager_a"])
    for url in admin_urls():
        assert _leaks(http.get(url)) == [], url


def _changelist_hits(http: HttpClient, model: type[Model], term: str) -> list[Model]:
    response = http.get(reverse(_admin_name(model, "changelist")), {"q": term})
    return list(response.context["cl"].result_list)


@pytest.mark.django_db
def test_the_admin_search_finds_no_protected_row_by_an_identifying_field(world, doors):
    # The answer repeats the search term, so the rows found are what is asserted.
    http = _http(doors["admin"])
    for secret in (CLIENT, LATER):
        for term in [secret.first_name, secret.last_name, *secret.forms()[2:7]]:
            assert _changelist_hits(http, Client, term) == [], term
    for term in (PERSON.first_name, PERSON.last_name, PERSON.email, PERSON.phone):
        assert _changelist_hits(http, SupportPerson, term) == [], term
    autocomplete = http.get(
        reverse("admin:autocomplete"),
        {
            "term": CLIENT.personnummer,
            "app_label": "assignments",
            "model_name": "assignment",
            "field_name": "client",
        },
    )
    assert autocomplete.json()["results"] == []


@pytest.mark.django_db
def test_a_named_reader_finds_the_record_by_its_number_or_email(world, doors):
    http = _http(doors["reader"])
    assert _changelist_hits(http, Client, CLIENT.personnummer) == [world.client_a]
    assert _changelist_hits(http, SupportPerson, PERSON.email) == [world.sp_with_client]


@pytest.mark.django_db
def test_the_admin_list_shows_no_birth_date_of_a_protected_client(world, doors):
    page = _http(doors["reader"]).get(reverse(_admin_name(Client, "changelist")))
    assert CLIENT.personnummer[:8] not in page.content.decode()


@pytest.mark.django_db
def test_a_named_reader_sees_the_identity_on_the_record_and_in_its_history(world, doors):
    http = _http(doors["reader"])
    change = http.get(reverse(_admin_name(Client, "change"), args=[world.client_a.pk]))
    assert CLIENT.last_name in change.content.decode()
    assert CLIENT.personnummer in change.content.decode()
    history = http.get(reverse(_admin_name(Client, "history"), args=[world.client_a2.pk]))
    assert LATER.last_name in history.content.decode()
    edit = http.get(reverse("supportpersons:edit", args=[world.sp_with_client.pk]))
    assert PERSON.email in edit.content.decode()
    page = http.get(reverse("overview:client", args=[world.client_a.pk]))
    assert f"{CLIENT.first_name} {CLIENT.last_name}" in page.content.decode()
    extract = http.get(reverse("reports:extract", args=["klient", world.client_a.pk, "json"]))
    assert CLIENT.personnummer in extract.content.decode()


@pytest.mark.django_db
def test_a_non_reader_may_not_revert_a_protected_record(world, doors):
    http = _http(doors["admin"])
    later = world.client_a2
    first = later.history.earliest("history_date")
    url = reverse(_admin_name(Client, "simple_history"), args=[later.pk, first.history_id])
    page = http.get(url)
    assert page.status_code == 200 and LATER.last_name not in page.content.decode()
    assert http.post(url, {"unit": later.unit_id}).status_code == 403
    later.refresh_from_db()
    assert later.protected_identity == PROTECTED


@pytest.mark.django_db
def test_the_admin_change_page_leaves_the_identity_out_for_a_non_reader(world, doors):
    http = _http(doors["admin"])
    client = world.client_a
    url = reverse(_admin_name(Client, "change"), args=[client.pk])
    form = http.get(url).context["adminform"].form
    assert not {"first_name", "last_name", "personnummer"} & set(form.fields)
    # Read only: lifting the protection, or naming oneself a reader, would show the name.
    assert not {"protected_identity", "identity_readers"} & set(form.fields)
    reader_form = _http(doors["reader"]).get(url).context["adminform"].form
    assert {"first_name", "personnummer", "protected_identity", "identity_readers"} <= set(
        reader_form.fields
    )


@pytest.mark.django_db
def test_a_non_reader_edits_a_protected_support_person_without_seeing_the_identity(world, doors):
    http = _http(doors["admin"])
    person = world.sp_with_client
    url = reverse("supportpersons:edit", args=[person.pk])
    form = http.get(url).context["form"]
    hidden = {"first_name", "last_name", "birth_year", "phone", "email", "protected_identity"}
    assert not hidden & set(form.fields)
    data = {
        "programme": person.programme_id,
        "unit": person.unit_id,
        "gender": person.gender,
        "locality": person.locality_id,
        "capacity": 5,
    }
    assert http.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.capacity == 5
    assert (person.first_name, person.email, person.phone, person.birth_year) == (
        PERSON.first_name,
        PERSON.email,
        PERSON.phone,
        1980,
    )
    assert person.protected_identity == PROTECTED


@pytest.mark.django_db
def test_only_a_named_reader_makes_the_extract_of_a_protected_person(world, doors):
    for kind, pk in (("klient", world.client_a.pk), ("stodperson", world.sp_with_client.pk)):
        url = reverse("reports:extract", args=[kind, pk, "json"])
        assert _http(doors["admin"]).get(url).status_code == 403
        assert _http(doors["reader"]).get(url).status_code == 200


@pytest.mark.django_db
def test_the_daily_digest_carries_no_protected_identity(world, doors, mailoutbox):
    send_daily_digests()
    assert mailoutbox, "the flag on the protected client is news to someone"
    for mail in mailoutbox:
        text = mail.subject + mail.body
        assert [value for value in ALL_SECRETS if value in text] == []


@pytest.mark.django_db
def test_the_htmx_row_of_a_tick_carries_no_protected_identity(world, doors, sp_user):
    url = reverse("duties:tick", args=[world.assignment_a.pk, world.documentation.pk])
    today = timezone.localdate().isoformat()
    response = _http(sp_user).post(url, {"done_on": today}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the row, not a page
    assert _leaks(response) == []


@pytest.mark.django_db
def test_the_delete_page_of_a_user_lists_no_protected_identity(world, doors):
    # Deleting a user lists their admin log entries, whose text Django froze when the action
    # was done: a record protected afterwards keeps its name there, so they are counted,
    # not listed (supportpersons/user_admin.py).
    url = reverse(_admin_name(type(doors["admin"]), "delete"), args=[doors["admin"].pk])
    assert _leaks(_http(doors["admin"]).get(url)) == []


@pytest.mark.django_db
def test_the_login_account_of_a_protected_support_person_is_no_door(world, doors, sp_user):
    # The account repeats the person's name and e-mail: not in the user admin's list, search
    # or change page for a non-reader.
    sp_user.first_name, sp_user.last_name = PERSON.first_name, PERSON.last_name
    sp_user.email = PERSON.email
    sp_user.save()
    http = _http(doors["admin"])
    changelist = reverse("admin:auth_user_changelist")
    change = reverse("admin:auth_user_change", args=[sp_user.pk])
    for response in (http.get(changelist), http.get(change)):
        assert response.status_code == 200
        assert _leaks(response) == []
    for term in (PERSON.email, PERSON.last_name):  # the page repeats the term typed, no more
        assert http.get(changelist, {"q": term}).context["cl"].result_count == 0
    assert sp_user.username in http.get(changelist, {"q": sp_user.username}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["client_edit", "client_move", "client_end"])
def test_a_refused_post_to_a_clients_life_shows_no_protected_identity(world, doors, name):
    # The form shown again after a post (a stale version, a bad date) is built from the
    # record and what was posted: for a non-reader, neither carries the identity.
    url = reverse(f"overview:{name}", args=[world.client_a.pk])
    for persona in ("admin", "manager_a"):
        response = _http(doors[persona]).post(
            url,
            {"version": "old", "confirm": "1", "started_on": "2999-01-01", "ended_on": "x"},
        )
        assert response.status_code == 200, persona
        assert _leaks(response) == [], persona
    world.client_a.refresh_from_db()
    assert (world.client_a.last_name, world.client_a.ended_on) == (CLIENT.last_name, None)


# --- Decisions under delegation: the list, its files and the letters --------------------


def _pdf_text(response: HttpResponse) -> str:
    assert response["Content-Type"] == "application/pdf"
    return _text(response)


@pytest.mark.django_db
def test_a_named_reader_sees_the_names_in_the_decisions_and_the_patients_letter(world, doors):
    http = _http(doors["reader"])
    page = http.get(reverse("reports:decisions")).content.decode()
    assert f"{CLIENT.first_name} {CLIENT.last_name}" in page
    assert f"{PERSON.first_name} {PERSON.last_name}" in page
    csv = http.get(reverse("reports:decisions_export", args=["csv"])).content.decode("utf-8-sig")
    assert CLIENT.last_name in csv
    letter = _pdf_text(
        http.get(reverse("reports:decision_letter", args=[world.decision.pk, "patient"]))
    )
    assert f"{CLIENT.first_name} {CLIENT.last_name}" in letter
    # The patient is told who their support person is, but never a protected identity.
    assert PERSON.last_name not in letter


@pytest.mark.django_db
def test_the_volunteers_letter_names_a_protected_patient_only_to_a_named_volunteer(
    world, doors, sp_user
):
    url = reverse("reports:decision_letter", args=[world.decision.pk, "stodperson"])
    http = _http(doors["reader"])
    assert CLIENT.last_name not in _pdf_text(http.get(url))
    world.client_a.identity_readers.add(sp_user)  # the volunteer is named on the patient
    letter = _pdf_text(http.get(url))
    assert f"{CLIENT.first_name} {CLIENT.last_name}" in letter
    assert PERSON.last_name in letter  # the reader makes it, for the volunteer themselves
    # The administrator who is no reader never gets the name, whoever the volunteer is.
    assert _leaks(_http(doors["admin"]).get(url)) == []
