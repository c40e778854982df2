import wagtail.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_course_published_edition"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursepage",
            name="content_note",
            field=wagtail.fields.RichTextField(
                blank=True,
                help_text="Shown before the course starts: that the topic may be upsetting, and "
                "where learners can get support.",
            ),
        ),
    ]
