"""Chart text is at least 12 px and an activity's name is wrapped, not cut (issue 18)."""

import re
from datetime import date

from common.charts import (
    CHAR_WIDTH,
    TEXT_SIZE,
    TimelineBar,
    _wrapped,
    chart_svg,
    timeline_svg,
)


def test_every_text_of_a_chart_is_at_least_12_units_high():
    bars = [
        TimelineBar(
            label="Sjuksköterskeledd hjärtsviktsmottagning med kommunal hemsjukvård",
            principal="region",
            start=date(2025, 1, 1),
            end=date(2025, 6, 30),
            done=False,
        )
    ]
    svg = timeline_svg(bars, [("Utvärdering", date(2025, 9, 1))], title="Tidslinje", ident="t")

    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', svg)}
    assert TEXT_SIZE >= 12 and sizes == {TEXT_SIZE}
    # The name is written over two lines, between words.
    assert ">Sjuksköterskeledd</text>" in svg
    assert ">hjärtsviktsmottagning med kommunal…</text>" in svg


def test_a_name_is_wrapped_between_words_and_a_very_long_one_ends_in_an_ellipsis():
    assert _wrapped("Utbilda primärvårdens team", 34) == ["Utbilda primärvårdens team"]
    assert _wrapped("Sjuksköterskeledd hjärtsviktsmottagning med kommunal hemsjukvård", 34) == [
        "Sjuksköterskeledd",
        "hjärtsviktsmottagning med kommunal…",
    ]


def test_the_legend_leaves_room_for_each_label_in_the_charts_font():
    from pathlib import Path

    import pytest
    from PIL import ImageFont

    from common.charts import p_chart

    font_file = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font_file.exists():
        pytest.skip("DejaVu Sans is not installed (the documents need it: fonts-dejavu-core)")
    font = ImageFont.truetype(str(font_file), TEXT_SIZE)
    chart = p_chart([40, 45, 41, 44, 47, 43, 42, 46], [100] * 8)  # centre 43,5 %
    svg = chart_svg(chart, title="Andel", ident="a", percent=True)
    row = max(float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', svg))
    legend = [
        (float(x), label)
        for x, y, label in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)</text>', svg)
        if float(y) == row
    ]
    assert [label for _x, label in legend][:2] == ["Medelvärde 43,5 %", "Styrgränser"]
    for (x, label), (next_x, _next) in zip(legend, legend[1:], strict=False):
        # The next item's marker starts 24 units before its label.
        assert x + font.getlength(label) < next_x - 24, (label, x, next_x)


def test_every_month_label_of_the_timeline_ends_inside_the_chart():
    """A plan over 33 months labelled its last month at the edge, where "2027-" was cut off."""
    bars = [
        TimelineBar("Inför arbetssätten", date(2024, 4, 10), date(2024, 10, 7), "region"),
        TimelineBar("Journalmall", date(2026, 12, 18), date(2027, 4, 14), "region"),
    ]
    width = 960
    svg = timeline_svg(bars, title="Tidslinje", ident="t", width=width)
    labels = re.findall(r'<text x="([\d.]+)"[^>]*>(\d{4}-\d{2})</text>', svg)
    assert labels and labels[0][1] == "2024-04"
    for x, label in labels:
        assert float(x) + len(label) * CHAR_WIDTH <= width, label
