from django.urls import path

from . import records_views, views

app_name = "people"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/start/", views.onboarding, name="onboarding"),
    path("profile/licences/", views.licences, name="licences"),
    path("profile/licences/done/", views.licences_done, name="licences_done"),
    path("profile/licences/<id:pk>/remove/", views.licence_remove, name="licence_remove"),
    path("profile/workplace/", views.organisation, name="organisation"),
    path("accounts/records/", records_views.records, name="records"),
    path("accounts/records/download/", records_views.records_download, name="records_download"),
    path("accounts/close/", records_views.account_close, name="account_close"),
    path("accounts/closed/", records_views.account_closed, name="account_closed"),
]
