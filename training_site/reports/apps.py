from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "training_site.reports"
    label = "reports"
    verbose_name = "Reports"
    default_auto_field = "django.db.models.BigAutoField"
