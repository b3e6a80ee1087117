"""Reads of the gap analysis used by other apps."""


def gap_analysis_ready(case):
    """Whether the case's gap analysis may go to BP2.

    Until a case has a gap analysis in this app (cases moved on paper before the product),
    nothing here blocks BP2; once it has one, every row must be assessed.
    """
    analysis = getattr(case, "gap_analysis", None)
    if analysis is None:
        return True
    return analysis.is_ready_for_bp2
