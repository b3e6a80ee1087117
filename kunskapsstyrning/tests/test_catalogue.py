import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kunskapsstyrning.imports import RecommendationImportError, import_recommendations
from kunskapsstyrning.models import KnowledgeSupport, Recommendation
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory

pytestmark = pytest.mark.django_db


def csv_upload(text, name="rek.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_upload(rows, name="rek.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def empty_support():
    return KnowledgeSupportFactory(title="KOL")


def test_recommendations_import_from_csv_with_swedish_care_levels(empty_support):
    report = import_recommendations(
        support=empty_support,
        upload=csv_upload(
            "nummer;rekommendation;vårdnivå\n"
            "1;Spirometri vid misstanke om KOL;Primärvård\n"
            "2;Lungrehabilitering erbjuds;specialiserad vård\n"
            "3;Rökavvänjning;\n"
        ),
    )
    assert report.imported == 3 and not report.rejected
    levels = list(empty_support.recommendations.values_list("care_level", flat=True))
    assert levels == ["primarvard", "specialiserad", "alla"]


def test_the_example_file_the_import_page_offers_imports_as_it_is(client, sara, empty_support):
    from django.conf import settings

    client.force_login(sara)
    page = client.get(
        reverse("kunskapsstyrning:recommendations_import", args=[empty_support.pk])
    ).content.decode()
    assert "exempel/rekommendationer.csv" in page and "Ladda ner en exempelfil" in page
    example = (settings.BASE_DIR / "static" / "exempel" / "rekommendationer.csv").read_bytes()
    report = import_recommendations(
        support=empty_support, upload=SimpleUploadedFile("rekommendationer.csv", example)
    )
    assert report.imported == 4 and not report.rejected
    levels = list(empty_support.recommendations.values_list("care_level", flat=True))
    assert levels == ["primarvard", "specialiserad", "kommunal", "alla"]


def test_recommendations_import_from_excel(empty_support):
    report = import_recommendations(
        support=empty_support,
        upload=xlsx_upload(
            [
                ["Nr", "Rekommendation", "Vårdnivå"],
                [1, "Spirometri", "primärvård"],
                [2, "Syrgas vid behov", "kommunal vård"],
            ]
        ),
    )
    assert report.imported == 2
    assert empty_support.recommendations.get(number=2).care_level == "kommunal"


def test_bad_rows_are_reported_and_nothing_is_imported(empty_support):
    report = import_recommendations(
        support=empty_support,
        upload=csv_upload(
            "nummer,rekommendation,vårdnivå\n"
            "1,Bra sak,primärvård\n"
            "x,Trasigt nummer,primärvård\n"
            "3,,primärvård\n"
            "4,Okänd nivå,tandvård\n"
            "1,Dubblett,primärvård\n"
        ),
    )
    assert report.imported == 0
    assert [row for row, _reason in report.rejected] == [3, 4, 5, 6]
    assert "inte ett heltal mellan 1 och 9999" in report.rejected[0][1]
    assert "saknas" in report.rejected[1][1]
    assert "Okänd vårdnivå" in report.rejected[2][1]
    assert "finns redan" in report.rejected[3][1]
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    "upload,message",
    [
        (SimpleUploadedFile("rek.pdf", b"%PDF-1.4"), r"CSV \(\.csv\) eller Excel"),
        (SimpleUploadedFile("rek.xlsx", b"inte en excelfil"), "gick inte att läsa som Excel"),
        (SimpleUploadedFile("rek.csv", b"nummer;rekommendation\n"), "inga rader"),
        (SimpleUploadedFile("rek.csv", b"a;b;c\n1;x;alla\n"), "Första raden ska vara rubriker"),
    ],
)
def test_a_malformed_file_imports_nothing_and_says_why(empty_support, upload, message):
    with pytest.raises(RecommendationImportError, match=message):
        import_recommendations(support=empty_support, upload=upload)
    assert not Recommendation.objects.exists()


def test_a_csv_saved_by_excel_in_windows_encoding_is_read(empty_support):
    report = import_recommendations(
        support=empty_support,
        upload=csv_upload(
            "nummer;rekommendation;vårdnivå\n1;Åtgärd för äldre;kommunal vård\n", encoding="cp1252"
        ),
    )
    assert report.imported == 1
    assert empty_support.recommendations.get().text == "Åtgärd för äldre"


def test_the_import_page_shows_the_rejected_rows(client, sara, empty_support):
    client.force_login(sara)
    response = client.post(
        reverse("kunskapsstyrning:recommendations_import", args=[empty_support.pk]),
        {
            "file": csv_upload("nummer;rekommendation;vårdnivå\nx;Trasig;alla\n"),
        },
    )
    page = response.content.decode()
    assert "1 rad avvisades. Inget importerades." in page
    assert "Rad 2" in page


def test_only_strategists_and_administrators_maintain_the_catalogue(
    client, alice, sara, empty_support
):
    client.force_login(alice)
    assert client.get(reverse("kunskapsstyrning:support_create")).status_code == 403
    assert (
        client.get(
            reverse("kunskapsstyrning:recommendations_import", args=[empty_support.pk])
        ).status_code
        == 403
    )
    client.force_login(sara)
    response = client.post(
        reverse("kunskapsstyrning:support_create"),
        {
            "type": "riktlinjer",
            "title": "Nationella riktlinjer för diabetes",
            "version": "2.0",
            "national_status": "faststallt",
            "url": "www.socialstyrelsen.se",
        },
    )
    support = KnowledgeSupport.objects.get(title="Nationella riktlinjer för diabetes")
    assert response.url == reverse("kunskapsstyrning:support_detail", args=[support.pk])
    assert support.url == "https://www.socialstyrelsen.se"


def test_the_catalogue_is_searchable_and_filterable(client, alice, empty_support, support):
    client.force_login(alice)
    page = client.get(reverse("kunskapsstyrning:support_list"), {"q": "kol"}).content.decode()
    assert "KOL" in page and "Hjärtsvikt" not in page
    page = client.get(reverse("kunskapsstyrning:support_list"), {"type": "nkk"}).content.decode()
    assert "Inga kunskapsstöd matchar filtret." in page
    detail = client.get(
        reverse("kunskapsstyrning:support_detail", args=[support.pk])
    ).content.decode()
    assert "Rekommendation" in detail
