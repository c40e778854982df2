"""/verify/<code>/ (what a QR scan opens) is limited per client, generously, and its log
counts repeated checks in one row instead of writing a row per request: the first check of
each row's key in a slot at once, the rest from the cache when the slot is flushed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.lookups import (
    FLUSH_SECONDS,
    UNFINISHED_SLOTS,
    CheckKey,
    lookup_count,
    lookup_record,
    lookup_window_start,
    lookups_flush,
)
from certificates.models import VerificationLookup
from certificates.records import records_for

from ..concurrency import run_at_once
from ..people.factories import UserFactory
from .factories import driver_with_licence, issue

pytestmark = pytest.mark.django_db

LIMIT = 120
OFFICER_PHONE = "198.51.100.20"


def scan(client, code, address=OFFICER_PHONE):
    return client.get(reverse("certificates:verify_code", args=[code]), REMOTE_ADDR=address)


def flush_finished(now: datetime) -> int:
    """Flush as it would be once the slots counting checks at `now` have all ended."""
    return lookups_flush(now=now + timedelta(seconds=FLUSH_SECONDS * UNFINISHED_SLOTS))


def test_a_rank_of_cabs_checked_twice_over_never_meets_the_limit(client):
    certificates = [
        issue(driver_with_licence(number=f"PH{n}", full_name=f"Driver {n}")) for n in range(3)
    ]
    # 60 cabs scanned twice each: three real certificates stand in for them.
    statuses = {scan(client, certificates[n % 3].code).status_code for n in range(LIMIT)}
    assert statuses == {200}


def test_a_script_walking_codes_is_stopped_with_the_sites_own_page(client):
    for number in range(LIMIT):
        assert scan(client, f"WALK{number:04d}").status_code == 404
    certificate = issue(driver_with_licence())

    response = scan(client, certificate.code)

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Too many checks" in html and "Please wait 10 minutes" in html
    assert certificate.full_name not in html
    assert "<form" in html  # the site's page, with the form, not allauth's bare 429
    # Another client is not held up by it.
    assert scan(client, certificate.code, address="198.51.100.99").status_code == 200


def test_signed_in_checks_count_against_the_account_not_the_address(client):
    for number in range(LIMIT):
        scan(client, f"WALK{number:04d}")
    assert scan(client, "WALK9999").status_code == 429
    client.force_login(UserFactory())
    certificate = issue(driver_with_licence())
    assert scan(client, certificate.code).status_code == 200


def test_repeated_checks_of_one_code_by_one_client_are_one_row(client):
    certificate = issue(driver_with_licence())
    for _ in range(3):
        scan(client, certificate.code)
    scan(client, certificate.code, address="198.51.100.21")
    # Each client's first check is in the database at once; the repeats follow by a flush.
    assert sorted(VerificationLookup.objects.values_list("hits", flat=True)) in ([1, 1], [1, 2])
    flush_finished(timezone.now())

    rows = list(VerificationLookup.objects.order_by("pk"))
    assert [(row.outcome, row.hits) for row in rows] == [("found", 3), ("found", 1)]
    first = rows[0]
    assert first.certificate == certificate
    assert first.at <= first.last_at
    assert first.window_start == lookup_window_start(first.at)


def test_a_walk_through_codes_logs_two_rows_not_a_row_a_request(client):
    for number in range(LIMIT + 30):
        scan(client, f"WALK{number:04d}")
    flush_finished(timezone.now())
    counted = dict(VerificationLookup.objects.values_list("outcome", "hits"))
    assert counted == {"malformed": LIMIT, "rate_limited": 30}


def test_checks_in_a_new_hour_start_a_new_row():
    certificate = issue(driver_with_licence())
    ten_past = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    for moment in (ten_past, ten_past + timedelta(minutes=45), ten_past + timedelta(hours=1)):
        lookup_count(
            outcome="found", certificate=certificate, client_hash="c1", typed=False, now=moment
        )
    rows = list(VerificationLookup.objects.order_by("window_start"))
    assert [(row.hits, row.window_start.hour) for row in rows] == [(2, 9), (1, 10)]
    assert (rows[0].at, rows[0].last_at) == (ten_past, ten_past + timedelta(minutes=45))


def test_an_officers_checks_are_counted_apart_from_anonymous_ones():
    certificate = issue(driver_with_licence())
    officer = UserFactory()
    for who in (None, officer, officer):
        lookup_count(
            outcome="found", certificate=certificate, officer=who, client_hash="c1", typed=False
        )
    flush_finished(timezone.now())
    counted = {
        (row.officer_id, row.signed_in): row.hits for row in VerificationLookup.objects.all()
    }
    assert counted == {(None, False): 1, (officer.pk, True): 2}


def test_deleting_an_officer_or_a_certificate_never_collides_with_a_kept_row():
    """SET_NULL empties the key of the rows that named them; they must not meet the rows
    already counted without them."""
    certificate = issue(driver_with_licence())
    other = issue(driver_with_licence(number="PH2", full_name="Zoë Ó Briain"))
    officer = UserFactory()
    for who in (None, officer):
        lookup_count(
            outcome="found", certificate=certificate, officer=who, client_hash="c1", typed=False
        )
    for each in (certificate, other):
        lookup_count(outcome="found", certificate=each, client_hash="c1", typed=False)
    flush_finished(timezone.now())

    officer.delete()
    VerificationLookup.objects.filter(certificate__in=[certificate, other]).update(certificate=None)

    assert VerificationLookup.objects.count() == 3
    assert sum(VerificationLookup.objects.values_list("hits", flat=True)) == 4


def test_a_busy_clients_repeated_checks_write_nothing_until_flushed(client):
    certificate = issue(driver_with_licence())
    moment = datetime(2026, 3, 2, 9, 10, 1, tzinfo=UTC)
    check = {"outcome": "found", "certificate": certificate, "client_hash": "c1", "typed": False}
    lookup_count(**check, now=moment)

    with CaptureQueriesContext(connection) as queries:
        for seconds in range(1, FLUSH_SECONDS - 1):
            lookup_count(**check, now=moment + timedelta(seconds=seconds))
    assert queries.captured_queries == []

    (row,) = VerificationLookup.objects.all()
    assert (row.hits, row.last_at) == (1, moment)
    # Not while the slot may still be counting, then once.
    assert lookups_flush(now=moment + timedelta(seconds=FLUSH_SECONDS)) == 0
    assert flush_finished(moment) == FLUSH_SECONDS - 2
    assert flush_finished(moment) == 0
    row.refresh_from_db()
    assert (row.hits, row.last_at) == (FLUSH_SECONDS - 1, moment)


def test_the_next_slots_first_check_flushes_the_ones_before():
    certificate = issue(driver_with_licence())
    moment = datetime(2026, 3, 2, 9, 10, 1, tzinfo=UTC)
    for _ in range(3):
        lookup_count(
            outcome="found", certificate=certificate, client_hash="c1", now=moment, typed=False
        )
    later = moment + timedelta(seconds=FLUSH_SECONDS * UNFINISHED_SLOTS)

    lookup_count(outcome="malformed", client_hash="c2", typed=False, now=later)

    found = VerificationLookup.objects.get(outcome="found")
    assert (found.hits, found.last_at) == (3, moment)


def test_the_cache_forgetting_loses_only_repeats_not_yet_flushed():
    certificate = issue(driver_with_licence())
    moment = datetime(2026, 3, 2, 9, 10, 1, tzinfo=UTC)
    check = {"outcome": "found", "certificate": certificate, "client_hash": "c1", "typed": False}
    for _ in range(3):
        lookup_count(**check, now=moment)
    cache.clear()  # Redis restarted, say
    lookup_count(**check, now=moment + timedelta(seconds=1))
    flush_finished(moment)

    (row,) = VerificationLookup.objects.all()
    assert row.hits == 2


def test_checks_flushed_after_their_certificate_and_officer_are_deleted_keep_no_link():
    certificate = issue(driver_with_licence())
    officer = UserFactory()
    moment = datetime(2026, 3, 2, 9, 10, 1, tzinfo=UTC)
    for _ in range(3):
        lookup_count(
            outcome="found",
            certificate=certificate,
            officer=officer,
            client_hash="c1",
            typed=False,
            now=moment,
        )
    officer.delete()
    certificate.delete()

    assert flush_finished(moment) == 2

    rows = VerificationLookup.objects.values_list("certificate", "officer", "signed_in", "hits")
    assert sum(hits for *_, hits in rows) == 3
    assert {row[:3] for row in rows} == {(None, None, True)}


def test_a_learners_records_show_their_certificates_checks_flushed():
    certificate = issue(driver_with_licence())
    moment = timezone.now() - timedelta(minutes=1)
    for _ in range(4):
        lookup_count(
            outcome="found", certificate=certificate, client_hash="c1", typed=False, now=moment
        )

    (held,) = records_for(certificate.learner)["certificates"]

    assert [check["times"] for check in held["checks"]] == [4]


def test_the_log_keeps_exact_times_when_written_directly():
    """lookup_record is the database half: it adds to the hour's row, never moving
    last_at back."""
    key = CheckKey(outcome="malformed", client_hash="c1", typed=True)
    moment = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    lookup_record(key=key, now=moment + timedelta(minutes=5))
    lookup_record(key=key, now=moment, hits=4)
    (row,) = VerificationLookup.objects.all()
    assert (row.hits, row.at, row.last_at) == (
        5,
        moment + timedelta(minutes=5),
        moment + timedelta(minutes=5),
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_of_one_code_count_in_one_row(on_postgres):
    certificate = issue(driver_with_licence())
    moment = datetime(2026, 3, 2, 9, 10, 1, tzinfo=UTC)

    counted = run_at_once(
        lambda i: lookup_count(
            outcome="found",
            certificate=certificate,
            client_hash="same-phone",
            typed=False,
            now=moment + timedelta(seconds=i % 3),
        ),
        count=12,
    )
    flushed = run_at_once(lambda i: flush_finished(moment), count=4)

    assert counted == [None] * 12
    assert sorted(flushed) == [0, 0, 0, 11]
    (row,) = VerificationLookup.objects.all()
    assert row.hits == 12
    assert moment <= row.last_at <= moment + timedelta(seconds=2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_checks_in_the_database_count_in_one_row(on_postgres):
    key = CheckKey(outcome="not_found", client_hash="same-phone", typed=False)
    moment = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)

    results = run_at_once(
        lambda i: lookup_record(key=key, now=moment + timedelta(seconds=i)), count=12
    )

    assert results == [None] * 12
    (row,) = VerificationLookup.objects.all()
    assert row.hits == 12
    assert row.last_at == moment + timedelta(seconds=11)
