"""The record of who looked at or exported what: every report list, look-up and export."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportAccess(models.Model):
    class Kind(models.TextChoices):
        LIST = "list", "Viewed a list of learners"
        EXPORT = "export", "Exported a CSV file"
        LICENCE_LOOKUP = "licence_lookup", "Looked up a licence"
        BATCH_CHECK = "batch_check", "Checked a batch of licences"
        EXPIRING = "expiring", "Listed expiring certificates"
        ORGANISATION = "organisation", "Viewed an organisation's staff"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_label = models.CharField(
        max_length=150, help_text="Who looked, kept if the account is deleted."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    what = models.CharField(max_length=80, help_text="Which list, look-up or export.")
    filters = models.JSONField(default=dict, help_text="The filters or terms used.")
    row_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "report access"
        verbose_name_plural = "report access log"

    def __str__(self):
        return f"{self.user_label}: {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
