"""`manage.py quickstart` is what a newcomer runs first: it must work on an empty
database and leave exactly the same data when run again."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SESSION_ONLY = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
SNAPSHOT_MODELS = [
    "people",
    "home",
    "auth.group",
    "wagtailcore.page",
    "wagtailcore.site",
    "wagtailcore.revision",
    "account.emailaddress",
    "mfa.authenticator",
    "courses",
    "certificates",
    "wagtailcore.workflow",
    "wagtailcore.workflowpage",
]


def manage(*args, database: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SESSION_ONLY}
    env.update(SQLITE_PATH=str(database), DJANGO_SETTINGS_MODULE="training_site.settings.dev")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(database: Path) -> list:
    dumped = manage("dumpdata", *SNAPSHOT_MODELS, "--indent", "0", database=database)
    return sorted(json.loads(dumped.stdout), key=lambda row: (row["model"], str(row["pk"])))


def test_quickstart_twice_leaves_the_same_data(tmp_path):
    database = tmp_path / "quickstart.sqlite3"
    first = manage("quickstart", "--no-serve", database=database)
    assert "demo accounts and 6 demo certificates ready" in first.stdout
    assert "spot-the-signs-demo" in first.stdout
    before = snapshot(database)
    assert any(row["model"] == "people.borough" for row in before)

    manage("quickstart", "--no-serve", database=database)
    assert snapshot(database) == before


def test_quickstart_refuses_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SESSION_ONLY}
    env.update(
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        DJANGO_SETTINGS_MODULE="training_site.settings.production",
        SECRET_KEY="p" * 20 + "q" * 20 + "r" * 20,
        ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "quickstart", "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "development settings only" in result.stderr
