"""Importing people and roles from a spreadsheet: preview, row report, all or nothing."""

import io
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from organisation import imports, services
from organisation.models import (
    ChangeKind,
    Membership,
    OrganisationChange,
    Role,
    UnitUserObjectPermission,
    User,
)

pytestmark = pytest.mark.django_db
HEADER = ["HSA-id", "Förnamn", "Efternamn", "E-post", "Kommunkod", "Enhetskod", "Roll", "Från"]


def xlsx(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("hsa-export.xlsx", buffer.getvalue())


def preview_of(region, rows):
    return imports.check(region, imports.read_rows(xlsx(rows)))


def upload(client, region, rows):
    return client.post(reverse("organisation:org_import", args=[region.pk]), {"file": xlsx(rows)})


def confirm(client, region):
    return client.post(reverse("organisation:org_import", args=[region.pk]), {"step": "confirm"})


def test_a_good_file_is_previewed_then_imported_with_its_permissions(client, ada, region, lpo, lag):
    client.force_login(ada)
    rows = [
        ["SE2321000016-0001", "Anna", "Andersson", "anna@x.se", "", "RN_LPO_HJ", "Ledamot", ""],
        [
            "SE2321000016-0001",
            "Anna",
            "Andersson",
            "anna@x.se",
            "",
            "RN_LAG_HS",
            "processledare",
            "",
        ],
        ["SE2321000016-0002", "Bo", "Berg", "bo@x.se", "", "", "", ""],
    ]
    response = upload(client, region, rows)
    html = response.content.decode()
    assert "3 rader: 2 nya personer och 2 uppdrag" in html
    assert "ledamot i LPO Hjärta" in html
    assert not User.objects.filter(hsa_id__startswith="SE2321000016-000").exists()

    response = confirm(client, region)
    assert response.status_code == 302
    anna = User.objects.get(hsa_id="SE2321000016-0001")
    assert not anna.has_usable_password()  # she signs in through the IdP
    assert {(m.unit.code, m.role) for m in anna.memberships.all()} == {
        ("RN_LPO_HJ", Role.MEMBER),
        ("RN_LAG_HS", Role.PROCESS_LEADER),
    }
    granted = set(
        UnitUserObjectPermission.objects.filter(user=anna).values_list(
            "content_object__code", "permission__codename"
        )
    )
    assert granted == {
        ("RN_LPO_HJ", "view_unit_cases"),
        ("RN_LAG_HS", "view_unit_cases"),
        ("RN_LAG_HS", "edit_analysis"),
    }
    assert Membership.history.filter(user_id=anna.pk, history_user=ada).count() == 2
    change = OrganisationChange.objects.get(kind=ChangeKind.IMPORTED)
    assert change.actor == ada and "3 rader: 2 nya personer, 2 uppdrag" in change.summary


def test_the_same_hsa_id_on_two_people_is_refused_with_the_row_named(ada, region, lpo):
    preview = preview_of(
        region,
        [
            ["SE2321000016-0001", "Anna", "Andersson", "anna@x.se", "", "", "", ""],
            ["SE2321000016-0002", "Bo", "Berg", "bo@x.se", "", "", "", ""],
            ["SE2321000016-0001", "Cecilia", "Ceder", "c@x.se", "", "", "", ""],
        ],
    )
    assert not preview.ok
    [bad] = preview.rejected
    assert bad.line == 4
    assert "står redan på rad 2 för en annan person (Anna Andersson)" in " ".join(bad.problems)


def test_a_person_already_registered_by_e_mail_without_hsa_id_is_not_doubled(ada, region, alice):
    preview = preview_of(region, [["SE2321000016-0009", "Alice", "O", alice.email, "", "", "", ""]])
    assert "en person kan inte läggas upp två gånger" in " ".join(preview.rejected[0].problems)


def test_one_bad_row_saves_nothing(client, ada, region, lpo, lag):
    client.force_login(ada)
    people_before = User.objects.count()
    rows = [
        ["SE2321000016-0001", "Anna", "Andersson", "anna@x.se", "", "RN_LPO_HJ", "ledamot", ""],
        ["SE2321000016-0002", "Bo", "Berg", "bo@x.se", "", "RN_LAG_HS", "kommunrepresentant", ""],
        ["fel-hsa", "Cilla", "C", "", "", "FINNS_INTE", "ledamot", "2026-13-01"],
    ]
    html = upload(client, region, rows).content.decode()
    assert "2 rader har fel" in html
    for words in (
        "Kommunerna deltar inte i LAG Hjärtsvikt",
        "HSA-id:t FEL-HSA har fel form",
        "Enhetskoden FINNS_INTE finns inte i Region Norr",
        "Från är inget datum",
    ):
        assert words in html, words
    assert "Genomför importen" not in html
    response = confirm(client, region)  # nothing was kept to confirm
    assert response.status_code == 302
    assert User.objects.count() == people_before
    assert not OrganisationChange.objects.exists()


def test_a_role_dated_outside_the_products_era_is_a_row_error(client, ada, region, lpo):
    client.force_login(ada)
    rows = [
        ["SE2321000016-0001", "Anna", "A", "anna@x.se", "", "RN_LPO_HJ", "ledamot", "0001-01-01"],
        ["SE2321000016-0002", "Bo", "B", "bo@x.se", "", "RN_LPO_HJ", "ledamot", "9999-12-31"],
    ]
    html = upload(client, region, rows).content.decode()
    assert "2 rader har fel" in html
    assert "Från: 0001-01-01 är för tidigt" in html and "Från: 9999-12-31 är för långt fram" in html
    assert "Genomför importen" not in html


def test_a_preview_confirmed_from_a_second_tab_is_told_it_is_done(client, ada, region, lpo):
    client.force_login(ada)
    rows = [["SE2321000016-0001", "Anna", "A", "anna@x.se", "", "RN_LPO_HJ", "ledamot", ""]]
    upload(client, region, rows)
    key = f"org-import-{region.pk}"
    preview = client.session[key]
    assert confirm(client, region).status_code == 302  # the first tab
    session = client.session
    session[key] = preview  # the second tab confirms the same preview
    session.save()
    page = client.get(confirm(client, region).url).content.decode()
    assert "Förhandsgranskningen är redan genomförd eller har gått ut" in page
    assert User.objects.filter(hsa_id="SE2321000016-0001").count() == 1


def test_the_rows_are_checked_again_when_the_import_is_confirmed(client, ada, region, lpo, olle):
    client.force_login(ada)
    rows = [["SE2321000016-0001", "Anna", "A", "anna@x.se", "", "RN_LPO_HJ", "ordförande", ""]]
    upload(client, region, rows)
    # Meanwhile someone became the LPO's chair in the pages.
    services.role_add(actor=ada, unit=lpo, person=olle, role=Role.CHAIR, start_date=date.today())
    response = confirm(client, region)
    assert response.status_code == 302
    assert not User.objects.filter(hsa_id="SE2321000016-0001").exists()


def test_a_file_without_the_columns_is_refused_whole(client, ada, region):
    client.force_login(ada)
    response = client.post(
        reverse("organisation:org_import", args=[region.pk]),
        {"file": xlsx([["x"]], header=["Namn"])},
    )
    assert "Kolumnerna HSA-id, Förnamn, Efternamn saknas" in response.content.decode()


def test_five_thousand_rows_are_imported_within_a_minute(client, ada, region, lpo, lag, capsys):
    client.force_login(ada)
    rows = []
    for n in range(2500):
        hsa_id = f"SE2321000016-{n:05d}"
        email = f"p{n}@region.example.se"
        rows.append([hsa_id, f"Förnamn{n}", "Efternamn", email, "", "RN_LPO_HJ", "ledamot", ""])
        rows.append([hsa_id, f"Förnamn{n}", "Efternamn", email, "", "RN_LAG_HS", "sakkunnig", ""])
    started = time.monotonic()
    response = upload(client, region, rows)
    previewed = time.monotonic()
    assert "5000 rader: 2500 nya personer och 5000 uppdrag" in response.content.decode()
    confirm(client, region)
    done = time.monotonic()
    with capsys.disabled():
        print(
            f"\n5,000-row import: preview {previewed - started:.1f} s, "
            f"import {done - previewed:.1f} s, total {done - started:.1f} s"
        )
    assert Membership.objects.filter(unit__in=[lpo, lag]).count() == 5000
    assert OrganisationChange.objects.filter(kind=ChangeKind.IMPORTED).count() == 1
    assert done - started < 60
