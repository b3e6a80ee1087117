from django.urls import reverse

from common.urls import url_for_each


def test_it_makes_the_same_links_as_reverse():
    case_url = url_for_each("case_detail")
    assert [case_url(pk) for pk in (1, 42, 1000)] == [
        reverse("case_detail", args=[pk]) for pk in (1, 42, 1000)
    ]


def test_it_keeps_the_leading_arguments():
    row_url = url_for_each("gap_row_edit", 7)
    assert row_url(12) == reverse("gap_row_edit", args=[7, 12])
