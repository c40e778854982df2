from django.urls import path

from . import views

app_name = "cards"

urlpatterns = [
    path("cards/", views.index, name="index"),
    path(
        "cards/<slug:audience_slug>/<slug:borough_slug>/<slug:paper>.pdf",
        views.pdf,
        name="pdf",
    ),
]
