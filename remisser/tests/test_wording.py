"""Words the pages use: a joint case's answer is the county's, long options end in "…"."""

from django.urls import reverse

from remisser.forms import shortened


def test_a_joint_case_answers_for_the_county_and_a_regional_case_for_the_region(
    client, remiss, sara
):
    client.force_login(sara)
    url = reverse("remisser:remiss_compile", args=[remiss.pk])
    assert remiss.answer_label == "Regionens svar"

    remiss.case.joint = True
    remiss.case.save(update_fields=["joint"])
    remiss.refresh_from_db()

    assert remiss.answer_label == "Länets gemensamma svar"
    page = client.get(url).content.decode()
    assert "Länets gemensamma svar" in page
    assert "Regionens svar" not in page


def test_a_long_option_is_cut_at_a_word_and_says_so():
    text = "Personer med nydebuterad hjärtsvikt bör erbjudas ekokardiografi inom fyra veckor"

    assert shortened(text, 40) == "Personer med nydebuterad hjärtsvikt bör…"
    assert shortened("Kort text", 40) == "Kort text"
