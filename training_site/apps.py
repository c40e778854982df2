from django.apps import AppConfig


class TrainingSiteConfig(AppConfig):
    """The project package composes the parts: its commands load content and demo data."""

    name = "training_site"
    verbose_name = "Spot the Signs"
