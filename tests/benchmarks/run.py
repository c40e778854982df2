"""The project's benchmark: one command, figures printed as one JSON object.

    python tests/benchmarks/run.py --json

It builds a fresh database (SQLite in a temporary folder, or PostgreSQL when
BENCH_DATABASE_URL names a database it may empty), loads the real course content, and
measures what learners feel. Timings belong here, never in the tests.

    python tests/benchmarks/run.py --http --json

measures the pages through gunicorn instead, with production settings (http_benchmark.py).
"""

import argparse
import gzip
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from http_benchmark import add_arguments as add_http_arguments
from http_benchmark import http_main
from signed_qr import signed_qr_figures

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def configure(database_url: str) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="spot-the-signs-bench-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "training_site.settings.test"
    import logging

    import django

    django.setup()
    # Page-created log lines would drown the figures.
    logging.disable(logging.WARNING)


def prepare() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from courses.models import CoursePage
    from training_site.people import services
    from training_site.people.models import Audience, Borough, User

    if connection.vendor == "postgresql":
        # BENCH_DATABASE_URL names a database the benchmark owns: start it empty.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_content", verbosity=0, stdout=io.StringIO())
    kirklees = Borough.objects.get(slug="kirklees")
    learner = User.objects.create_user(email="bench@example.org", password="bench-password-1")
    services.profile_save(
        user=learner,
        full_name="Bench Learner",
        audience=Audience.objects.get(slug="taxi-private-hire"),
        home_borough=kirklees,
    )
    services.licence_add(holder=learner, authority=kirklees, number="BENCH1")
    services.onboarding_finish(user=learner)
    course = CoursePage.objects.get(slug="taxi-and-private-hire")
    return {"learner": learner, "course": course}


def timed_get(client, url: str, rounds: int) -> tuple[list[float], bytes, int]:
    from django.db import connection, reset_queries

    client.get(url)  # warm caches as a running server would have them
    durations = []
    queries = 0
    body = b""
    for _ in range(rounds):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content
        queries = len(connection.queries)
    return durations, body, queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def static_assets_gzip_bytes(html: bytes) -> int:
    """Gzipped size of the stylesheets and scripts the page links to."""
    import re

    from django.contrib.staticfiles import finders

    total = 0
    for path in re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        found = finders.find(path.decode())
        total += len(gzip.compress(Path(found).read_bytes(), compresslevel=6))
    return total


def lesson_page_figures(state: dict, rounds: int) -> dict:
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    client.force_login(state["learner"])
    lesson = state["course"].lessons[1]
    with override_settings(DEBUG=True):  # records the queries
        durations, html, queries = timed_get(client, lesson.url, rounds)
    html_gzip = len(gzip.compress(html, compresslevel=6))
    assets_gzip = static_assets_gzip_bytes(html)
    return {
        "lesson_page_p50_ms": round(statistics.median(durations), 2),
        "lesson_page_p95_ms": round(percentile(durations, 0.95), 2),
        "lesson_page_queries": queries,
        "lesson_page_html_gzip_bytes": html_gzip,
        "lesson_page_css_js_gzip_bytes": assets_gzip,
        "lesson_page_transfer_gzip_kb": round((html_gzip + assets_gzip) / 1024, 1),
    }


