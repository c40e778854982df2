from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/start/", views.onboarding, name="onboarding"),
    path("profile/licences/", views.licences, name="licences"),
    path("profile/licences/done/", views.licences_done, name="licences_done"),
    path("profile/licences/<id:pk>/remove/", views.licence_remove, name="licence_remove"),
    path("profile/workplace/", views.organisation, name="organisation"),
]
