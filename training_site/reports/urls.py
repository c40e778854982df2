from django.urls import path

from . import licensing_views, organisation_views, views

app_name = "reports"

urlpatterns = [
    path("", views.staff_home, name="home"),
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/figures.csv", views.figures_export, name="figures_export"),
    path("reports/list/", views.figure_list, name="list"),
    path("reports/list/export.csv", views.figure_export, name="export"),
    path("licences/", licensing_views.lookup, name="licence_lookup"),
    path("licences/batch/", licensing_views.batch, name="batch_check"),
    path("licences/expiring/", licensing_views.expiring, name="expiring"),
    path("organisations/", organisation_views.organisations, name="organisations"),
    path("organisations/<id:pk>/", organisation_views.organisation, name="organisation"),
]