def course_pages_figures(state: dict, rounds: int) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(state["learner"])
    catalogue, _, _ = timed_get(client, "/courses/", rounds)
    course, _, _ = timed_get(client, state["course"].url, rounds)
    return {
        "catalogue_p95_ms": round(percentile(catalogue, 0.95), 2),
        "course_page_p95_ms": round(percentile(course, 0.95), 2),
    }


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def certificate_figures(state: dict, rounds: int, pdf_renders: int) -> dict:
    """PDF rendering (QR included) and the verification page an officer's phone opens."""
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from certificates.pdf import certificate_pdf
    from certificates.services import certificate_issue
    from courses.services import certified

    certificate = certificate_issue(
        learner=state["learner"],
        course=certified(state["course"]),
        completion_ref="bench:1",
        completed_at=timezone.now(),
    )
    durations = []
    for _ in range(10):
        certificate_pdf(certificate)  # warm: imports, fonts
    memory_after_warm = resident_mb()
    checkpoint = None
    for index in range(pdf_renders):
        started = time.perf_counter()
        certificate_pdf(certificate)
        durations.append((time.perf_counter() - started) * 1000)
        if index == pdf_renders // 10:
            checkpoint = resident_mb()
    memory_end = resident_mb()
    # The QR code is kept per certificate (pdf.certificate_qr): a certificate's first PDF,
    # its email's, also signs and draws it.
    first_renders = []
    for _ in range(max(1, pdf_renders // 10)):
        cache.clear()
        started = time.perf_counter()
        certificate_pdf(certificate)
        first_renders.append((time.perf_counter() - started) * 1000)
    with override_settings(DEBUG=True):
        verify, _, queries = timed_get(Client(), f"/verify/{certificate.code}/", rounds)
    return {
        **signed_qr_figures(certificate, rounds),
        "pdf_renders": pdf_renders,
        "pdf_p50_ms": round(statistics.median(durations), 2),
        "pdf_p95_ms": round(percentile(durations, 0.95), 2),
        "pdf_first_p50_ms": round(statistics.median(first_renders), 2),
        "pdf_first_p95_ms": round(percentile(first_renders, 0.95), 2),
        "pdf_rss_after_warmup_mb": round(memory_after_warm, 1),
        "pdf_rss_growth_last_90pct_mb": round(memory_end - (checkpoint or memory_end), 1),
        "verify_page_p95_ms": round(percentile(verify, 0.95), 2),
        "verify_page_queries": queries,
    }


def card_figures(state: dict, rounds: int) -> dict:
    """Printable cards, drawn afresh (the site keeps each drawn card in its cache): every
    audience's card for one borough, both sizes, whole request through the view."""
    from django.core.cache import cache
    from django.test import Client

    from courses.cards.content import card_choices
    from courses.cards.links import card_pdf_url

    audiences, _ = card_choices()
    urls = [
        card_pdf_url(audience_slug=slug, borough_slug="kirklees", paper=paper)
        for slug, _ in audiences
        for paper in ("a6", "a5")
    ]
    client = Client()
    for url in urls:
        client.get(url)  # warm: imports, fonts
    durations = []
    for _ in range(max(1, rounds // 5)):
        for url in urls:
            cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            durations.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return {
        "cards_drawn": len(durations),
        "card_pdf_p50_ms": round(statistics.median(durations), 2),
        "card_pdf_p95_ms": round(percentile(durations, 0.95), 2),
    }


def password_figures(checks: int) -> dict:
    """What one password sign-in spends hashing, with the production settings' hasher and
    with the PBKDF2 it replaced (the tests' settings use a fast one)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils.module_loading import import_string

    from training_site.settings import base

    figures = {}
    for hasher in (PBKDF2PasswordHasher(), import_string(base.PASSWORD_HASHERS[0])()):
        encoded = hasher.encode("bench-password-1", hasher.salt())
        durations = []
        for _ in range(checks):
            started = time.perf_counter()
            assert hasher.verify("bench-password-1", encoded)
            durations.append((time.perf_counter() - started) * 1000)
        figures[f"password_check_{hasher.algorithm}_ms"] = round(statistics.median(durations), 1)
    return figures


FIGURES = [lesson_page_figures, course_pages_figures, card_figures]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object (default)")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--pdf-renders", type=int, default=1000)
    parser.add_argument("--password-checks", type=int, default=10)
    parser.add_argument(
        "--learners",
        type=int,
        default=100_000,
        help="synthetic learners for the report figures (0 skips them)",
    )
    add_http_arguments(parser)
    args = parser.parse_args()
    if args.http:
        return http_main(args)
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    configure(database_url)
    state = prepare()
    from django.db import connection

    results = {
        "database": connection.vendor,
        "python": sys.version.split()[0],
        "rounds": args.rounds,
    }
    for figure in FIGURES:
        results.update(figure(state, args.rounds))
    results.update(certificate_figures(state, args.rounds, args.pdf_renders))
    results.update(password_figures(args.password_checks))
    if args.learners:
        from reports import reports_figures

        results.update(
            reports_figures(learners=args.learners, rounds=args.rounds, percentile=percentile)
        )
    print(json.dumps(results, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
