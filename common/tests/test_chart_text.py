"""Chart text is at least 12 px and an activity's name is wrapped, not cut (issue 18)."""

import re
from datetime import date

from common.charts import TEXT_SIZE, TimelineBar, _wrapped, timeline_svg


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
