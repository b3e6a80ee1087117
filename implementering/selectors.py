"""Reads of the implementation plan used by other apps."""


def checklist_ready(case):
    """Whether BP3 may be requested: every item of the region's BP3 checklist is ticked.

    A case without a checklist in this app (planned before the product) is not blocked.
    """
    checklist = getattr(case, "bp3_checklist", None)
    if checklist is None:
        return True
    return checklist.is_complete
