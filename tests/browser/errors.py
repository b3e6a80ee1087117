"""Script errors and Content-Security-Policy violations a page logs while a test drives it."""

_logged = {}


def watch(page):
    errors = _logged.setdefault(page, [])
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )


def forget(page):
    _logged.pop(page, None)


def page_errors(page):
    """The errors logged since the last call (which forgets them)."""
    errors = _logged.get(page, [])
    logged = list(errors)
    errors.clear()
    return logged
