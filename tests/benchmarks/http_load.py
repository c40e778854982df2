"""The HTTP benchmark's clients: wrk for closed-loop throughput, and a paced open-loop
client for latency at a fixed rate. Plain standard library: they stand outside the site."""

import http.client
import re
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

WRK = "/usr/bin/wrk"
# Long enough that a slow page is measured rather than counted as a timeout.
REQUEST_TIMEOUT_SECONDS = 10
LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class BenchmarkFailed(Exception):
    """The run measured something other than the pages answering: its figures are void."""


def load_average() -> float:
    """The machine's 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def fetch(*, port: int, path: str, cookie: str = "") -> tuple[int, str]:
    """One GET, redirects not followed: a signed-in page that sends you to sign in has
    failed, however well the sign-in page answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


@dataclass(frozen=True)
class WrkResult:
    requests: int
    requests_per_second: float
    p50_ms: float


def wrk_figure(pattern: str, output: str) -> re.Match:
    match = re.search(pattern, output, re.MULTILINE)
    if match is None:
        raise BenchmarkFailed(f"wrk printed no {pattern!r}:\n{output}")
    return match


def wrk_parse(output: str, *, url: str) -> WrkResult:
    """wrk's report, refused when any answer was not 2xx/3xx or any socket failed."""
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if failed:
        raise BenchmarkFailed(
            f"{url} answered {failed.group(1)} requests with an error status (4xx/5xx): "
            "the figures measure the error, not the page."
        )
    sockets = re.search(r"Socket errors: (.+)", output)
    if sockets:
        raise BenchmarkFailed(f"{url}: socket errors ({sockets.group(1)}).")
    p50 = wrk_figure(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output)
    return WrkResult(
        requests=int(wrk_figure(r"(\d+) requests in", output).group(1)),
        requests_per_second=float(wrk_figure(r"^Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=float(p50.group(1)) * LATENCY_UNITS_MS[p50.group(2)],
    )


def wrk_run(*, url: str, cookie: str, threads: int, connections: int, duration: int) -> WrkResult:
    command = [
        WRK,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        f"--timeout={REQUEST_TIMEOUT_SECONDS}s",
        "--latency",
    ]
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    finished = subprocess.run(  # noqa: S603 (wrk, with arguments of ours)
        [*command, url], capture_output=True, text=True, check=False, timeout=duration + 60
    )
    if finished.returncode != 0:
        raise BenchmarkFailed(f"wrk failed on {url}: {finished.stderr or finished.stdout}")
    result = wrk_parse(finished.stdout, url=url)
    if result.requests == 0:
        raise BenchmarkFailed(f"wrk completed no request to {url}.")
    return result


@dataclass(frozen=True)
class PacedResult:
    sent: int
    # Requests that got no answer in time (or none at all); their time so far counts in the
    # percentiles, as the least they took.
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def paced_run(*, port: int, path: str, cookie: str, rate: int, seconds: int) -> PacedResult:
    """Send GETs at a fixed rate, whatever the server does (open loop). Each latency runs
    from the request's scheduled send time, so a slow answer that delays the next request
    is counted against the server, not hidden (no coordinated omission). The pool may grow
    to one thread per request that could be in flight, so no slow answer holds up the
    schedule. Any answer but 200 voids the run."""
    latencies: list[float] = []
    errors: list[str] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def send(scheduled: float) -> None:
        status, error = 0, ""
        try:
            status, _ = fetch(port=port, path=path, cookie=cookie)
        except OSError as failure:
            error = f"{type(failure).__name__}: {failure}"
        elapsed_ms = (time.perf_counter() - scheduled) * 1000
        with lock:
            latencies.append(elapsed_ms)
            if error:
                errors.append(error)
            elif status != 200:
                statuses.append(status)

    with ThreadPoolExecutor(max_workers=rate * REQUEST_TIMEOUT_SECONDS) as pool:
        start = time.perf_counter()
        for index in range(rate * seconds):
            scheduled = start + index / rate
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            pool.submit(send, scheduled)
    if statuses:
        raise BenchmarkFailed(
            f"{path} answered {len(statuses)} of {len(latencies)} paced requests with an "
            f"error status (first {statuses[0]})."
        )
    if len(errors) == len(latencies):
        raise BenchmarkFailed(f"{path} answered none of the paced requests ({errors[0]}).")
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return PacedResult(
        sent=len(latencies),
        errors=len(errors),
        p50_ms=cuts[49],
        p95_ms=cuts[94],
        p99_ms=cuts[98],
    )
