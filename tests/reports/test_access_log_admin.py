"""The report access log is readable in the Wagtail admin and cannot be changed there."""

import pytest

from training_site.reports.models import ReportAccess

from ..people.factories import UserFactory
from .conftest import client_for


@pytest.fixture
def entry(db):
    return ReportAccess.objects.create(
        user_label="officer@example.org", kind="batch_check", what="batch check", row_count=3
    )


def test_superuser_reads_but_cannot_add_edit_or_delete(entry):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = client_for(admin)
    listing = client.get("/admin/report_access/")
    assert listing.status_code == 200 and "officer@example.org" in listing.content.decode()
    assert client.get(f"/admin/report_access/inspect/{entry.pk}/").status_code == 200
    for url in (
        "/admin/report_access/new/",
        f"/admin/report_access/edit/{entry.pk}/",
        f"/admin/report_access/delete/{entry.pk}/",
    ):
        assert client.get(url).status_code == 302  # refused, back to the dashboard
    assert client.post(f"/admin/report_access/delete/{entry.pk}/").status_code == 302
    assert ReportAccess.objects.filter(pk=entry.pk).exists()


def test_editors_without_the_permission_cannot_open_it(entry):
    from django.contrib.auth.models import Permission

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert client_for(editor).get("/admin/report_access/").status_code == 302
