"""Accessibility checks run in the browser (WCAG 2.1 AA).

axe-core (bundled by axe-playwright-python, so it works offline) finds what can be found
automatically; the other checks here cover what axe cannot judge alone: the language of the
page, reflow at 320 CSS pixels, a visible focus indicator and errors announced next to their
field.
"""

import warnings

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

_AXE_SCRIPT = Axe().axe_script


class AccessibilityError(AssertionError):
    pass


def axe_violations(page, *, exclude=()):
    """axe-core's violations of the WCAG 2.1 A/AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_AXE_SCRIPT)
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
    return results["violations"]


def describe(violations):
    """Violations as a person reads them: rule, impact, what to fix and where."""
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def check_a11y(page, *, exclude=()):
    """Fail on any serious or critical WCAG 2.1 AA violation axe finds; warn about the rest.

    `exclude` takes CSS selectors for parts of the page that are not ours to fix.
    """
    assert_lang_sv(page)
    violations = axe_violations(page, exclude=exclude)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if others:
        warnings.warn(
            f"axe on {page.url}: {len(others)} moderate/minor finding(s)\n{describe(others)}",
            stacklevel=2,
        )
    if failing:
        report = describe(failing)
        print(f"\naxe on {page.url}:\n{report}")
        raise AccessibilityError(
            f"{len(failing)} serious/critical accessibility violation(s) on {page.url}:\n{report}"
        )


def assert_lang_sv(page):
    lang = page.evaluate("document.documentElement.lang")
    assert lang == "sv", f'{page.url}: <html lang="{lang}">, expected "sv"'


def assert_reflows(page, width=320):
    """WCAG 1.4.10: at 320 CSS pixels the page scrolls only vertically."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            culprits = page.evaluate(
                """(width) => Array.from(document.querySelectorAll('body *'))
                    .filter(el => el.getBoundingClientRect().right > width + 1)
                    .filter(el => !el.closest('.table-scroll, [data-scrolls]'))
                    .slice(0, 8)
                    .map(el => el.tagName.toLowerCase()
                         + (el.id ? '#' + el.id : '')
                         + (el.className && typeof el.className === 'string'
                            ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                         + ' right=' + Math.round(el.getBoundingClientRect().right))""",
                width,
            )
            raise AccessibilityError(
                f"{page.url} does not reflow at {width}px: scrollWidth={scroll_width}. "
                f"Widest elements: {culprits}"
            )
    finally:
        if original:
            page.set_viewport_size(original)


FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    element: el.outerHTML.slice(0, 120),
    datePicker: el.matches('input[type=date]:not(:focus)'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      ? style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor : '',
    boxShadow: style.boxShadow === 'none' ? '' : style.boxShadow,
  };
}"""


def focus_style(page):
    """The focused element and its focus indicator (outline or box-shadow), or None."""
    return page.evaluate(FOCUS_STYLE_JS)


def assert_visible_focus(page):
    """WCAG 2.4.7: the element that has keyboard focus shows it."""
    style = focus_style(page)
    assert style is not None, f"{page.url}: nothing has focus"
    if style["datePicker"]:
        # The last Tab stop of a date field is the browser's own calendar button inside the
        # field; the browser draws its focus ring and the field itself no longer matches :focus.
        return
    assert style["outline"] or style["boxShadow"], (
        f"{page.url}: focused element has no visible focus indicator: {style}"
    )


ERROR_FOR_FIELD_JS = """(control) => {
  const field = control.closest('.field');
  const ids = (control.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  const fieldset = control.closest('fieldset');
  if (fieldset) {
    ids.push(...(fieldset.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean));
  }
  const described = ids.map(id => document.getElementById(id)).filter(Boolean)
    .map(el => el.textContent.trim()).filter(Boolean);
  const alert = field && field.querySelector('[role=alert]');
  return {
    inField: !!(field && field.querySelector('.error')),
    described: described,
    alert: alert ? alert.textContent.trim() : '',
    invalid: control.getAttribute('aria-invalid'),
  };
}"""


def field_error(control):
    """The error announced for a form control (a Playwright locator), or ''.

    An error counts when it sits inside the control's field and is tied to the control,
    either by aria-describedby (on the control or its fieldset) or as a role=alert.
    """
    info = control.evaluate(ERROR_FOR_FIELD_JS)
    if not info["inField"]:
        return ""
    for text in info["described"]:
        if text == info["alert"] or not info["alert"]:
            return text
    return info["alert"]


def assert_error_next_to(control, contains=""):
    """WCAG 3.3.1: the control's error is next to it and tied to it."""
    error = field_error(control)
    assert error, f"no error announced next to {control}"
    if contains:
        assert contains in error, f"error next to {control} is {error!r}, expected {contains!r}"
    return error
