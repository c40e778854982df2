import django.db.models.functions.comparison
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def rows_count_from_their_own_time(apps, schema_editor):
    """Each row logged so far is one check in a window of its own, so no two of them can
    meet under the new counting key."""
    lookups = apps.get_model("certificates", "VerificationLookup")
    lookups.objects.update(last_at=F("at"), window_start=F("at"))
    lookups.objects.filter(officer__isnull=False).update(signed_in=True)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0004_event_email_failed")]

    operations = [
        migrations.AddField(
            model_name="verificationlookup",
            name="hits",
            field=models.PositiveIntegerField(
                default=1, help_text="How many checks this row counts."
            ),
        ),
        migrations.AddField(
            model_name="verificationlookup",
            name="last_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, help_text="The latest check."
            ),
        ),
        migrations.AddField(
            model_name="verificationlookup",
            name="signed_in",
            field=models.BooleanField(default=False, help_text="Checked by a signed-in account."),
        ),
        migrations.AddField(
            model_name="verificationlookup",
            name="window_start",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="The start of the hour these checks fell in.",
            ),
        ),
        migrations.AlterField(
            model_name="verificationlookup",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, help_text="The first check."
            ),
        ),
        migrations.RunPython(rows_count_from_their_own_time, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="verificationlookup",
            constraint=models.UniqueConstraint(
                models.F("client_hash"),
                models.F("outcome"),
                models.F("typed"),
                models.F("signed_in"),
                django.db.models.functions.comparison.Coalesce(
                    "certificate", models.Value(0), output_field=models.BigIntegerField()
                ),
                django.db.models.functions.comparison.Coalesce(
                    "officer", models.Value(0), output_field=models.BigIntegerField()
                ),
                models.F("window_start"),
                condition=models.Q(
                    models.Q(("signed_in", False), ("officer__isnull", False), _connector="OR"),
                    models.Q(
                        ("certificate__isnull", False),
                        models.Q(("outcome", "found"), _negated=True),
                        _connector="OR",
                    ),
                ),
                name="verification_lookup_counted",
            ),
        ),
    ]
