from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "training_site.home"
    label = "home"
    verbose_name = "Home and help pages"
    default_auto_field = "django.db.models.BigAutoField"
