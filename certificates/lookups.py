"""The log of certificate checks (VerificationLookup): one row for each client, certificate,
result and hour, counting its checks, without a database write for every request.

A QR code opened over and over (a phone re-opening the page, a busy rank, a script walking
codes) is counted in the cache, in slots of FLUSH_SECONDS:

- the first check of a row's key in a slot is written at once, so a single check is never
  lost, its row exists straight away, and `last_at` is a real check's time;
- any more in that slot only add to the slot's count in the cache (one INCR), and the key
  is listed in the slot's index the first time that happens;
- once the slot is over, with a slot's grace for requests still under way, the first check
  written after it, `manage.py certificates flush-checks` or the learner's records page
  adds each listed key's further checks to its row (`lookups_flush`). Each slot is claimed
  with cache.add, so its counts are written exactly once, however many flush at once.

So a row's `hits` can lag its real count by up to two slots (20 s) until something flushes,
and its `last_at` is the first check of its latest slot, at most FLUSH_SECONDS early. If the
cache loses its contents (Redis restarted, or each server falling back to its own memory),
the repeated checks of the slots not yet flushed are lost: at most the last 20 s or so of
them. First checks are always in the database. Slots nobody flushes within
PENDING_KEEP_SECONDS are dropped by the cache.
"""

from collections import Counter
from dataclasses import astuple, dataclass, replace
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from training_site.people.models import User

from .models import Certificate, VerificationLookup

# Slots divide an hour exactly, so a slot's checks always fall in one row's hour.
FLUSH_SECONDS = 10
# Slots still being counted: the current one and, for requests under way, the one before.
UNFINISHED_SLOTS = 2
PENDING_KEEP_SECONDS = 3600
PENDING_KEEP_SLOTS = PENDING_KEEP_SECONDS // FLUSH_SECONDS
CACHE_PREFIX = "certificates:checks"
# The last slot flushed, so a flush looks only at the slots since.
FLUSHED_THROUGH_KEY = f"{CACHE_PREFIX}:flushed-through"


@dataclass(frozen=True)
class CheckKey:
    """What one row counts, less its hour."""

    outcome: str
    client_hash: str
    typed: bool
    certificate_id: int | None = None
    officer_id: int | None = None
    signed_in: bool = False

    def counter(self, slot: int) -> str:
        return (
            f"{CACHE_PREFIX}:{slot}:{self.outcome}:{int(self.typed)}:{int(self.signed_in)}:"
            f"{self.certificate_id or 0}:{self.officer_id or 0}:{self.client_hash}"
        )


def cache_count(key: str, *, timeout: int) -> int:
    """Add one to a count in the cache, starting it for `timeout` seconds if there is none,
    and return the count: atomic (INCR on Redis), so no two callers get the same number
    while the count lasts."""
    while True:
        try:
            return cache.incr(key)
        except ValueError:
            if cache.add(key, 1, timeout=timeout):
                return 1
        # Someone else started it and it expired at once: count again.


