"""Logging filters the settings name."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (400, 403, 404) is logged as one line, without the exception's
    traceback.

    Django logs a `PermissionDenied` with the exception it was raised as, so every 403 of the
    product's permission checks (the expected answer to a person acting out of their role)
    printed a traceback, burying the real errors; an upload Django cannot parse (a file name of
    a thousand characters) is a 400 that printed one too. The line keeps the path and the
    status.
    """

    def filter(self, record):
        if getattr(record, "status_code", None) in (400, 403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
