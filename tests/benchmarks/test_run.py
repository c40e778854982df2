"""The benchmark is an interface (`python tests/benchmarks/run.py --json`): it must keep
running and printing one JSON object. Sizes and query counts are budgets, not timings."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSON_PAGE_BUDGET_KB = 60


def test_benchmark_prints_one_json_object_within_the_page_budgets():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "BENCH_DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "tests/benchmarks/run.py",
            "--json",
            "--rounds",
            "3",
            "--pdf-renders",
            "20",
            "--learners",
            "300",
            "--password-checks",
            "2",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    # 6, as tests/courses/test_queries.py counts them: the session, the account and its
    # staff-role check, the page (home/routing.py), then the learner's profile and lessons
    # done; the course's outline and the lesson's body come from the cache.
    assert figures["lesson_page_queries"] <= 6
    assert figures["lesson_page_transfer_gzip_kb"] <= LESSON_PAGE_BUDGET_KB
    assert figures["lesson_page_p95_ms"] > 0
    assert figures["verify_page_queries"] <= 5
    assert figures["pdf_renders"] == 20
    assert figures["pdf_first_p50_ms"] > 0
    assert 0 < figures["qr_payload_bytes"] < figures["qr_text_chars"]
    assert figures["qr_version"] <= 15
    assert figures["qr_offline_check_p50_ms"] > 0
    assert figures["status_list_certificates"] > 0
    assert figures["status_list_bytes"] > 0
    assert figures["cards_drawn"] >= 6
    assert figures["card_pdf_p95_ms"] > 0
    assert figures["synthetic_learners"] == 300
    assert figures["export_rows"] >= figures["export_home_borough_enrolments"] > 0
    assert figures["borough_dashboard_p95_ms"] > 0
    assert figures["password_check_argon2_ms"] > 0
    assert figures["password_check_pbkdf2_sha256_ms"] > 0
