"""The HTTP benchmark (`run.py --http`): the site as production serves it, measured from
outside.

It starts gunicorn with the production settings (plus a floor page, http_settings.py) on
127.0.0.1, drives each page with wrk and times the signed-in lesson page at a fixed rate.
Every page is measured straight after the floor, the cheapest page the same middleware
stack serves, and reported as a ratio to it: the machine's speed cancels out, so figures
from different machines and busy moments compare.

Named http_benchmark.py, not http.py: run.py's folder is first on sys.path, and a module
called http would hide the standard library's.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from http_load import BenchmarkFailed, fetch, load_average, paced_run, wrk_run
from http_server import site_served

ROOT = Path(__file__).resolve().parents[2]
HISTORY = Path(__file__).with_name("history.jsonl")
FLOOR_PATH = "/bench/floor/"
# Above this 1-minute load average the machine is busy with something else (2 cores).
QUIET_LOAD_AVERAGE = 1.2
PACED_RATE = 50
WARM_UP_SECONDS = 1
# The header's sign-out button: present on every page of a signed-in session, never on an
# anonymous one.
SIGNED_IN_MARK = "Sign out"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool


FLOOR = Page("floor", FLOOR_PATH, signed_in=False)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("HTTP benchmark (--http)")
    group.add_argument("--http", action="store_true", help="measure pages through gunicorn")
    group.add_argument("--workers", type=positive, default=4, help="gunicorn sync workers")
    group.add_argument("--threads", type=positive, default=2, help="wrk threads")
    group.add_argument("--connections", type=positive, default=8, help="wrk connections")
    group.add_argument("--duration", type=positive, default=10, help="seconds per wrk run")
    group.add_argument("--http-rounds", type=positive, default=3, help="rounds of floor and pages")
    group.add_argument(
        "--paced-seconds",
        type=positive,
        default=20,
        help=f"seconds of the signed-in lesson at {PACED_RATE} requests a second",
    )
    group.add_argument(
        "--record", action="store_true", help=f"append the figures to {HISTORY.name}"
    )


def pages_from(prepared: dict) -> list[Page]:
    return [
        Page("lesson_anon", prepared["lesson"], signed_in=False),
        Page("catalogue_anon", "/courses/", signed_in=False),
        Page("home_anon", "/", signed_in=False),
        Page("lesson", prepared["lesson"], signed_in=True),
        Page("dashboard", "/dashboard/", signed_in=True),
        Page("verify", prepared["verify"], signed_in=False),
        Page("quiz_attempt", prepared["quiz_attempt"], signed_in=True),
    ]


class Bench:
    """The running server's clients, noting the load average before each measured run."""

    def __init__(self, *, port: int, session_cookie: str, args: argparse.Namespace):
        self.port = port
        self.session_cookie = session_cookie
        self.args = args
        self.loads: list[float] = []

    def cookie(self, page: Page) -> str:
        return self.session_cookie if page.signed_in else ""

    def check(self, page: Page) -> None:
        """200, and signed in exactly when the page should be: else the run is void."""
        try:
            status, body = fetch(port=self.port, path=page.path, cookie=self.cookie(page))
        except OSError as error:
            raise BenchmarkFailed(f"{page.name} ({page.path}) did not answer: {error}") from error
        if status != 200:
            raise BenchmarkFailed(f"{page.name} ({page.path}) answered {status}, not 200.")
        if page.signed_in != (SIGNED_IN_MARK in body):
            state = "anonymous" if page.signed_in else "signed in"
            raise BenchmarkFailed(f"{page.name} ({page.path}) was served {state}.")

    def wrk(self, page: Page, *, duration: int, measured: bool = True):
        if measured:
            self.loads.append(load_average())
        return wrk_run(
            url=f"http://127.0.0.1:{self.port}{page.path}",
            cookie=self.cookie(page),
            threads=self.args.threads,
            connections=self.args.connections,
            duration=duration,
        )

    def paced(self, page: Page):
        self.loads.append(load_average())
        return paced_run(
            port=self.port,
            path=page.path,
            cookie=self.cookie(page),
            rate=PACED_RATE,
            seconds=self.args.paced_seconds,
        )


