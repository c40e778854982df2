"""`manage.py retention` keeps every promise of the privacy page: each kind of record is kept
until its period ends and deleted after it. Each boundary is tested an hour (or a day, for
dates) either side; a dry run changes nothing; --apply twice deletes nothing more."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, VerificationLookup
from certificates.services import certificate_reinstate, certificate_revoke
from training_site.people.models import AccountEvent, LearnerProfile, User
from training_site.people.retention import years_before
from training_site.people.roles import Role
from training_site.reports.models import ReportAccess

from .certificates.factories import driver_with_licence, issue
from .people.factories import BoroughFactory, UserFactory, role_assign

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def retention(*args) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def driver(number: str, *, last_login: datetime | None, joined: datetime | None = None) -> User:
    user = driver_with_licence(number=number, full_name=f"Driver {number}")
    User.objects.filter(pk=user.pk).update(
        last_login=last_login, date_joined=joined or last_login or timezone.now()
    )
    return user


def six_years_ago() -> datetime:
    return years_before(timezone.now(), 6)


def certificate_ended(learner, *, valid_until: date) -> Certificate:
    certificate = issue(learner, days_ago=3000)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=valid_until)
    return Certificate.objects.get(pk=certificate.pk)


def test_years_before_keeps_the_date_or_falls_back_from_a_leap_day():
    assert years_before(datetime(2026, 3, 1, 9), 6) == datetime(2020, 3, 1, 9)
    assert years_before(datetime(2028, 2, 29, 9), 2) == datetime(2026, 2, 28, 9)


def test_learner_accounts_go_two_years_after_the_last_sign_in():
    two_years_ago = years_before(timezone.now(), 2)
    recent = driver("PH1", last_login=two_years_ago + HOUR)
    gone = driver("PH2", last_login=two_years_ago - HOUR)
    never_signed_in = driver("PH3", last_login=None, joined=two_years_ago - HOUR)
    joined_lately = driver("PH4", last_login=None, joined=two_years_ago + HOUR)

    assert "Would delete 2 learner accounts" in retention()
    assert "Deleted 2 learner accounts" in retention("--apply")

    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, joined_lately.pk}
    assert not LearnerProfile.objects.filter(user__in=[gone.pk, never_signed_in.pk]).exists()


def test_a_valid_certificate_keeps_the_account_and_an_expired_one_stays_without_it():
    long_ago = years_before(timezone.now(), 2) - DAY
    holder = driver("PH1", last_login=long_ago)
    issue(holder)
    lapsed = driver("PH2", last_login=long_ago)
    expired = certificate_ended(lapsed, valid_until=timezone.localdate() - DAY)

    retention("--apply")

    assert User.objects.filter(pk=holder.pk).exists()
    assert not User.objects.filter(pk=lapsed.pk).exists()
    expired.refresh_from_db()
    assert expired.learner is None
    assert expired.full_name == "Driver PH2"  # the certificate is kept, as the page says


def test_staff_accounts_are_not_learners_records():
    officer = UserFactory()
    role_assign(officer, Role.LICENSING_OFFICER, borough=BoroughFactory())
    User.objects.filter(pk=officer.pk).update(last_login=years_before(timezone.now(), 3))
    retention("--apply")
    assert User.objects.filter(pk=officer.pk).exists()


def test_certificates_go_six_years_after_they_expire():
    today_six_years_ago = timezone.localdate(six_years_ago())
    # Three learners, so no certificate supersedes another.
    learners = [driver(f"PH{n}", last_login=timezone.now()) for n in range(3)]
    # valid_until is the last valid day: expired the day after.
    kept = certificate_ended(learners[0], valid_until=today_six_years_ago)
    gone = certificate_ended(learners[1], valid_until=today_six_years_ago - DAY)
    everlasting = issue(learners[2], days_ago=4000)
    Certificate.objects.filter(pk=everlasting.pk).update(valid_until=None)

    assert "Would delete 1 certificates" in retention()
    retention("--apply")

    assert set(Certificate.objects.values_list("pk", flat=True)) == {kept.pk, everlasting.pk}
    assert not CertificateEvent.objects.filter(certificate_id=gone.pk).exists()


def test_revoked_certificates_go_six_years_after_the_revocation():
    learner = driver("PH1", last_login=timezone.now())
    kept = certificate_revoke(certificate=issue(learner), actor=None, reason="other")
    gone = certificate_revoke(certificate=issue(learner), actor=None, reason="other")
    Certificate.objects.filter(pk=kept.pk).update(revoked_at=six_years_ago() + HOUR)
    Certificate.objects.filter(pk=gone.pk).update(revoked_at=six_years_ago() - HOUR)

    retention("--apply")

    assert list(Certificate.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_certificate_that_a_kept_one_was_superseded_by_waits_for_it():
    """Deleting it would make the kept one look current again."""
    learner = driver("PH1", last_login=timezone.now())
    older = issue(learner, days_ago=4000)
    newer = issue(learner, days_ago=3000)
    older.refresh_from_db()
    assert older.superseded_by == newer
    Certificate.objects.filter(pk=newer.pk).update(revoked_at=six_years_ago() - DAY)
    Certificate.objects.filter(pk=older.pk).update(valid_until=timezone.localdate(six_years_ago()))

    assert "Deleted 0 certificates" in retention("--apply")

    Certificate.objects.filter(pk=older.pk).update(
        valid_until=timezone.localdate(six_years_ago()) - DAY
    )
    assert "Deleted 2 certificates" in retention("--apply")
    assert not Certificate.objects.exists()


def test_revocation_records_go_after_six_years_and_the_rest_of_the_trail_stays():
    learner = driver("PH1", last_login=timezone.now())
    certificate = issue(learner)
    certificate_revoke(certificate=certificate, actor=None, reason="other")
    certificate_reinstate(certificate=certificate, actor=None)
    CertificateEvent.objects.filter(action="revoked").update(at=six_years_ago() - HOUR)
    CertificateEvent.objects.filter(action="reinstated").update(at=six_years_ago() + HOUR)
    CertificateEvent.objects.filter(action="issued").update(at=six_years_ago() - DAY)

    retention("--apply")

    assert set(CertificateEvent.objects.values_list("action", flat=True)) == {
        "issued",
        "reinstated",
    }


def test_records_of_checks_go_six_years_after_their_latest_check():
    for name, last_at in (("kept", six_years_ago() + HOUR), ("gone", six_years_ago() - HOUR)):
        VerificationLookup.objects.create(
            outcome="not_found",
            client_hash=name,
            at=six_years_ago() - DAY,
            last_at=last_at,
            window_start=last_at,
        )
    retention("--apply")
    assert list(VerificationLookup.objects.values_list("client_hash", flat=True)) == ["kept"]


def test_staff_look_ups_and_exports_go_after_six_years():
    for label, at in (("kept", six_years_ago() + HOUR), ("gone", six_years_ago() - HOUR)):
        ReportAccess.objects.create(user_label=label, kind="list", what="drivers", at=at)
    retention("--apply")
    assert list(ReportAccess.objects.values_list("user_label", flat=True)) == ["kept"]


def test_records_of_learners_requests_go_after_six_years():
    for kind, at in (
        (AccountEvent.Kind.RECORDS_VIEWED, six_years_ago() + HOUR),
        (AccountEvent.Kind.ACCOUNT_CLOSED, six_years_ago() - HOUR),
    ):
        AccountEvent.objects.create(kind=kind, at=at)
    retention("--apply")
    assert list(AccountEvent.objects.values_list("kind", flat=True)) == ["records_viewed"]


def test_ended_sessions_go_with_any_sign_in_code_in_them():
    now = timezone.now()
    Session.objects.create(session_key="kept" * 8, session_data="", expire_date=now + HOUR)
    Session.objects.create(session_key="gone" * 8, session_data="", expire_date=now - HOUR)
    retention("--apply")
    assert list(Session.objects.values_list("session_key", flat=True)) == ["kept" * 8]


def world() -> None:
    """One record of every kind past its period."""
    long_ago = years_before(timezone.now(), 7)
    lapsed = driver("PH9", last_login=long_ago)
    certificate_ended(lapsed, valid_until=long_ago.date())
    revoked = certificate_revoke(
        certificate=issue(driver("PH8", last_login=None)), actor=None, reason="other"
    )
    CertificateEvent.objects.filter(certificate=revoked).update(at=long_ago)
    VerificationLookup.objects.create(
        outcome="malformed", client_hash="c", last_at=long_ago, window_start=long_ago
    )
    ReportAccess.objects.create(user_label="x", kind="list", what="drivers", at=long_ago)
    AccountEvent.objects.create(kind=AccountEvent.Kind.RECORDS_VIEWED, at=long_ago)
    Session.objects.create(session_key="s" * 32, session_data="", expire_date=long_ago)


def table_sizes() -> dict[str, int]:
    models = (User, Certificate, CertificateEvent, VerificationLookup, ReportAccess)
    sizes = {model.__name__: model.objects.count() for model in models}
    sizes.update(events=AccountEvent.objects.count(), sessions=Session.objects.count())
    return sizes


def test_a_dry_run_changes_nothing_and_says_what_would_go():
    world()
    before = table_sizes()
    output = retention()
    assert table_sizes() == before
    for line in (
        "Would delete 1 ended sessions",
        "Would delete 1 learner accounts",
        "Would delete 1 records of learners viewing",
        "Would delete 1 certificates",
        "Would delete 1 records of revocations",
        "Would delete 1 records of certificate checks",
        "Would delete 1 records of staff look-ups",
        "Dry run: nothing was deleted",
    ):
        assert line in output


def test_apply_is_idempotent():
    world()
    first = retention("--apply")
    assert "Deleted 1 certificates" in first
    after = table_sizes()
    second = retention("--apply")
    assert table_sizes() == after
    counts = [line.split()[1] for line in second.splitlines() if line.startswith("Deleted")]
    assert counts and set(counts) == {"0"}
