"""Each borough contact keeps its source page and the date checked; a council website for the
fallback; audiences say whether their learners work at night."""

from urllib.parse import urlsplit

import django.core.validators
from django.db import migrations, models

# Audiences whose learners work nights: drivers (licence holders), and the staff of
# premises, taxi operators and care homes, which keep going around the clock.
NIGHT_KINDS = ("premises", "taxi_operator", "care_home")


def backfill(apps, schema_editor):
    """Audiences loaded before this migration keep editors' rows, so mark the night roles; a
    borough "report a concern" link that is only the council's home page becomes its website
    (the page itself was never a way to report anything)."""
    Audience = apps.get_model("people", "Audience")
    Borough = apps.get_model("people", "Borough")
    Audience.objects.filter(
        models.Q(membership="licence") | models.Q(organisation_kind__in=NIGHT_KINDS)
    ).update(works_nights=True)
    for borough in Borough.objects.exclude(web_page=""):
        address = urlsplit(borough.web_page)
        if address.path in ("", "/") and not address.query:
            borough.website, borough.web_page = borough.web_page, ""
            borough.save(update_fields=["website", "web_page"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_full_name_80"),
    ]

    operations = [
        migrations.AddField(
            model_name="audience",
            name="works_nights",
            field=models.BooleanField(
                default=False,
                help_text='Many of these learners work evenings or nights (taxi drivers, hotel night staff): their "Who to call" puts the out-of-hours number first.',
                verbose_name="works at night",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="out_of_hours_phone_checked",
            field=models.DateField(
                blank=True,
                help_text="When someone last saw it on that page.",
                null=True,
                verbose_name="date checked",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="out_of_hours_phone_source",
            field=models.URLField(
                blank=True,
                help_text="The council's own web page that shows it, so anyone can check it again.",
                max_length=500,
                verbose_name="source of the out-of-hours number",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="social_care_phone_checked",
            field=models.DateField(
                blank=True,
                help_text="When someone last saw it on that page.",
                null=True,
                verbose_name="date checked",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="social_care_phone_source",
            field=models.URLField(
                blank=True,
                help_text="The council's own web page that shows it, so anyone can check it again.",
                max_length=500,
                verbose_name="source of the front door number",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="web_page_checked",
            field=models.DateField(
                blank=True,
                help_text="When someone last saw it on that page.",
                null=True,
                verbose_name="date checked",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="web_page_source",
            field=models.URLField(
                blank=True,
                help_text="The council's own web page that shows it, so anyone can check it again.",
                max_length=500,
                verbose_name="source of the report a concern page",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="website",
            field=models.URLField(
                blank=True,
                help_text="The council's home page: learners are sent there for the number when this page has none.",
                verbose_name="council website",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="website_checked",
            field=models.DateField(
                blank=True,
                help_text="When someone last saw it on that page.",
                null=True,
                verbose_name="date checked",
            ),
        ),
        migrations.AddField(
            model_name="borough",
            name="website_source",
            field=models.URLField(
                blank=True,
                help_text="The council's own web page that shows it, so anyone can check it again.",
                max_length=500,
                verbose_name="source of the council website",
            ),
        ),
        migrations.AlterField(
            model_name="borough",
            name="out_of_hours_phone",
            field=models.CharField(
                blank=True,
                help_text="Children's social care in the evening, at night, at weekends and on bank holidays (often the emergency duty team).",
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\+?[0-9 ()-]{3,20}$",
                        "Enter a phone number using digits, spaces and brackets only.",
                    )
                ],
                verbose_name="out-of-hours line",
            ),
        ),
        migrations.AlterField(
            model_name="borough",
            name="social_care_phone",
            field=models.CharField(
                blank=True,
                help_text="Where anyone worried about a child in this borough should call in office hours.",
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\+?[0-9 ()-]{3,20}$",
                        "Enter a phone number using digits, spaces and brackets only.",
                    )
                ],
                verbose_name="children's social care front door",
            ),
        ),
        migrations.AlterField(
            model_name="borough",
            name="web_page",
            field=models.URLField(
                blank=True,
                help_text="The council's own page for reporting a concern about a child, not its home page.",
                max_length=500,
                verbose_name="report a concern page",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
