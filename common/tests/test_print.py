from common.templatetags.print import css_string


def test_css_string_keeps_dashes_and_swedish_letters_readable():
    assert css_string("Beslut BP2 med gap-analysrapport – Åre") == (
        "Beslut BP2 med gap-analysrapport – Åre"
    )


def test_css_string_cannot_break_out_of_the_string_or_the_style_element():
    assert css_string('a"b\\c</style>') == 'a\\"b\\\\c\\3C /style>'
