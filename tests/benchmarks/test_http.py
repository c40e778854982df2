"""`python tests/benchmarks/run.py --http --json` is an interface too: it must keep starting
gunicorn, measuring every page and printing every figure. The figures are not judged here,
only that each one was measured."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.http_load import BenchmarkFailed, wrk_parse

ROOT = Path(__file__).resolve().parents[2]
WRK = Path("/usr/bin/wrk")
PAGES = (
    "lesson_anon",
    "catalogue_anon",
    "home_anon",
    "lesson",
    "dashboard",
    "verify",
    "quiz_attempt",
)
MEASURED = (
    "floor_rps",
    "floor_p50_ms",
    *(f"{page}_{figure}" for page in PAGES for figure in ("rps", "ratio", "p50_ms")),
    "lesson_p50_ms_at_50rps",
    "lesson_p95_ms_at_50rps",
    "lesson_p99_ms_at_50rps",
    "lesson_requests_at_50rps",
    "cpu_count",
)


WRK_REPORT = """Running 1s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Latency Distribution
     50%  {p50}
     75%   11.00ms
  812 requests in 1.00s, 1.00MB read
{errors}Requests/sec:    811.52
Transfer/sec:    100.00KB
"""


@pytest.mark.parametrize(("p50", "p50_ms"), [("950.00us", 0.95), ("9.80ms", 9.8), ("1.20s", 1200)])
def test_wrk_report_read_in_milliseconds(p50, p50_ms):
    result = wrk_parse(WRK_REPORT.format(p50=p50, errors=""), url="/")
    assert (result.requests, result.requests_per_second) == (812, 811.52)
    assert result.p50_ms == pytest.approx(p50_ms)


@pytest.mark.parametrize(
    "errors",
    [
        "  Non-2xx or 3xx responses: 3\n",
        "  Socket errors: connect 0, read 2, write 0, timeout 0\n",
    ],
)
def test_wrk_report_with_failed_requests_voids_the_run(errors):
    with pytest.raises(BenchmarkFailed):
        wrk_parse(WRK_REPORT.format(p50="9.80ms", errors=errors), url="/")


def tools_missing() -> str:
    if not WRK.exists():
        return f"{WRK} is missing (apt-get install wrk)"
    if importlib.util.find_spec("gunicorn") is None:
        return "gunicorn is not installed"
    return ""


def history_text() -> str | None:
    history = ROOT / "tests/benchmarks/history.jsonl"
    return history.read_text() if history.exists() else None


def test_http_benchmark_measures_every_page_and_prints_every_figure():
    missing = tools_missing()
    if missing and os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"CI runs the HTTP benchmark, but {missing}")
    if missing:
        pytest.skip(missing)
    history_before = history_text()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BENCH_DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "tests/benchmarks/run.py",
            "--http",
            "--json",
            "--duration=1",
            "--http-rounds=1",
            "--paced-seconds=2",
            "--workers=2",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in MEASURED:
        assert figures[key] > 0, key
    # Timeouts at 50 requests a second are a finding on a slow machine, not a failure.
    assert figures["lesson_errors_at_50rps"] >= 0
    assert figures["load_average_at_start"] >= 0
    assert figures["database"] == "sqlite"
    assert figures["cache"] in {"redis", "local memory"}
    # One load reading before each measured run: the floor and every page, then the paced one.
    assert len(figures["load_average_before"]) == 2 * len(PAGES) + 1
    assert (figures["workers"], figures["wrk_threads"], figures["wrk_connections"]) == (2, 2, 8)
    assert (figures["duration_s"], figures["rounds"], figures["paced_seconds"]) == (1, 1, 2)
    assert figures["python"] and figures["commit"] and figures["timestamp"]
    assert history_text() == history_before, "only --record writes the history"
