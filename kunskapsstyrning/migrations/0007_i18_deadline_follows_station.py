"""A case's deadline is its current station's (issue 18): clear the dates left behind.

Before, a deadline set at one station stayed when the case moved on (after BP3 a case still
showed its "ready for BP2" date). The product sets deadlines only at the remiss, the
prioritisation (registration) and the gap analysis; a date on a case anywhere else is an
earlier station's, and is cleared.
"""

from django.db import migrations

SET_AT = ["remiss", "prioritering", "gapanalys"]


def clear_stale_deadlines(apps, schema_editor):
    Case = apps.get_model("kunskapsstyrning", "Case")
    Case.objects.exclude(state__in=SET_AT).exclude(due_date=None).update(due_date=None)


class Migration(migrations.Migration):
    dependencies = [("kunskapsstyrning", "0006_i19_plausible_values")]

    operations = [migrations.RunPython(clear_stale_deadlines, migrations.RunPython.noop)]