def measure(bench: Bench, pages: list[Page]) -> dict:
    """Rounds of (floor, page) pairs; each ratio divides by the floor measured just before."""
    for page in [FLOOR, *pages]:
        bench.check(page)
        bench.wrk(page, duration=WARM_UP_SECONDS, measured=False)  # every worker warm
    rps, p50, ratios = defaultdict(list), defaultdict(list), defaultdict(list)
    for _ in range(bench.args.http_rounds):
        for page in pages:
            floor = bench.wrk(FLOOR, duration=bench.args.duration)
            result = bench.wrk(page, duration=bench.args.duration)
            for name, outcome in ((FLOOR.name, floor), (page.name, result)):
                rps[name].append(outcome.requests_per_second)
                p50[name].append(outcome.p50_ms)
            ratios[page.name].append(result.requests_per_second / floor.requests_per_second)
    for page in pages:  # still 200, and the session still signed in
        bench.check(page)
    paced = bench.paced(next(page for page in pages if page.name == "lesson"))
    figures = {
        "floor_rps": round(statistics.median(rps[FLOOR.name]), 1),
        "floor_p50_ms": round(statistics.median(p50[FLOOR.name]), 2),
    }
    for page in pages:
        figures[f"{page.name}_rps"] = round(statistics.median(rps[page.name]), 1)
        figures[f"{page.name}_ratio"] = round(statistics.median(ratios[page.name]), 4)
        figures[f"{page.name}_p50_ms"] = round(statistics.median(p50[page.name]), 2)
    at_rate = f"at_{PACED_RATE}rps"
    figures.update(
        {
            f"lesson_p50_ms_{at_rate}": round(paced.p50_ms, 2),
            f"lesson_p95_ms_{at_rate}": round(paced.p95_ms, 2),
            f"lesson_p99_ms_{at_rate}": round(paced.p99_ms, 2),
            f"lesson_requests_{at_rate}": paced.sent,
            f"lesson_errors_{at_rate}": paced.errors,
        }
    )
    return figures


def git_commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (git from PATH)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "unknown"


def run(args: argparse.Namespace, *, load_at_start: float) -> dict:
    with site_served(workers=args.workers) as served:
        bench = Bench(port=served.port, session_cookie=served.prepared["session_cookie"], args=args)
        figures = measure(bench, pages_from(served.prepared))
    return {
        **figures,
        "load_average_at_start": load_at_start,
        "load_average_before": bench.loads,
        "cpu_count": os.cpu_count(),
        "database": served.database,
        "cache": served.cache,
        "workers": args.workers,
        "wrk_threads": args.threads,
        "wrk_connections": args.connections,
        "duration_s": args.duration,
        "rounds": args.http_rounds,
        "paced_seconds": args.paced_seconds,
        "python": sys.version.split()[0],
        "commit": git_commit(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def table(results: dict, page_names: list[str]) -> str:
    rows = [f"{'page':<16}{'req/s':>10}{'ratio to floor':>16}{'p50 ms':>10}"]
    for name in ["floor", *page_names]:
        ratio = results.get(f"{name}_ratio", 1.0)
        rows.append(
            f"{name:<16}{results[f'{name}_rps']:>10.1f}{ratio:>16.4f}"
            f"{results[f'{name}_p50_ms']:>10.1f}"
        )
    at_rate = f"at_{PACED_RATE}rps"
    loads = results["load_average_before"]
    return "\n".join(
        [
            f"HTTP benchmark: {results['database']}, {results['cache']} cache, "
            f"{results['workers']} gunicorn workers, wrk {results['wrk_threads']} threads x "
            f"{results['wrk_connections']} connections, {results['duration_s']} s runs, "
            f"medians of {results['rounds']} rounds",
            *rows,
            f"signed-in lesson at {PACED_RATE} req/s for {results['paced_seconds']} s "
            f"(open loop): p50 {results[f'lesson_p50_ms_{at_rate}']:.1f} ms, "
            f"p95 {results[f'lesson_p95_ms_{at_rate}']:.1f} ms, "
            f"p99 {results[f'lesson_p99_ms_{at_rate}']:.1f} ms, "
            f"{results[f'lesson_errors_{at_rate}']} timed out or failed",
            f"load average before runs {min(loads):.2f}-{max(loads):.2f} on "
            f"{results['cpu_count']} CPUs; commit {results['commit']}, {results['timestamp']}",
        ]
    )


def http_main(args: argparse.Namespace) -> int:
    load = load_average()
    if load >= QUIET_LOAD_AVERAGE:
        print(
            f"warning: the 1-minute load average is {load:.2f} (>= {QUIET_LOAD_AVERAGE}): "
            "something else is busy, so the figures will be low and noisy.",
            file=sys.stderr,
        )
    try:
        results = run(args, load_at_start=load)
    except BenchmarkFailed as failure:
        print(f"HTTP benchmark failed: {failure}", file=sys.stderr)
        return 1
    line = json.dumps(results)
    if args.record:
        with HISTORY.open("a") as history:
            history.write(line + "\n")
    page_names = [name.removesuffix("_ratio") for name in results if name.endswith("_ratio")]
    print(line if args.json else table(results, page_names))
    return 0
