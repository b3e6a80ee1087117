from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kunskapsstyrning", "0004_case_list_order_pk"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="upptaget till"),
        ),
    ]
