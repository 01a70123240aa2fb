"""The register extract (GDPR art. 15): everything held about one person, JSON and PDF."""

import json
import subprocess

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry
from tests import factories


def extract_url(kind, pk, fmt):
    return reverse("reports:extract", args=[kind, pk, fmt])


@pytest.mark.django_db
def test_a_clients_extract_holds_their_record_and_is_logged(as_admin, world):
    client = world.client_a
    client.personnummer = "19900101-0017"
    client.save()
    factories.ConsentFactory(client=client, purpose="Kontakt med vården")
    factories.DeviationFactory(client=client, description="Utebliven insats")
    response = as_admin.get(extract_url("klient", client.pk, "json"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["name"] == "Åke Öberg"
    text = json.dumps(data, ensure_ascii=False)
    for expected in ("19900101-0017", "Kontakt med vården", "Utebliven insats"):
        assert expected in text
    titles = [section["title"] for section in data["sections"]]
    assert "Samtycken" in titles and "Vem har läst uppgifterna" in titles
    entry = ReadLogEntry.objects.get(action="extract")
    assert (entry.action, entry.subject_id) == ("extract", client.pk)


@pytest.mark.django_db
def test_a_support_persons_extract_names_no_client(as_admin, world):
    response = as_admin.get(extract_url("stodperson", world.sp_with_client.pk, "json"))
    text = response.content.decode()
    assert world.sp_with_client.last_name in text
    assert "Öberg" not in text  # the client is someone else's personal data


@pytest.mark.django_db
def test_the_pdf_carries_the_same_content(as_admin, world, tmp_path):
    response = as_admin.get(extract_url("klient", world.client_a.pk, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "extract.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Registerutdrag" in text and "Åke Öberg" in text


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["as_manager_a", "as_support_person"])
def test_only_administrators_make_extracts(request, world, persona):
    http = request.getfixturevalue(persona)
    assert http.get(extract_url("klient", world.client_a.pk, "json")).status_code == 403
    assert not ReadLogEntry.objects.filter(action="extract").exists()


@pytest.mark.django_db
def test_an_unknown_kind_or_format_is_not_found(as_admin, world):
    assert as_admin.get(extract_url("annat", world.client_a.pk, "json")).status_code == 404
    assert as_admin.get(extract_url("klient", world.client_a.pk, "xml")).status_code == 404
    assert as_admin.get(extract_url("klient", 987654, "json")).status_code == 404
