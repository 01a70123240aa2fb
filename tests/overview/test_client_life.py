"""A client's life in the register (issue 15, item 3): the unit manager edits the client's
facts, moves the client to another unit, ends the client. Bad input is refused in Swedish at
the field and in the summary, a second editor loses nothing silently, each change is in the
history, and the pages are the unit's manager's and the administrators' alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, SupportRequest
from audit.models import ReadLogEntry
from clients.models import Client, Gender, ProtectedIdentity
from flags.models import Flag
from stodperson.concurrency import version_of
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name: str, client: Client) -> str:
    return reverse(f"overview:client_{name}", args=[client.pk])


def fresh(client: Client) -> Client:
    return Client.objects.get(pk=client.pk)


def facts(client: Client, **changes) -> dict:
    """The edit form as the page fills it in, with `changes`."""
    client = fresh(client)
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "personnummer": client.personnummer,
        "protected_identity": client.protected_identity,
        "wished_gender": client.wished_gender,
        "wished_language": client.wished_language_id or "",
        "started_on": client.started_on.isoformat(),
        "version": version_of(client),
    }
    data.update(changes)
    return data


def summary(response) -> str:
    """The text of the error summary at the top of the page."""
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    start = page.index('data-testid="error-summary"')
    return page[start : page.index("</div>", start)]


# --- Edit ---------------------------------------------------------------------------------


def test_the_manager_edits_the_clients_facts_and_the_change_is_in_the_history(
    as_manager_a, world, manager_a
):
    client = world.client_a
    response = as_manager_a.post(
        url("edit", client),
        facts(client, first_name="Åsa", personnummer="194703157398", wished_gender="man"),
    )
    assert response.status_code == 302
    client = fresh(client)
    assert (client.first_name, client.wished_gender) == ("Åsa", Gender.MAN)
    assert client.personnummer == "19470315-7398"  # normalised, as the admin stores it
    latest = client.history.latest("history_date")
    assert latest.history_type == "~" and latest.history_user == manager_a
    assert latest.prev_record.first_name == "Åke"


def test_the_edit_page_is_in_the_read_log(as_manager_a, world, manager_a):
    page = url("edit", world.client_a)
    assert as_manager_a.get(page).status_code == 200
    assert ReadLogEntry.objects.filter(
        user=manager_a, subject="client", subject_id=world.client_a.pk, page=page
    ).exists()


def test_bad_input_is_refused_in_swedish_at_the_field_and_in_the_summary(as_manager_a, world):
    client = world.client_a
    before = fresh(client)
    response = as_manager_a.post(
        url("edit", client),
        facts(
            client,
            first_name="",
            personnummer="19470315-7399",
            started_on=(TODAY() + dt.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_name"] == ["Detta fält måste fyllas i."]
    assert "är inte ett giltigt personnummer eller samordningsnummer" in errors["personnummer"][0]
    assert errors["started_on"] == ["Datumet kan inte vara i framtiden."]
    text = summary(response)
    assert "Datumet kan inte vara i framtiden." in text and 'href="#id_started_on"' in text
    assert fresh(client).first_name == before.first_name


def test_a_client_cannot_begin_after_their_first_support_person_was_appointed(as_manager_a, world):
    client = world.client_a
    started = world.assignment_a.started_on
    response = as_manager_a.post(
        url("edit", client), facts(client, started_on=(started + dt.timedelta(days=1)).isoformat())
    )
    assert response.status_code == 200
    assert (
        "efter att den första stödpersonen utsågs"
        in response.context["form"].errors["started_on"][0]
    )


def test_compulsory_care_cannot_end_before_the_patient_became_a_client(as_admin, world):
    unit = factories.UnitFactory(programme=factories.patient_committee_programme())
    patient = factories.ClientFactory(unit=unit, started_on=TODAY() - dt.timedelta(days=30))
    before_start = (TODAY() - dt.timedelta(days=31)).isoformat()
    response = as_admin.post(
        url("edit", patient),
        facts(patient, legal_basis="lpt", compulsory_care_ended_on=before_start),
    )
    assert response.status_code == 200
    assert (
        "innan klienten började" in response.context["form"].errors["compulsory_care_ended_on"][0]
    )


def test_the_legal_basis_is_asked_only_at_the_patient_committee(as_admin, world):
    lss_form = as_admin.get(url("edit", world.client_a)).context["form"]
    assert "legal_basis" not in lss_form.fields
    unit = factories.UnitFactory(programme=factories.patient_committee_programme())
    patient = factories.ClientFactory(unit=unit)
    assert "legal_basis" in as_admin.get(url("edit", patient)).context["form"].fields


def test_a_second_editor_is_told_and_nothing_is_saved(as_manager_a, as_admin, world):
    client = world.client_a
    opened = facts(client)  # manager A opens the form ...
    assert as_admin.post(url("edit", client), facts(client, first_name="Ove")).status_code == 302
    response = as_manager_a.post(  # ... and saves after the administrator did
        url("edit", client), {**opened, "wished_gender": "woman"}
    )
    assert response.status_code == 200
    client = fresh(client)
    assert (client.first_name, client.wished_gender) == ("Ove", "")  # the second is not saved
    text = summary(response)
    assert "Någon annan har ändrat klienten efter att du öppnade formuläret" in text
    assert "Förnamn" in text and "Önskat kön på stödperson" in text
    # The form keeps what manager A wrote, against the version saved now: a second save is a
    # decision taken knowingly.
    form = response.context["form"]
    assert form["wished_gender"].value() == "woman"
    assert form["version"].value() == version_of(client)
    again = as_manager_a.post(url("edit", client), {**opened, "version": version_of(client)})
    assert again.status_code == 302


def test_an_old_form_without_a_version_saves_nothing(as_manager_a, world):
    data = facts(world.client_a, first_name="Ove")
    del data["version"]
    response = as_manager_a.post(url("edit", world.client_a), data)
    assert response.status_code == 200
    assert "Formuläret är inaktuellt" in summary(response)
    assert fresh(world.client_a).first_name == "Åke"


@pytest.fixture
def protected(world):
    client = world.client_a
    client.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    client.personnummer = "19470315-7398"
    client.save()
    return client


def test_a_non_reader_edits_a_protected_client_without_its_identity(as_manager_a, protected):
    page = as_manager_a.get(url("edit", protected))
    form = page.context["form"]
    assert not {"first_name", "last_name", "personnummer", "protected_identity"} & set(form.fields)
    body = page.content.decode()
    assert "Öberg" not in body and "19470315" not in body
    assert 'data-testid="identity-hidden"' in body
    data = {
        "first_name": "Avslöjad",
        "protected_identity": "none",
        "wished_gender": "woman",
        "started_on": protected.started_on.isoformat(),
        "version": version_of(fresh(protected)),
    }
    assert as_manager_a.post(url("edit", protected), data).status_code == 302
    client = fresh(protected)
    assert client.wished_gender == Gender.WOMAN
    assert (client.first_name, client.protected_identity) == (
        "Åke",
        ProtectedIdentity.PROTECTED_REGISTRATION,
    )


def test_a_named_reader_edits_the_protected_identity(as_manager_a, manager_a, protected):
    protected.identity_readers.add(manager_a)
    form = as_manager_a.get(url("edit", protected)).context["form"]
    assert {"first_name", "personnummer", "protected_identity"} <= set(form.fields)
    response = as_manager_a.post(url("edit", protected), facts(protected, last_name="Öst"))
    assert response.status_code == 302
    assert fresh(protected).last_name == "Öst"


def test_whoever_marks_an_identity_protected_is_named_to_see_it(as_manager_a, manager_a, world):
    client = world.client_a
    data = facts(client, protected_identity=ProtectedIdentity.CONFIDENTIALITY_MARK)
    assert as_manager_a.post(url("edit", client), data).status_code == 302
    assert list(fresh(client).identity_readers.all()) == [manager_a]
    page = as_manager_a.get(reverse("overview:client", args=[client.pk])).content.decode()
    assert "Åke Öberg" in page


# --- Move ---------------------------------------------------------------------------------


@pytest.fixture
def unit_a2(world, manager_a):
    """A second unit manager A leads, in another locality."""
    return factories.UnitFactory(name="Enhet A2", managers=[manager_a])


def move(client: Client, unit, **changes) -> dict:
    return {
        "unit": unit.pk,
        "moved_on": TODAY().isoformat(),
        "version": version_of(fresh(client)),
        **changes,
    }


def test_the_support_person_follows_the_client_to_the_new_unit(as_manager_a, world, unit_a2):
    client = world.client_a
    response = as_manager_a.post(url("move", client), move(client, unit_a2, assignment="follow"))
    assert response.status_code == 302
    assert fresh(client).unit == unit_a2
    assert world.assignment_a.__class__.objects.get(pk=world.assignment_a.pk).ended_on is None
    latest = fresh(client).history.latest("history_date")
    assert latest.history_change_reason == f"Flyttad {TODAY():%Y-%m-%d}"
    assert latest.prev_record.unit_id == world.unit_a.pk


def test_the_assignment_ends_on_the_day_of_the_move_when_chosen(as_manager_a, world, unit_a2):
    client = world.client_a
    Assignment.objects.filter(pk=world.assignment_a.pk).update(
        started_on=TODAY() - dt.timedelta(days=30)
    )
    moved_on = TODAY() - dt.timedelta(days=2)
    data = move(client, unit_a2, assignment="end", moved_on=moved_on.isoformat())
    assert as_manager_a.post(url("move", client), data).status_code == 302
    assignment = Assignment.objects.get(pk=world.assignment_a.pk)
    assert assignment.ended_on == moved_on
    assert assignment.end_reason == Assignment.EndReason.CLIENT_MOVED


def test_what_happens_to_the_assignment_is_an_explicit_choice(as_manager_a, world, unit_a2):
    response = as_manager_a.post(url("move", world.client_a), move(world.client_a, unit_a2))
    assert response.status_code == 200
    assert response.context["form"].errors["assignment"] == ["Detta fält måste fyllas i."]
    assert fresh(world.client_a).unit == world.unit_a
    # A client without a support person is not asked.
    assert "assignment" not in as_manager_a.get(url("move", world.client_a2)).context["form"].fields


def test_a_move_is_refused_to_a_unit_out_of_reach_in_the_future_or_before_the_assignment(
    as_manager_a, world, unit_a2
):
    client = world.client_a
    other_programme = factories.UnitFactory(
        programme=factories.patient_committee_programme(), managers=[world.unit_a.managers.get()]
    )
    for unit in (world.unit_b, other_programme):
        response = as_manager_a.post(url("move", client), move(client, unit, assignment="follow"))
        assert response.status_code == 200
        assert "Välj ett giltigt alternativ" in response.context["form"].errors["unit"][0]
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = as_manager_a.post(
        url("move", client), move(client, unit_a2, assignment="follow", moved_on=tomorrow)
    )
    assert response.context["form"].errors["moved_on"] == ["Datumet kan inte vara i framtiden."]
    Assignment.objects.filter(pk=world.assignment_a.pk).update(
        started_on=TODAY() - dt.timedelta(days=30)
    )
    before = (TODAY() - dt.timedelta(days=31)).isoformat()
    response = as_manager_a.post(
        url("move", client), move(client, unit_a2, assignment="end", moved_on=before)
    )
    assert "innan stödpersonen utsågs" in response.context["form"].errors["moved_on"][0]
    assert fresh(client).unit == world.unit_a


def test_a_manager_who_leads_no_other_unit_is_sent_to_an_administrator(as_manager_a, world):
    page = as_manager_a.get(url("move", world.client_a)).content.decode()
    assert 'data-testid="no-targets"' in page
    assert 'name="unit"' not in page


def test_an_administrator_moves_a_client_to_any_unit_of_the_programme(as_admin, world):
    client = world.client_a
    response = as_admin.post(url("move", client), move(client, world.unit_b, assignment="follow"))
    assert response.status_code == 302
    assert fresh(client).unit == world.unit_b


def test_a_move_after_someone_else_changed_the_client_saves_nothing(as_manager_a, world, unit_a2):
    client = world.client_a
    data = move(client, unit_a2, assignment="end")
    fresh(client).save()  # someone saves the client in between
    response = as_manager_a.post(url("move", client), data)
    assert response.status_code == 200
    assert "Någon annan har ändrat detta efter att du öppnade sidan" in summary(response)
    assert fresh(client).unit == world.unit_a
    assert Assignment.objects.get(pk=world.assignment_a.pk).ended_on is None


def test_an_ended_client_cannot_be_moved(as_manager_a, world, unit_a2):
    Client.objects.filter(pk=world.client_a2.pk).update(ended_on=TODAY(), end_reason="Avflyttad")
    page = as_manager_a.get(url("move", world.client_a2)).content.decode()
    assert 'data-testid="not-movable"' in page
    data = move(world.client_a2, unit_a2)
    assert as_manager_a.post(url("move", world.client_a2), data).status_code == 200
    assert fresh(world.client_a2).unit == world.unit_a


# --- End ----------------------------------------------------------------------------------


def end(client: Client, **changes) -> dict:
    return {
        "ended_on": TODAY().isoformat(),
        "reason": "Insatsen har upphört",
        "version": version_of(fresh(client)),
        "confirm": "1",
        **changes,
    }


def test_the_confirmation_page_says_what_will_happen(as_manager_a, world):
    client = world.client_a
    factories.FlagFactory(client=client)
    factories.FlagFactory(client=client, kind=Flag.Kind.DEVIATION_OPEN, target_id=4711)
    page = as_manager_a.get(url("end", client)).content.decode()
    what = page[page.index('data-testid="what-happens"') :]
    assert f"{world.sp_with_client.full_name} entledigas som klientens stödperson" in what
    assert "Kontrollerna upphör" in what and "Dess öppna flagga markeras som åtgärdad nu" in what
    assert "utredas" in what  # the open deviation's flag stays
    assert 'name="confirm"' in page
    # A post without the confirmation ends nothing.
    unconfirmed = {k: v for k, v in end(client).items() if k != "confirm"}
    assert as_manager_a.post(url("end", client), unconfirmed).status_code == 200
    assert fresh(client).ended_on is None


def test_ending_a_client_releases_the_assignment_withdraws_the_request_and_closes_flags(
    as_manager_a, world, manager_a
):
    client = world.client_a
    request = factories.RequestFactory(client=client, received_at=timezone.now())
    flag = factories.FlagFactory(client=client, kind=Flag.Kind.NO_SUPPORT_PERSON)
    deviation_flag = factories.FlagFactory(
        client=client, kind=Flag.Kind.DEVIATION_OPEN, target_id=4711
    )
    response = as_manager_a.post(url("end", client), end(client))
    assert response.status_code == 302
    client = fresh(client)
    assert (client.ended_on, client.end_reason) == (TODAY(), "Insatsen har upphört")
    assignment = Assignment.objects.get(pk=world.assignment_a.pk)
    assert assignment.ended_on == TODAY()
    assert assignment.end_reason == Assignment.EndReason.CARE_ENDED
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.withdrawn_at is not None
    assert "Insatsen har upphört" in request.withdrawal_reason
    assert Flag.objects.get(pk=flag.pk).resolved_at is not None
    assert Flag.objects.get(pk=deviation_flag.pk).resolved_at is None
    latest = client.history.latest("history_date")
    assert latest.history_user == manager_a
    assert latest.history_change_reason == "Insatsen har upphört"
    page = as_manager_a.get(reverse("overview:client", args=[client.pk])).content.decode()
    assert 'data-testid="client-ended"' in page
    assert url("move", client) not in page and url("end", client) not in page


def test_an_end_with_bad_input_ends_nothing(as_manager_a, world):
    client = world.client_a
    Assignment.objects.filter(pk=world.assignment_a.pk).update(
        started_on=TODAY() - dt.timedelta(days=10)
    )
    cases = {
        "ended_on": (TODAY() + dt.timedelta(days=1), "Datumet kan inte vara i framtiden."),
        "reason": ("", "Detta fält måste fyllas i."),
    }
    for field, (value, message) in cases.items():
        response = as_manager_a.post(url("end", client), end(client, **{field: value}))
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert message in summary(response)
    before_assignment = (TODAY() - dt.timedelta(days=11)).isoformat()
    response = as_manager_a.post(url("end", client), end(client, ended_on=before_assignment))
    assert "kan inte vara före" in response.context["form"].errors["ended_on"][0]
    assert fresh(client).ended_on is None
    assert Assignment.objects.get(pk=world.assignment_a.pk).ended_on is None


def test_an_end_after_someone_else_changed_the_client_saves_nothing(as_manager_a, world):
    client = world.client_a
    data = end(client)
    fresh(client).save()
    response = as_manager_a.post(url("end", client), data)
    assert response.status_code == 200
    assert "Ingenting har sparats" in summary(response)
    assert fresh(client).ended_on is None
    assert Assignment.objects.get(pk=world.assignment_a.pk).ended_on is None


def test_a_client_is_ended_once(as_manager_a, world):
    client = world.client_a
    data = end(client)
    assert as_manager_a.post(url("end", client), data).status_code == 302
    page = as_manager_a.get(url("end", client)).content.decode()
    assert 'data-testid="already-ended"' in page and 'name="confirm"' not in page
    assert as_manager_a.post(url("end", client), end(client)).status_code == 200


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["edit", "move", "end"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_admin", 200), ("as_manager_a", 200), ("as_manager_b", 404), ("as_support_person", 403)],
)
def test_only_the_units_manager_and_administrators_may(request, world, name, persona, status):
    http = request.getfixturevalue(persona)
    assert http.get(url(name, world.client_a)).status_code == status


@pytest.mark.parametrize("name", ["edit", "move", "end"])
def test_a_support_person_posts_nothing(as_support_person, world, name):
    client = world.client_a
    data = {**facts(client, first_name="Ove"), **end(client)}
    assert as_support_person.post(url(name, client), data).status_code == 403
    assert fresh(client).first_name == "Åke" and fresh(client).ended_on is None


def test_the_client_page_offers_the_actions_to_the_manager_only(
    as_manager_a, as_support_person, world
):
    page = reverse("overview:client", args=[world.client_a.pk])
    assert 'data-testid="client-actions"' in as_manager_a.get(page).content.decode()
    assert 'data-testid="client-actions"' not in as_support_person.get(page).content.decode()
