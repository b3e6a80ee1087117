"""Control-limit and signal calculations in `common.charts`, checked against worked examples
computed by hand (the arithmetic is written out above each example)."""

import pytest

from common import charts

# --- p-chart with varying denominators ------------------------------------------------------
#
#   period   x     n     p = x/n     σ = √(p̄(1−p̄)/n) = 0.4/√n     LCL = p̄−3σ   UCL = p̄+3σ
#   1        20    100   0.2000      0.4/10 = 0.04                  0.08         0.32
#   2        112   400   0.2800      0.4/20 = 0.02                  0.14         0.26   ← above
#   3        2     64    0.03125     0.4/8  = 0.05                  0.05         0.35   ← below
#   4        8     16    0.5000      0.4/4  = 0.10                  −0.10 → 0    0.50   (on UCL)
#   5        38    256   0.1484      0.4/16 = 0.025                 0.125        0.275
#   6        12    100   0.1200      0.04                           0.08         0.32
#   7        8     64    0.1250      0.05                           0.05         0.35
#   Σ        200   1000  p̄ = 200/1000 = 0.2,  p̄(1−p̄) = 0.16, √0.16 = 0.4
#
# Point 4 lies exactly on its upper limit: not outside (the rule is strictly above).
# Runs: above 0.2 are 2 and 4; point 1 is on the centre line. No run of 8.

P_X = [20, 112, 2, 8, 38, 12, 8]
P_N = [100, 400, 64, 16, 256, 100, 64]


def test_the_p_chart_centre_is_all_numerators_over_all_denominators():
    chart = charts.p_chart(P_X, P_N)
    assert chart.centre == pytest.approx(0.2)


def test_each_p_chart_point_has_limits_from_its_own_denominator():
    chart = charts.p_chart(P_X, P_N)
    expected = [
        (0.08, 0.32),
        (0.14, 0.26),
        (0.05, 0.35),
        (0.0, 0.5),
        (0.125, 0.275),
        (0.08, 0.32),
        (0.05, 0.35),
    ]
    assert [(p.lcl, p.ucl) for p in chart.points] == [
        (pytest.approx(lcl), pytest.approx(ucl)) for lcl, ucl in expected
    ]


def test_a_negative_lower_p_limit_is_cut_at_zero():
    chart = charts.p_chart(P_X, P_N)
    assert chart.points[3].lcl == 0.0  # 0.2 − 3·0.1 = −0.1


def test_p_chart_signals_are_the_points_strictly_outside_their_limits():
    chart = charts.p_chart(P_X, P_N)
    assert [i for i, p in enumerate(chart.points) if p.outside] == [1, 2]
    assert not chart.points[3].outside  # 0.5 equals its UCL of 0.5
    assert not any(p.in_run for p in chart.points)


# A p-chart with frozen limits: the baseline is the first 4 periods, n = 100 each.
#   x = 20, 22, 18, 20 → p̄ = 80/400 = 0.2; σ(n=100) = 0.04 → limits 0.08–0.32,
#   σ(n=25) = 0.4/5 = 0.08 → 0.2 − 0.24 < 0 → 0, 0.2 + 0.24 = 0.44.
#   Later: 33/100 = 0.33 > 0.32 (outside); 11/25 = 0.44 = UCL (not outside).


def test_a_p_chart_baseline_freezes_the_centre_and_extends_the_limits():
    chart = charts.p_chart([20, 22, 18, 20, 33, 11], [100, 100, 100, 100, 100, 25], baseline=4)
    assert chart.baseline == 4
    assert chart.centre == pytest.approx(0.2)
    assert (chart.points[4].lcl, chart.points[4].ucl) == (pytest.approx(0.08), pytest.approx(0.32))
    assert (chart.points[5].lcl, chart.points[5].ucl) == (0.0, pytest.approx(0.44))
    assert [i for i, p in enumerate(chart.points) if p.outside] == [4]


# --- XmR chart --------------------------------------------------------------------------------
#
#   x:   10  12  11  13   9  11  12  10        Σx = 88, x̄ = 88/8 = 11
#   MR:       2   1   2   4   2   1   2        ΣMR = 14, MR̄ = 14/7 = 2
#   UCL = 11 + 2.66·2 = 16.32      LCL = 11 − 2.66·2 = 5.68

XMR = [10, 12, 11, 13, 9, 11, 12, 10]


def test_the_xmr_centre_is_the_mean_and_the_limits_are_2_66_average_moving_ranges():
    chart = charts.xmr_chart(XMR)
    assert chart.centre == pytest.approx(11)
    assert chart.mr_bar == pytest.approx(2)
    assert [p.ucl for p in chart.points] == [pytest.approx(16.32)] * 8
    assert [p.lcl for p in chart.points] == [pytest.approx(5.68)] * 8
    assert not chart.signal_points


# Frozen on those 8 points and extended over three more: 17 > 16.32 (outside), 11 inside,
# 5 < 5.68 (outside).


def test_an_xmr_baseline_flags_later_points_outside_the_frozen_limits():
    chart = charts.xmr_chart([*XMR, 17, 11, 5], baseline=8)
    assert chart.centre == pytest.approx(11)
    assert [i for i, p in enumerate(chart.points) if p.outside] == [8, 10]