def lookup_window_start(moment: datetime) -> datetime:
    """The start of the hour (UTC) a check falls in: a client's checks of one certificate
    with one result in that hour are counted in one row."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // FLUSH_SECONDS


def slot_start(slot: int) -> datetime:
    return datetime.fromtimestamp(slot * FLUSH_SECONDS, UTC)


def index_size_key(slot: int) -> str:
    return f"{CACHE_PREFIX}:{slot}:index"


def index_entry_key(slot: int, number: int) -> str:
    return f"{CACHE_PREFIX}:{slot}:index:{number}"


def lookup_record(*, key: CheckKey, now: datetime, hits: int = 1) -> None:
    """Write checks to the database: add them to their hour's row, or start that row.
    Concurrent first checks meet at the row's unique constraint, and the loser counts
    itself in the winner's row, so no check is lost or logged twice. `last_at` only moves
    forward."""
    row = {
        "client_hash": key.client_hash,
        "outcome": key.outcome,
        "typed": key.typed,
        "certificate_id": key.certificate_id,
        "officer_id": key.officer_id,
        "signed_in": key.signed_in,
        "window_start": lookup_window_start(now),
    }
    counted = VerificationLookup.objects.filter(**row)
    add = {"hits": F("hits") + hits, "last_at": Greatest("last_at", Value(now))}
    if counted.update(**add):
        return
    try:
        with transaction.atomic():
            VerificationLookup.objects.create(**row, hits=hits, at=now, last_at=now)
    except IntegrityError:
        counted.update(**add)


def lookup_count(
    *,
    outcome: str,
    client_hash: str,
    typed: bool,
    certificate: Certificate | None = None,
    officer: User | None = None,
    now: datetime | None = None,
) -> None:
    """Log one check: in the database if it is its key's first in this slot (then flushing
    any finished slots), otherwise in the cache, for the flush."""
    now = now or timezone.now()
    key = CheckKey(
        outcome=outcome,
        client_hash=client_hash,
        typed=typed,
        certificate_id=certificate.pk if certificate is not None else None,
        officer_id=officer.pk if officer is not None else None,
        signed_in=officer is not None,
    )
    slot = slot_of(now)
    count = cache_count(key.counter(slot), timeout=PENDING_KEEP_SECONDS)
    if count == 1:
        lookup_record(key=key, now=now)
        lookups_flush(now=now)
    elif count == 2:
        number = cache_count(index_size_key(slot), timeout=PENDING_KEEP_SECONDS)
        cache.set(index_entry_key(slot, number), astuple(key), timeout=PENDING_KEEP_SECONDS)


def lookups_flush(*, now: datetime | None = None) -> int:
    """Write the checks counted in the cache in every finished slot to their rows, each
    slot once. Safe to run at any time and from many places at once; returns how many
    checks it wrote."""
    now = now or timezone.now()
    last_finished = slot_of(now) - UNFINISHED_SLOTS
    flushed_through = cache.get(FLUSHED_THROUGH_KEY)
    first = last_finished - PENDING_KEEP_SLOTS + 1
    if flushed_through is not None:
        first = max(first, flushed_through + 1)
    if first > last_finished:
        return 0
    slots = range(first, last_finished + 1)
    sizes = cache.get_many([index_size_key(slot) for slot in slots])
    written = sum(
        slot_flush(slot, size=sizes[index_size_key(slot)])
        for slot in slots
        if index_size_key(slot) in sizes
    )
    cache.set(FLUSHED_THROUGH_KEY, last_finished, timeout=None)
    return written


def slot_flush(slot: int, *, size: int) -> int:
    """One finished slot's counts, written by whoever claims the slot first."""
    if not cache.add(f"{CACHE_PREFIX}:{slot}:flushed", True, timeout=PENDING_KEEP_SECONDS):
        return 0
    entries = cache.get_many([index_entry_key(slot, n) for n in range(1, size + 1)])
    keys = [CheckKey(*entry) for entry in entries.values()]
    counts = cache.get_many([key.counter(slot) for key in keys])
    # The first check of each key in the slot is in the database already.
    pending = Counter(
        {key: counts[key.counter(slot)] - 1 for key in keys if counts.get(key.counter(slot), 1) > 1}
    )
    at = slot_start(slot)
    kept = links_kept(pending)
    # One transaction for the slot, its rows updated in one order whoever flushes, so two
    # flushes of different slots never wait on each other's locks in a cycle.
    with transaction.atomic():
        for key in sorted(kept, key=lambda key: key.counter(slot)):
            lookup_record(key=key, now=at, hits=kept[key])
    return pending.total()


def links_kept(pending: Counter[CheckKey]) -> Counter[CheckKey]:
    """The keys again, less any certificate or account deleted since their checks: the
    rows already written let go of them too (SET_NULL)."""
    certificate_ids = {key.certificate_id for key in pending} - {None}
    officer_ids = {key.officer_id for key in pending} - {None}
    certificates = set(
        Certificate.objects.filter(pk__in=certificate_ids).values_list("pk", flat=True)
        if certificate_ids
        else ()
    )
    officers = set(
        User.objects.filter(pk__in=officer_ids).values_list("pk", flat=True) if officer_ids else ()
    )
    kept: Counter[CheckKey] = Counter()
    for key, hits in pending.items():
        kept[
            replace(
                key,
                certificate_id=key.certificate_id if key.certificate_id in certificates else None,
                officer_id=key.officer_id if key.officer_id in officers else None,
            )
        ] += hits
    return kept
