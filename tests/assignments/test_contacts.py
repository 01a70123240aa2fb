"""The volunteer's contacts and monthly reports (issue #16, item 4): recording, the rules on
dates and receipts, uploads, the report's states and the frozen month, access and the read
log, the review queue and its query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from assignments import contact_services as services
from assignments.contact_screens import contact_todo
from assignments.models import MonthlyReport, SupportContact
from audit.models import ReadLogEntry
from stodperson.concurrency import StaleVersion, version_of
from stodperson.errors import ServiceError
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
State = MonthlyReport.State


@pytest.fixture
def volunteer(db):
    return factories.UserFactory(username="volontar", first_name="Vera", last_name="Volontär")


@pytest.fixture
def other_volunteer(db):
    return factories.UserFactory(username="volontar2", first_name="Per", last_name="Annan")


@pytest.fixture
def assignment(volunteer, other_volunteer):
    programme = factories.patient_committee_programme()
    unit = factories.UnitFactory(name="Psykiatrin", programme=programme)
    client = factories.ClientFactory(unit=unit, first_name="Pia", last_name="Patient")
    person = factories.SupportPersonFactory(user=volunteer, programme=programme)
    started = timezone.localdate() - dt.timedelta(days=70)
    factories.SupportPersonFactory(user=other_volunteer, programme=programme)
    return factories.AssignmentFactory(client=client, support_person=person, started_on=started)


def _login(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _form(on: dt.date, **extra):
    data = {
        "on": on.isoformat(),
        "kind": "visit",
        "duration_minutes": "45",
        "place": "Avdelning 3",
        "kilometres": "12.5",
        "expenses": "0",
        "note": "",
    }
    data.update(extra)
    return data


def _new_url(assignment) -> str:
    return reverse("assignments:contact_new", kwargs={"pk": assignment.pk})


def _files() -> list[Path]:
    root = Path(settings.RECEIPTS_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Recording a contact --------------------------------------------------------------


def test_a_volunteer_records_a_visit_with_a_receipt(assignment, volunteer):
    today = timezone.localdate()
    receipt = SimpleUploadedFile("kvitto.pdf", PDF, content_type="application/pdf")
    response = _login(volunteer).post(
        _new_url(assignment), _form(today, expenses="84.50", upload=receipt)
    )
    assert response.status_code == 302
    contact = SupportContact.objects.get()
    assert contact.kilometres == Decimal("12.5")
    assert contact.expenses == Decimal("84.50")
    assert contact.receipt_type == "pdf"
    assert contact.report.month == today.replace(day=1)
    assert contact.report.state == State.DRAFT
    # Outside MEDIA_ROOT, under the receipts folder.
    assert _files() and not str(_files()[0]).startswith(str(settings.MEDIA_ROOT))
    assert contact.history.count() == 1


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "framtiden"),  # tomorrow
        (71, "kan inte vara tidigare"),  # the day before the assignment began
    ],
)
def test_a_contact_outside_the_assignment_or_in_the_future_is_refused(
    assignment, volunteer, days, message
):
    on = timezone.localdate() - dt.timedelta(days=days)
    response = _login(volunteer).post(_new_url(assignment), _form(on))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not SupportContact.objects.exists()
    assert not MonthlyReport.objects.exists()


def test_a_contact_after_the_assignment_ended_is_refused(assignment, volunteer):
    assignment.ended_on = timezone.localdate() - dt.timedelta(days=5)
    assignment.end_reason = "care_ended"
    assignment.save()
    on = timezone.localdate() - dt.timedelta(days=4)
    response = _login(volunteer).post(_new_url(assignment), _form(on))
    assert "avslutades" in response.content.decode()
    assert not SupportContact.objects.exists()
    # The day it ended is still a day of the assignment.
    ok = _login(volunteer).post(_new_url(assignment), _form(assignment.ended_on))
    assert ok.status_code == 302


def test_an_expense_without_a_receipt_is_refused_where_the_programme_asks_for_one(
    assignment, volunteer
):
    response = _login(volunteer).post(
        _new_url(assignment), _form(timezone.localdate(), expenses="50")
    )
    assert "Bifoga ett kvitto för utläggen." in response.content.decode()
    assert not SupportContact.objects.exists()
    programme = assignment.client.unit.programme
    programme.receipt_required = False
    programme.save()
    response = _login(volunteer).post(
        _new_url(assignment), _form(timezone.localdate(), expenses="50")
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kvitto.pdf", b"MZ\x90\x00 not a pdf at all", "JPEG eller PNG"),  # renamed .exe
        ("kvitto.pdf", b"", "tom"),
        ("kvitto.png", PNG + b"\0" * 600, "för stor"),
    ],
    ids=["wrong-type-renamed", "empty", "too-big"],
)
def test_a_bad_upload_leaves_no_row_and_no_file(
    assignment, volunteer, settings, name, content, message
):
    settings.RECEIPT_MAX_BYTES = 512
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _login(volunteer).post(
        _new_url(assignment), _form(timezone.localdate(), expenses="10", upload=upload)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupportContact.objects.exists()
    assert not MonthlyReport.objects.exists()
    assert _files() == []


def test_a_failure_after_the_file_was_written_leaves_no_row_and_no_file(
    assignment, volunteer, monkeypatch
):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SupportContact, "save", broken_save)
    upload = SimpleUploadedFile("k.png", PNG, content_type="image/png")
    with pytest.raises(RuntimeError):
        services.contact_save(
            assignment=assignment,
            contact=None,
            data=_clean(timezone.localdate(), expenses=Decimal("10")),
            receipt=upload,
            receipt_type="png",
            by=volunteer,
        )
    assert _files() == []
    assert not SupportContact.objects.exists()


def _clean(on: dt.date, **extra):
    data = {
        "on": on,
        "kind": "visit",
        "duration_minutes": 30,
        "place": "",
        "kilometres": Decimal("0"),
        "expenses": Decimal("0"),
        "note": "",
    }
    data.update(extra)
    return data


def test_the_form_reminds_not_to_write_health_details(assignment, volunteer):
    page = _login(volunteer).get(_new_url(assignment)).content.decode()
    assert 'data-testid="health-reminder"' in page
    assert "hälsa" in page


def test_a_replaced_receipt_is_removed_from_disk(
    assignment, volunteer, django_capture_on_commit_callbacks
):
    contact = services.contact_save(
        assignment=assignment,
        contact=None,
        data=_clean(timezone.localdate(), expenses=Decimal("5")),
        receipt=SimpleUploadedFile("a.png", PNG),
        receipt_type="png",
        by=volunteer,
    )
    first = contact.receipt.name
    edit = reverse("assignments:contact_edit", kwargs={"pk": contact.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = _login(volunteer).post(
            edit,
            _form(
                timezone.localdate(),
                expenses="5",
                upload=SimpleUploadedFile("b.pdf", PDF),
            ),
        )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.receipt_type == "pdf"
    names = [str(p.relative_to(settings.RECEIPTS_ROOT)) for p in _files()]
    assert names == [contact.receipt.name]
    assert first not in names


# --- The report's states and the frozen month ------------------------------------------


def _contact(assignment, on=None, **kwargs) -> SupportContact:
    return factories.SupportContactFactory(
        assignment=assignment, on=on or timezone.localdate(), **kwargs
    )


def test_submit_then_approve_freezes_the_month(assignment, volunteer, admin_user):
    contact = _contact(assignment)
    month = contact.report.month
    http = _login(volunteer)
    url = reverse(
        "assignments:report_submit",
        kwargs={"pk": assignment.pk, "year": month.year, "month": month.month},
    )
    confirm = http.get(url)
    assert confirm.status_code == 200
    version = version_of(contact.report)
    assert http.post(url, {"confirm": "1", "version": version}).status_code == 302
    report = MonthlyReport.objects.get()
    assert report.state == State.SUBMITTED and report.submitted_by == volunteer

    services.report_approve(report=report, version=version_of(report), by=admin_user)
    report.refresh_from_db()
    assert report.state == State.APPROVED

    # Frozen: no contact of the month can be added, changed or removed.
    before = list(SupportContact.objects.values_list("pk", "duration_minutes"))
    added = http.post(_new_url(assignment), _form(contact.on))
    assert "godkänd" in added.content.decode()
    edit = http.post(
        reverse("assignments:contact_edit", kwargs={"pk": contact.pk}),
        _form(contact.on, duration_minutes="5"),
    )
    assert edit.status_code == 302
    delete = http.post(
        reverse("assignments:contact_delete", kwargs={"pk": contact.pk}), {"confirm": "1"}
    )
    assert delete.status_code == 302
    assert list(SupportContact.objects.values_list("pk", "duration_minutes")) == before
    with pytest.raises(ServiceError):
        services.contact_delete(contact=contact, by=volunteer)
    with pytest.raises(ServiceError):
        services.contact_save(
            assignment=assignment,
            contact=contact,
            data=_clean(contact.on),
            receipt=None,
            receipt_type="",
            by=volunteer,
        )
    # Moving another month's contact into the frozen month is refused too.
    older = _contact(assignment, on=assignment.started_on)
    with pytest.raises(ServiceError):
        services.contact_save(
            assignment=assignment,
            contact=older,
            data=_clean(contact.on),
            receipt=None,
            receipt_type="",
            by=volunteer,
        )
    assert report.history.count() >= 3


def test_a_returned_report_is_corrected_and_submitted_again(assignment, volunteer, admin_user):
    contact = _contact(assignment)
    report = services.report_submit(
        assignment=assignment,
        month=contact.report.month,
        version=version_of(contact.report),
        by=volunteer,
    )
    review = reverse("assignments:report_review", kwargs={"pk": report.pk})
    office = _login(admin_user)
    # A return needs a comment.
    refused = office.post(review, {"decision": "return", "version": version_of(report)})
    assert "Skriv vad stödpersonen ska rätta." in refused.content.decode()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    returned = office.post(
        review, {"decision": "return", "comment": "Ange platsen.", "version": version_of(report)}
    )
    assert returned.status_code == 302
    report.refresh_from_db()
    assert report.state == State.RETURNED and report.return_comment == "Ange platsen."
    todo = contact_todo(volunteer, today=timezone.localdate())
    assert [item.report for item in todo.returned] == [report]
    # Corrected and submitted again.
    services.contact_save(
        assignment=assignment,
        contact=contact,
        data=_clean(contact.on, place="Avdelning 5"),
        receipt=None,
        receipt_type="",
        by=volunteer,
    )
    report.refresh_from_db()
    again = services.report_submit(
        assignment=assignment, month=report.month, version=version_of(report), by=volunteer
    )
    assert again.state == State.SUBMITTED


def test_a_decision_on_a_stale_page_is_refused(assignment, volunteer, admin_user):
    contact = _contact(assignment)
    report = services.report_submit(
        assignment=assignment,
        month=contact.report.month,
        version=version_of(contact.report),
        by=volunteer,
    )
    opened = version_of(report)
    services.report_return(report=report, version=opened, comment="Fel datum", by=admin_user)
    with pytest.raises(StaleVersion):
        services.report_approve(report=report, version=opened, by=admin_user)
    response = _login(admin_user).post(
        reverse("assignments:report_review", kwargs={"pk": report.pk}),
        {"decision": "approve", "version": opened},
    )
    assert "Någon annan" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.RETURNED


def test_a_submit_on_a_stale_page_is_refused(assignment, volunteer):
    contact = _contact(assignment)
    opened = version_of(contact.report)
    # Another contact recorded since the page was opened moves the report's version.
    services.contact_save(
        assignment=assignment,
        contact=None,
        data=_clean(contact.on),
        receipt=None,
        receipt_type="",
        by=volunteer,
    )
    with pytest.raises(StaleVersion):
        services.report_submit(
            assignment=assignment, month=contact.report.month, version=opened, by=volunteer
        )


def test_an_empty_month_can_be_submitted(assignment, volunteer):
    month = timezone.localdate().replace(day=1)
    report = services.report_submit(assignment=assignment, month=month, version="", by=volunteer)
    assert report.state == State.SUBMITTED
    assert report.contacts.count() == 0


def test_totals_per_report_sum_kilometres_and_expenses(assignment):
    on = timezone.localdate()
    _contact(assignment, on=on, kilometres=Decimal("10.5"), expenses=Decimal("20"))
    _contact(assignment, on=on, kilometres=Decimal("4"), expenses=Decimal("0"))
    report = MonthlyReport.objects.with_totals().get()
    assert (report.contact_count, report.total_km, report.total_expenses) == (
        2,
        Decimal("14.5"),
        Decimal("20"),
    )


# --- Access and the read log ------------------------------------------------------------


def test_another_volunteer_reaches_nothing_of_the_assignment(
    assignment, volunteer, other_volunteer
):
    contact = _contact(assignment)
    contact.receipt_type = "pdf"
    contact.receipt.save("r", SimpleUploadedFile("r.pdf", PDF))
    month = contact.report.month
    other = _login(other_volunteer)
    urls = [
        reverse(
            "assignments:contact_month",
            kwargs={"pk": assignment.pk, "year": month.year, "month": month.month},
        ),
        reverse(
            "assignments:report_submit",
            kwargs={"pk": assignment.pk, "year": month.year, "month": month.month},
        ),
        _new_url(assignment),
        reverse("assignments:contact_edit", kwargs={"pk": contact.pk}),
        reverse("assignments:contact_delete", kwargs={"pk": contact.pk}),
        reverse("assignments:receipt", kwargs={"pk": contact.pk}),
    ]
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert other.post(url, {"confirm": "1"}).status_code == 404, url
    assert SupportContact.objects.count() == 1
    assert _login(volunteer).get(urls[-1]).status_code == 200


def test_the_receipt_is_served_to_its_volunteer_and_the_office_with_the_read_log(
    assignment, volunteer, admin_user, manager_a
):
    contact = _contact(assignment)
    contact.receipt_type = "png"
    contact.receipt.save("r", SimpleUploadedFile("r.png", PNG))
    url = reverse("assignments:receipt", kwargs={"pk": contact.pk})
    for user in (volunteer, admin_user):
        response = _login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response.content == PNG
        assert ReadLogEntry.objects.filter(
            user=user, subject="client", subject_id=assignment.client_id
        ).exists()
    assert _login(manager_a).get(url).status_code == 403
    # No URL of the file itself: it lies outside the public media.
    assert not str(Path(settings.RECEIPTS_ROOT)).startswith(str(settings.MEDIA_ROOT))


def test_the_month_page_is_in_the_read_log(assignment, volunteer):
    contact = _contact(assignment)
    month = contact.report.month
    url = reverse(
        "assignments:contact_month",
        kwargs={"pk": assignment.pk, "year": month.year, "month": month.month},
    )
    page = _login(volunteer).get(url)
    assert page.status_code == 200
    assert ReadLogEntry.objects.filter(
        user=volunteer, subject="client", subject_id=assignment.client_id
    ).exists()


def test_a_month_outside_the_assignment_is_not_found(assignment, volunteer):
    before = assignment.started_on.replace(day=1) - dt.timedelta(days=1)
    url = reverse(
        "assignments:contact_month",
        kwargs={"pk": assignment.pk, "year": before.year, "month": before.month},
    )
    assert _login(volunteer).get(url).status_code == 404


# --- Query counts ---------------------------------------------------------------------


def _reports(n: int, volunteer_user) -> None:
    for _ in range(n):
        contact = factories.SupportContactFactory(
            assignment__client__unit__programme=factories.patient_committee_programme(),
            kilometres=Decimal("3"),
        )
        services.report_submit(
            assignment=contact.assignment,
            month=contact.report.month,
            version=version_of(contact.report),
            by=volunteer_user,
        )


@pytest.mark.parametrize("rows", [1, 6])
def test_the_review_queue_has_a_fixed_number_of_queries(
    admin_user, volunteer, django_assert_num_queries, rows
):
    _reports(rows, volunteer)
    http = _login(admin_user)
    http.get(reverse("assignments:report_queue"))  # warm the session
    # The same count whatever the number of reports.
    with django_assert_num_queries(8):
        page = http.get(reverse("assignments:report_queue"))
    assert page.content.decode().count("kr</td>") == rows


def test_the_queue_is_oldest_first_with_totals(admin_user, volunteer):
    _reports(2, volunteer)
    first, second = MonthlyReport.objects.order_by("submitted_at")
    MonthlyReport.objects.filter(pk=second.pk).update(
        submitted_at=first.submitted_at - dt.timedelta(hours=1)
    )
    assert [r.pk for r in MonthlyReport.objects.for_queue()] == [second.pk, first.pk]
    assert MonthlyReport.objects.for_queue()[0].total_km == Decimal("3")


@pytest.mark.parametrize("contacts", [1, 5])
def test_the_month_page_and_the_todo_have_a_fixed_number_of_queries(
    assignment, volunteer, django_assert_num_queries, contacts
):
    today = timezone.localdate()
    for _ in range(contacts):
        _contact(assignment, on=today)
    _contact(assignment, on=assignment.started_on)
    http = _login(volunteer)
    month_url = reverse(
        "assignments:contact_month",
        kwargs={"pk": assignment.pk, "year": today.year, "month": today.month},
    )
    http.get(month_url)
    # The same count whatever the number of contacts.
    with django_assert_num_queries(10):
        assert http.get(month_url).status_code == 200
    with django_assert_num_queries(2):
        todo = contact_todo(volunteer, today=today)
    assert todo.this_month[0].contact_count == contacts


def test_the_todo_names_last_month_to_submit_with_its_due_day(assignment, volunteer):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    _contact(assignment, on=max(last_month, assignment.started_on))
    todo = contact_todo(volunteer, today=today)
    (item,) = todo.to_submit
    assert item.month == last_month and item.contact_count == 1
    assert item.due_on is not None and item.late == (today > item.due_on)
    assert [i.month for i in todo.this_month] == [this_month]
    # Once handed in it leaves the to-do.
    services.report_submit(
        assignment=assignment,
        month=last_month,
        version=version_of(MonthlyReport.objects.get(month=last_month)),
        by=volunteer,
    )
    assert contact_todo(volunteer, today=today).to_submit == []
    page = _login(volunteer).get(reverse("assignments:contacts")).content.decode()
    assert 'data-testid="contact-todo"' in page
    assert "Pia Patient" in page