# The same rule without a baseline: 5 × 10 and one 40 →
#   x̄ = 90/6 = 15; MR = 0, 0, 0, 0, 30 → MR̄ = 30/5 = 6;
#   UCL = 15 + 2.66·6 = 30.96 → 40 is outside; LCL = 15 − 15.96 = −0.96.


def test_an_xmr_chart_finds_an_outlier_among_all_points():
    chart = charts.xmr_chart([10, 10, 10, 10, 10, 40])
    assert chart.centre == pytest.approx(15)
    assert chart.points[0].ucl == pytest.approx(30.96)
    assert chart.points[0].lcl == pytest.approx(-0.96)
    assert [i for i, p in enumerate(chart.points) if p.outside] == [5]


def test_one_value_gives_no_limits():
    chart = charts.xmr_chart([7])
    assert chart.centre is None
    assert chart.points[0].ucl is None


# --- Runs ------------------------------------------------------------------------------------


def test_eight_in_a_row_above_the_centre_is_a_run():
    values = [1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5]  # centre 3: indexes 3–10 are above
    assert charts.runs_on_one_side(values, 3) == list(range(3, 11))


def test_seven_in_a_row_is_not_a_run():
    assert charts.runs_on_one_side([5, 5, 5, 5, 5, 5, 5, 1], 3) == []


def test_a_point_on_the_centre_line_neither_counts_nor_breaks_the_run():
    values = [5, 5, 5, 5, 3, 5, 5, 5, 5]  # 4 above, one on the line, 4 above = 8 counted
    assert charts.runs_on_one_side(values, 3) == [0, 1, 2, 3, 5, 6, 7, 8]
    assert charts.runs_on_one_side([5, 5, 5, 3, 5, 5, 5, 5], 3) == []  # only 7 count


def test_a_point_on_the_other_side_breaks_the_run():
    assert charts.runs_on_one_side([5, 5, 5, 5, 1, 5, 5, 5, 5], 3) == []


# A step change: 12 months around 60 %, then 12 around 80 %, n = 100 each.
#   x = 58 60 62 59 61 60 58 62 60 61 59 60 | 79 81 80 82 78 80 81 79 80 82 78 80
#   Σx = 720 + 960 = 1680, Σn = 2400 → p̄ = 0.7; σ = √(0.21/100) = 0.0458; limits 0.5625–0.8375.
#   No point is outside, but all 12 before are below 0.7 and all 12 after above: two runs.


def test_a_step_change_shows_as_runs_on_both_sides_of_the_centre():
    before = [58, 60, 62, 59, 61, 60, 58, 62, 60, 61, 59, 60]
    after = [79, 81, 80, 82, 78, 80, 81, 79, 80, 82, 78, 80]
    labels = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
    chart = charts.p_chart(before + after, [100] * 24, labels)
    assert chart.centre == pytest.approx(0.7)
    assert chart.points[0].ucl == pytest.approx(0.7 + 3 * (0.21 / 100) ** 0.5)
    assert not any(p.outside for p in chart.points)
    assert all(p.in_run for p in chart.points)
    assert chart.signal_sentences() == [
        "Serie: 12 punkter i rad under mittlinjen, 2023-01 – 2023-12.",
        "Serie: 12 punkter i rad över mittlinjen, 2024-01 – 2024-12.",
    ]


# --- Run chart -------------------------------------------------------------------------------


def test_the_run_chart_centre_is_the_median():
    assert charts.run_chart([3, 1, 2, 5, 4]).centre == 3
    assert charts.run_chart([4, 1, 3, 2]).centre == 2.5  # (2 + 3) / 2
    assert not charts.run_chart([4, 1, 3, 2]).has_limits


# --- Drawing ---------------------------------------------------------------------------------


def test_the_svg_states_its_signals_in_words_and_uses_no_style_attributes():
    chart = charts.p_chart(P_X, P_N, labels=[f"2024-0{i}" for i in range(1, 8)])
    svg = charts.chart_svg(
        chart, title="Andel <test>", ident="c1", percent=True, target=0.25, cycles=[(4, "PDSA 1")]
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert "Andel &lt;test&gt;" in svg
    assert "Över den övre styrgränsen: 2024-02. Under den nedre styrgränsen: 2024-03." in svg
    assert "Medelvärde 20 %" in svg
    assert "PDSA 1" in svg and "Mål 25 %" in svg
    assert "style=" not in svg


def test_an_empty_chart_says_so():
    svg = charts.chart_svg(charts.xmr_chart([]), title="Tomt", ident="c2")
    assert "Inga mätvärden ännu." in svg


def test_numbers_are_written_the_swedish_way():
    assert charts.format_number(62.5) == "62,5"
    assert charts.format_number(80.0) == "80"
    assert charts.format_number(-0.96, 2) == "−0,96"
    assert charts.format_number(12345.67) == "12\u00a0345,7"  # thousands apart, not broken
    assert charts.format_number(-1234567, 2) == "−1\u00a0234\u00a0567"
    assert charts.format_number(0.04) == "0,04"  # a small value does not read 0
    assert charts.format_number(0.0004, 2) == "0,0004"
    assert charts.format_number(-0.001) == "−0,001"
    assert charts.format_number(0) == "0" and charts.format_number(-0.0) == "0"
