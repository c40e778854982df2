from django.apps import AppConfig

# Imported for its side effect: it registers people's system checks.
from . import checks  # noqa: F401


class PeopleConfig(AppConfig):
    name = "training_site.people"
    label = "people"
    verbose_name = "People and places"
    default_auto_field = "django.db.models.BigAutoField"
