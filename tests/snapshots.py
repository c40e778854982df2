"""Databases built once per test session, for the tests that need a lot of data.

Loading the real content (or building the reports' small world) takes seconds; doing it
for every test that reads it made up much of the suite's time. Instead, the first test
that asks for such data builds it once, committed, in a copy of the freshly migrated test
database (the snapshot's template). Every test that asks for it then runs on a working
copy of that template, in its own transaction rolled back at the end as usual, so it sees
exactly the built data and nothing another test did. A transactional test (browser
journeys, concurrency) empties the tables it ran on, so the working copy is copied afresh
from the template before the next test that needs it. Tests that ask for no snapshot run
on the ordinary, empty test database, as before.

Copies are cheap: SQLite's backup API, or PostgreSQL's CREATE DATABASE ... TEMPLATE.
The connection is pointed at the right database before pytest-django opens the test's
transaction (see `_django_db_helper` in tests/conftest.py), and pointed back afterwards.
"""

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

BUILDERS: dict[str, Callable[[], Any]] = {}
EXTENDS: dict[str, str] = {}


def snapshot_fixture(name: str, build: Callable[[], Any], *, extends: str | None = None):
    """A fixture called `name` (ending in _snapshot): the test runs on a database holding
    what `build()` made (built once per session), and gets `build()`'s return value (keep
    it to plain data, such as primary keys, and fetch fresh objects from it in each test).

    A snapshot that `extends` another builds everything the other does, and returns at
    least the same keys: a test asking for both runs on the extension."""
    # The connection is switched by fixture name (tests/conftest.py), so the name must not
    # be one a test module could also give a fixture of its own.
    if not name.endswith("_snapshot") or name in BUILDERS:
        raise ValueError(f"a snapshot fixture's name ends in _snapshot and is unique: {name}")
    BUILDERS[name] = build
    if extends:
        EXTENDS[name] = extends

    @pytest.fixture(name=name)
    def snapshot(db, _snapshot_database):
        return _snapshot_database

    snapshot.__doc__ = build.__doc__
    return snapshot


def snapshot_wanted(fixturenames) -> list[str]:
    """The snapshots a test asks for, leaving out those another one it asks for extends."""
    wanted = [name for name in BUILDERS if name in fixturenames]
    extended = set()
    for name in wanted:
        while name in EXTENDS:
            name = EXTENDS[name]
            extended.add(name)
    return [name for name in wanted if name not in extended]


@dataclass
class Snapshot:
    name: str
    build: Callable[[], Any]
    built_on: date | None = None
    result: Any = None
    working_copy_fresh: bool = False


@dataclass
class SnapshotDatabases:
    """The copies of one connection's test database, made and dropped by this session."""

    connection: Any
    main: str = ""
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    made: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.main = self.connection.settings_dict["NAME"]
        # The empty, migrated database every snapshot starts from, copied before any
        # test has run (a transactional test would leave it flushed, not as migrated).
        self._copy(self.main, self._name("base"))

    def enter(self, name: str) -> Any:
        """Point the connection at a fresh copy of the snapshot `name`; its build's result."""
        from django.db import transaction
        from django.utils import timezone

        snapshot = self.snapshots.setdefault(name, Snapshot(name=name, build=BUILDERS[name]))
        try:
            if snapshot.built_on != timezone.localdate():
                # Built on another day (or never): dates in the data are relative to today.
                snapshot.built_on = None
                self._copy(self._name("base"), self._name(name))
                self._point_at(self._name(name))
                with transaction.atomic():
                    snapshot.result = snapshot.build()
                snapshot.built_on = timezone.localdate()
                snapshot.working_copy_fresh = False
            if not snapshot.working_copy_fresh:
                self._copy(self._name(name), self._name(f"{name}_work"))
                snapshot.working_copy_fresh = True
        except BaseException:
            self._point_at(self.main)
            raise
        self._point_at(self._name(f"{name}_work"))
        return snapshot.result

    def leave(self, name: str, *, emptied: bool) -> None:
        """Point the connection back at the ordinary test database."""
        self._point_at(self.main)
        if emptied:
            self.snapshots[name].working_copy_fresh = False

    def drop_all(self) -> None:
        self._point_at(self.main)
        for database in reversed(self.made):
            self._drop(database)
        self.made.clear()

    def _name(self, suffix: str) -> str:
        if self.connection.vendor == "sqlite":
            path = Path(self.main)
            return str(path.with_name(f"{path.stem}_{suffix}{path.suffix}"))
        return f"{self.main}_{suffix}"

    def _point_at(self, database: str) -> None:
        from django.contrib.contenttypes.models import ContentType

        connection = self.connection
        connection.close()
        if "pool" in connection.settings_dict.get("OPTIONS", {}):
            connection.close_pool()
        connection.settings_dict["NAME"] = database
        # Content types are cached by id, and ids differ between databases once a
        # transactional test has emptied one and migrations' signals made them again.
        ContentType.objects.clear_cache()

    def _copy(self, source: str, target: str) -> None:
        # Nobody may be connected to a PostgreSQL template; SQLite copies what is committed.
        self._point_at(self.main)
        self._drop(target)
        if self.connection.vendor == "sqlite":
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
        else:
            quote = self.connection.ops.quote_name
            with self.connection._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")
        if target not in self.made:
            self.made.append(target)

    def _drop(self, database: str) -> None:
        if self.connection.vendor == "sqlite":
            for path in (database, f"{database}-journal", f"{database}-wal", f"{database}-shm"):
                Path(path).unlink(missing_ok=True)
        else:
            quote = self.connection.ops.quote_name
            with self.connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(database)} WITH (FORCE)")
