"""Reports at scale: `synthesise` builds the learners, then each figure is timed as its viewer
would see it. Called by run.py; `python tests/benchmarks/reports.py export` is the child
process that measures an export's peak memory on its own, unclouded by the data build.

    BENCH_DATABASE_URL=postgres://... python tests/benchmarks/reports.py reuse [--rounds N]

times the reports alone against a database a previous run left behind, building the
synthetic learners only if they are not there yet: minutes instead of the whole run.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from signed_qr import status_list_figures

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def staff_client(*, email: str, role: str, **place):
    from django.test import Client

    from tests.people.sessions import sign_in_past_two_step
    from training_site.people import services
    from training_site.people.models import User

    user, _ = User.objects.get_or_create(email=email)
    services.role_grant(user=user, role=role, **place)
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_past_two_step(client, user)
    return client


def timed(call, rounds: int) -> list[float]:
    call()  # warm up
    durations = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = call()
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return durations


SEED = 1


def synthetic_already_built():
    """The counts of the learners an earlier run synthesised with SEED, or None."""
    from certificates.models import Certificate
    from courses.models import Attempt, Enrolment, LessonCompletion
    from training_site.people.models import User
    from training_site.reports.synthetic import Counts, synthetic_email_prefix

    prefix = synthetic_email_prefix(f"{SEED:06X}")
    learners = User.objects.filter(email__startswith=prefix).count()
    if not learners:
        return None
    theirs = {"learner__email__startswith": prefix}
    return Counts(
        learners=learners,
        enrolments=Enrolment.objects.filter(**theirs).count(),
        lesson_completions=LessonCompletion.objects.filter(**theirs).count(),
        attempts=Attempt.objects.filter(**theirs).count(),
        certificates=Certificate.objects.filter(**theirs).count(),
    )


def reports_figures(*, learners: int, rounds: int, percentile, reuse: bool = False) -> dict:
    from training_site.people.models import Borough, Licence, Partnership
    from training_site.people.roles import Role
    from training_site.reports.synthetic import synthesise

    started = time.perf_counter()
    counts = synthetic_already_built() if reuse else None
    if counts is None:
        counts = synthesise(learners=learners, seed=SEED)
    build_seconds = time.perf_counter() - started
    kirklees = Borough.objects.get(slug="kirklees")
    west_yorkshire = Partnership.objects.get(slug="west-yorkshire")
    lead = staff_client(email="lead@bench.invalid", role=Role.BOROUGH_LEAD, borough=kirklees)
    partnership = staff_client(
        email="partnership@bench.invalid", role=Role.PARTNERSHIP_LEAD, partnership=west_yorkshire
    )
    officer = staff_client(
        email="officer@bench.invalid", role=Role.LICENSING_OFFICER, borough=kirklees
    )
    numbers = list(
        Licence.objects.filter(authority=kirklees).values_list("number", flat=True)[:490]
    ) + [f"NOSUCH{n}" for n in range(10)]
    borough_ms = timed(lambda: lead.get("/staff/reports/"), rounds)
    partnership_ms = timed(lambda: partnership.get("/staff/reports/"), rounds)
    batch_ms = timed(
        lambda: officer.post(
            "/staff/licences/batch/", {"authority": kirklees.pk, "numbers": "\n".join(numbers)}
        ),
        rounds,
    )
    export = export_in_child()
    return {
        **status_list_figures(),
        "synthetic_learners": counts.learners,
        "synthetic_progress_rows": counts.progress_rows,
        "synthetic_enrolments": counts.enrolments,
        "synthetic_lesson_completions": counts.lesson_completions,
        "synthetic_attempts": counts.attempts,
        "synthetic_certificates": counts.certificates,
        "synthetic_build_seconds": round(build_seconds, 1),
        "borough_dashboard_p50_ms": round(percentile(borough_ms, 0.5), 1),
        "borough_dashboard_p95_ms": round(percentile(borough_ms, 0.95), 1),
        "partnership_dashboard_p50_ms": round(percentile(partnership_ms, 0.5), 1),
        "partnership_dashboard_p95_ms": round(percentile(partnership_ms, 0.95), 1),
        "batch_check_500_p50_ms": round(percentile(batch_ms, 0.5), 1),
        "batch_check_500_p95_ms": round(percentile(batch_ms, 0.95), 1),
        **export,
    }


def export_in_child() -> dict:
    result = subprocess.run(  # noqa: S603 - this interpreter running this file
        [sys.executable, __file__, "export"],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def memory_mb(field: str) -> float:
    """This process's own memory from /proc (VmHWM: its peak resident size). getrusage's
    ru_maxrss would carry over the parent's peak across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def export_child() -> None:
    """Stream every enrolment of the largest borough as CSV, as an administrator would."""
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from courses.models import Enrolment
    from tests.people.sessions import sign_in_past_two_step
    from training_site.people.models import LearnerProfile, User

    # People are listed one borough at a time (never across boroughs): the largest one.
    largest = (
        LearnerProfile.objects.values("home_borough")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["home_borough"]
    )
    admin, _ = User.objects.get_or_create(
        email="admin@bench.invalid", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_past_two_step(client, admin)
    # The export counts everyone tied to the borough (home, workplace, licence): at least
    # every enrolment of the people who live there.
    living_there = Enrolment.objects.filter(learner__profile__home_borough=largest).count()
    before = memory_mb("VmHWM")
    # Most of the peak is the site itself (Django, Wagtail and every app, imported by the
    # first request), not the export: a refused request loads it all, so the export's own
    # share can be told apart.
    assert client.get("/staff/reports/list/export.csv?figure=none").status_code == 400
    loaded = memory_mb("VmHWM")
    started = time.perf_counter()
    response = client.get(f"/staff/reports/list/export.csv?figure=enrolled&borough={largest}")
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    print(
        json.dumps(
            {
                "export_rows": lines - 1,
                "export_home_borough_enrolments": living_there,
                "export_mb": round(size / 1e6, 1),
                "export_seconds": round(seconds, 1),
                "export_peak_rss_mb": round(peak, 1),
                "export_peak_rss_before_export_mb": round(before, 1),
                "export_peak_rss_site_loaded_mb": round(loaded, 1),
                "export_peak_rss_growth_mb": round(peak - loaded, 1),
            }
        )
    )


def reuse_main() -> None:
    """Time the reports on the database BENCH_DATABASE_URL names, keeping what is there."""
    parser = argparse.ArgumentParser(description="Time the reports on a database kept as is.")
    parser.add_argument("mode", choices=["reuse"])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--learners", type=int, default=100_000)
    args = parser.parse_args()
    from run import configure, percentile

    configure(os.environ.get("BENCH_DATABASE_URL", ""))
    from django.core.management import call_command

    from courses.models import CoursePage

    call_command("migrate", verbosity=0, interactive=False)
    if not CoursePage.objects.exists():
        call_command("load_content", verbosity=0, stdout=io.StringIO())
    figures = reports_figures(
        learners=args.learners, rounds=args.rounds, percentile=percentile, reuse=True
    )
    print(json.dumps(figures))


if __name__ == "__main__" and sys.argv[1:] == ["export"]:
    export_child()
elif __name__ == "__main__":
    reuse_main()
