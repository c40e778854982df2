from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "training_site.people"
    label = "people"
    verbose_name = "People and places"
    default_auto_field = "django.db.models.BigAutoField"
