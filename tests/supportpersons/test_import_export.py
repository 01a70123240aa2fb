"""Import of support persons and clients from CSV and Excel (all rows or none, errors named
by row), and export of the lists a user may see (no protected identity, masked numbers)."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client, ProtectedIdentity
from supportpersons import importing
from supportpersons.models import SupportPerson
from tests import factories

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = "förnamn;efternamn;kön;ort;födelseår;språk;kapacitet;status;rekryterad\n"


def url(name, *args):
    return reverse(f"supportpersons:{name}", args=args)


@pytest.fixture
def pool_setup(db):
    factories.LocalityFactory(name="Umeå")
    factories.LocalityFactory(name="Skellefteå")
    factories.LanguageFactory(name="Svenska")
    factories.LanguageFactory(name="Finska")
    return factories.patient_committee_programme()


def upload(http, content, name="stodpersoner.csv", kind="support_persons", programme=None):
    data = content.encode("utf-8") if isinstance(content, str) else content
    form = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if programme is not None:
        form["programme"] = programme.pk
    return http.post(url("import"), form)


def test_a_valid_file_is_previewed_then_saved_on_confirmation(as_admin, pool_setup):
    content = (
        PEOPLE_HEADER
        + "Karin;Kvist;kvinna;Umeå;1975;Svenska, Finska;2;aktiv;2020-03-01\n"
        + "Mats;Man;man;skellefteå;;;;;\n"
    )
    preview = upload(as_admin, content, programme=pool_setup)
    assert preview.status_code == 200
    assert preview.context["checked"].ok
    assert not SupportPerson.objects.exists()  # nothing before the confirmation
    token = preview.context["token"]
    done = as_admin.post(url("import_confirm"), {"token": token})
    assert done.status_code == 302
    karin = SupportPerson.objects.get(last_name="Kvist")
    assert karin.status == SupportPerson.Status.ACTIVE
    assert karin.recruited_on.isoformat() == "2020-03-01"
    assert sorted(lang.name for lang in karin.languages.all()) == ["Finska", "Svenska"]
    assert karin.status_changes.get().on.isoformat() == "2020-03-01"
    mats = SupportPerson.objects.get(last_name="Man")
    assert mats.status == SupportPerson.Status.APPLICANT and mats.capacity == 3
    again = as_admin.post(url("import_confirm"), {"token": token})
    assert again.status_code == 302
    assert SupportPerson.objects.count() == 2  # a second confirmation saves nothing


def test_a_file_with_one_bad_row_saves_nothing_and_names_the_row(as_admin, pool_setup):
    content = (
        PEOPLE_HEADER
        + "Karin;Kvist;kvinna;Umeå;1975;;;;\n"
        + "Mats;Man;man;Kiruna;19x5;Klingon;;aktiv;2999-01-01\n"
        + "Karin;Kvist;kvinna;Umeå;1975;;;;\n"
    )
    response = upload(as_admin, content, programme=pool_setup)
    page = response.content.decode()
    assert "Rad 3: Okänd ort ”Kiruna”." in page
    assert "Rad 3: Okänt språk ”Klingon”." in page
    assert "Rad 3: födelseår ska vara ett heltal" in page
    assert "Rad 3: Datumet 2999-01-01 ligger i framtiden." in page
    assert "Rad 4: Samma person som på rad 2." in page
    assert "Rad 2" not in page
    assert response.context["token"] == ""
    assert as_admin.post(url("import_confirm"), {"token": ""}).status_code == 302
    assert not SupportPerson.objects.exists()


def test_a_person_already_in_the_register_is_a_duplicate(as_admin, pool_setup):
    factories.SupportPersonFactory(
        programme=pool_setup, first_name="Karin", last_name="Kvist", birth_year=1975
    )
    response = upload(
        as_admin, PEOPLE_HEADER + "Karin;Kvist;kvinna;Umeå;1975;;;;\n", programme=pool_setup
    )
    assert "Rad 2: Finns redan i registret." in response.content.decode()


def test_clients_import_checks_personnummer_unit_and_duplicates(as_admin, world):
    factories.ClientFactory(unit=world.unit_a, personnummer="19900101-0017")
    content = (
        "förnamn,efternamn,enhet,personnummer,lagrum,startdatum\n"
        "Nils,Ny,Enhet A,199001010017,,\n"
        "Olle,Fel,Enhet A,19900101-0018,,\n"
        "Per,Okänd,Enhet X,,LPT,2026-02-30\n"
        "Lisa,Rätt,enhet b,201001022001,LPT,2020-01-01\n"
    )
    response = upload(as_admin, content, name="klienter.csv", kind="clients")
    page = response.content.decode()
    assert "Rad 2: Finns redan i registret." in page
    assert "Rad 3: ”19900101-0018” är inte ett giltigt" in page
    assert "Rad 4: Okänd enhet ”Enhet X”." in page
    assert "Rad 4: ”2026-02-30” är inte ett datum" in page
    assert "Rad 5" not in page
    assert Client.objects.count() == 4


def test_a_valid_client_file_is_saved_with_normalised_numbers(as_admin, world):
    content = "förnamn,efternamn,enhet,personnummer,lagrum\nLisa,Rätt,Enhet B,201001022001,LPT\n"
    preview = upload(as_admin, content, name="klienter.csv", kind="clients")
    assert "20100102-****" in preview.content.decode()
    as_admin.post(url("import_confirm"), {"token": preview.context["token"]})
    lisa = Client.objects.get(last_name="Rätt")
    assert lisa.personnummer == "20100102-2001"
    assert lisa.unit == world.unit_b and lisa.legal_basis == "lpt"


def test_the_register_changing_between_preview_and_confirmation_saves_nothing(as_admin, pool_setup):
    preview = upload(
        as_admin, PEOPLE_HEADER + "Karin;Kvist;kvinna;Umeå;1975;;;;\n", programme=pool_setup
    )
    factories.SupportPersonFactory(
        programme=pool_setup, first_name="Karin", last_name="Kvist", birth_year=1975
    )
    response = as_admin.post(url("import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 200
    assert "Registret har ändrats" in response.content.decode()
    assert SupportPerson.objects.count() == 1


def test_an_excel_file_is_read_with_its_dates_and_numbers(as_admin, pool_setup):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Förnamn", "Efternamn", "Kön", "Ort", "Födelseår", "Status", "Rekryterad"])
    import datetime as dt

    sheet.append(["Eva", "Excel", "kvinna", "Umeå", 1980, "aktiv", dt.datetime(2021, 5, 3)])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(as_admin, buffer.getvalue(), name="pool.xlsx", programme=pool_setup)
    assert preview.context["checked"].ok, preview.context["checked"].errors
    as_admin.post(url("import_confirm"), {"token": preview.context["token"]})
    eva = SupportPerson.objects.get()
    assert eva.birth_year == 1980 and eva.recruited_on.isoformat() == "2021-05-03"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.csv", b"", "är tom"),
        ("latin1.csv", "förnamn;efternamn\nÅsa;Ö\n".encode("latin-1"), "inte i UTF-8"),
        ("bild.png", b"\x89PNG\r\n", "Ladda upp en CSV-fil"),
        ("fel.xlsx", b"not a zip at all", "inte en Excel-arbetsbok"),
        ("nul.csv", b"f\x00rnamn;x\n", "inte en CSV-fil"),
        ("bara-rubriker.csv", PEOPLE_HEADER.encode(), "inga rader under rubrikerna"),
        (
            "saknas.csv",
            "förnamn;ort\nA;Umeå\n".encode(),
            "Obligatoriska kolumner saknas: efternamn, kön",
        ),
    ],
)
def test_a_bad_file_is_refused_in_swedish_without_an_error_page(
    as_admin, pool_setup, name, content, message
):
    response = upload(as_admin, content, name=name, programme=pool_setup)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupportPerson.objects.exists()


def test_a_file_with_too_many_rows_is_refused(as_admin, pool_setup, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = "".join(f"A{i};B;kvinna;Umeå;;;;;\n" for i in range(4))
    response = upload(as_admin, PEOPLE_HEADER + rows, programme=pool_setup)
    assert "fler än 3 rader" in response.content.decode()


def test_support_persons_need_a_programme(as_admin, pool_setup):
    response = upload(as_admin, PEOPLE_HEADER + "A;B;kvinna;Umeå;;;;;\n")
    assert response.status_code == 200
    assert response.context["form"].errors["programme"]


@pytest.mark.parametrize(("persona", "status"), [("as_manager_a", 403), ("as_support_person", 403)])
def test_only_administrators_import(request, world, persona, status):
    http = request.getfixturevalue(persona)
    assert upload(http, "förnamn\n", kind="clients").status_code == status
    assert http.post(url("import_confirm"), {"token": "x"}).status_code == status


def test_the_template_files_have_the_documented_headers(as_admin):
    response = as_admin.get(url("import_template", "support_persons", "csv"))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == importing.template_rows("support_persons")
    xlsx = as_admin.get(url("import_template", "clients", "xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert as_admin.get(url("import_template", "nonsense", "csv")).status_code == 404
    assert as_admin.get(url("import_template", "clients", "pdf")).status_code == 404


# --- Export -------------------------------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_client_export_masks_numbers_and_leaves_out_protected_identities(as_admin, world):
    world.client_a.personnummer = "19900101-0017"
    world.client_a.save()
    world.client_a2.protected_identity = ProtectedIdentity.FICTITIOUS_IDENTITY
    world.client_a2.save()
    rows = _csv(as_admin.get(url("export_clients", "csv")))
    text = str(rows)
    assert rows[0][:3] == ["förnamn", "efternamn", "personnummer"]
    assert "19900101-****" in text and "0017" not in text
    assert "Lena" not in text and "Ek" not in text
    assert len(rows) == 3  # header, Åke, Bo
    page = as_admin.get(url("export")).content.decode()
    assert "1 med skyddad identitet utelämnad" in page


def test_a_manager_exports_only_their_own_clients_and_pool(as_manager_a, world):
    rows = _csv(as_manager_a.get(url("export_clients", "csv")))
    assert sorted(r[1] for r in rows[1:]) == ["Ek", "Öberg"]
    other = factories.SupportPersonFactory(programme=factories.patient_committee_programme())
    people = _csv(as_manager_a.get(url("export_people", "csv")))
    assert other.last_name not in str(people)


def test_the_support_person_export_follows_the_filters_and_is_excel_too(as_admin, world):
    factories.SupportPersonFactory(unit=world.unit_a, gender="man", last_name="=HYPERLINK(1)")
    rows = _csv(as_admin.get(url("export_people", "csv"), {"gender": "man"}))
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(1)"]
    xlsx = as_admin.get(url("export_people", "xlsx"))
    data = tablib.Dataset().load(xlsx.content, format="xlsx")
    assert len(data) == 3


def test_the_export_is_refused_to_support_persons_and_unknown_formats(as_support_person, as_admin):
    assert as_support_person.get(url("export_clients", "csv")).status_code == 403
    assert as_admin.get(url("export_clients", "pdf")).status_code == 404
