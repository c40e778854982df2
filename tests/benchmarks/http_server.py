"""The HTTP benchmark's server: production settings served by gunicorn over plain http on
127.0.0.1 (as tests/load/lib.sh serves them), on a database and a cache key prefix of the
run's own, all removed again however the run ends."""

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from http_load import WRK, BenchmarkFailed, fetch

from certificates.keys import key_generate_pem

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.benchmarks.http_settings"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
STARTUP_SECONDS = 90
# Settings the benchmark chooses itself: none may leak in from the caller's environment.
SITE_VARIABLES = (
    "DATABASE_URL",
    "DATABASE_POOL",
    "SQLITE_PATH",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "CERTIFICATE_SIGNING_KEY",
    "CERTIFICATE_SIGNING_KEY_FILE",
    "RATE_LIMITS_PER_PROCESS",
    "TRUSTED_PROXY_COUNT",
    "EMAIL_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


@dataclass(frozen=True)
class Served:
    port: int
    database: str
    cache: str
    # What http_setup.py made: the measured pages' paths and the signed-in session cookie.
    prepared: dict


def tools_check() -> None:
    if not Path(WRK).exists():
        raise BenchmarkFailed(f"{WRK} is missing: apt-get install wrk")
    if importlib.util.find_spec("gunicorn") is None:
        raise BenchmarkFailed('gunicorn is missing: pip install -e ".[test]"')


def redis_url_choose() -> str:
    """BENCH_REDIS_URL, which must answer; else the local Redis if it answers; else none."""
    url = os.environ.get("BENCH_REDIS_URL", "")
    try:
        redis.Redis.from_url(url or DEFAULT_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if url:
            raise BenchmarkFailed(f"BENCH_REDIS_URL does not answer: {error}") from error
        return ""
    return url or DEFAULT_REDIS_URL


def cache_keys_delete(*, redis_url: str, key_prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def server_environment(
    *, workdir: Path, database_url: str, redis_url: str, key_prefix: str
) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        SECRET_KEY=secrets.token_urlsafe(50),
        CERTIFICATE_SIGNING_KEY=key_generate_pem(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PUBLIC_BASE_URL="https://training.example.gov.uk",
        # Plain http on 127.0.0.1: no redirect to https; the clients send the Secure
        # session cookie back themselves.
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    if redis_url:
        env.update(REDIS_URL=redis_url, CACHE_KEY_PREFIX=key_prefix)
    else:
        env["RATE_LIMITS_PER_PROCESS"] = "true"
    return env


def data_prepare(*, env: dict[str, str], workdir: Path) -> dict:
    """collectstatic alongside http_setup.py (the database, the data and the session): two
    processes, so two cores share the wait."""
    with (workdir / "collectstatic.log").open("wb") as log:
        collectstatic = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        setup = subprocess.run(  # noqa: S603 (this interpreter, a file of ours)
            [sys.executable, str(Path(__file__).with_name("http_setup.py"))],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if setup.returncode != 0:
            raise BenchmarkFailed(f"http_setup.py failed:\n{setup.stderr}")
        if collectstatic.wait() != 0:
            log_text = (workdir / "collectstatic.log").read_text(errors="replace")
            raise BenchmarkFailed(f"collectstatic failed:\n{log_text}")
    finally:
        if collectstatic.poll() is None:
            collectstatic.kill()
            collectstatic.wait()
    return json.loads(setup.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_start(*, env: dict[str, str], port: int, workers: int, log: Path):
    """gunicorn in a session of its own, so that stopping its group stops every worker."""
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "training_site.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--error-logfile=-",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def gunicorn_stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


def healthy_wait(*, server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkFailed("gunicorn exited while starting.")
        try:
            if fetch(port=port, path="/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise BenchmarkFailed(f"gunicorn did not answer /healthz within {STARTUP_SECONDS} s.")


def log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def site_served(*, workers: int) -> Iterator[Served]:
    """The prepared site under gunicorn. A failure inside carries the server's log; on the
    way out (errors and Ctrl-C included) the server, the run's cache keys and its folder
    go."""
    tools_check()
    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    redis_url = redis_url_choose()
    key_prefix = f"bench-http-{secrets.token_hex(6)}"
    workdir = Path(tempfile.mkdtemp(prefix="spot-the-signs-http-bench-"))
    server_log = workdir / "gunicorn.log"
    server = None
    try:
        env = server_environment(
            workdir=workdir, database_url=database_url, redis_url=redis_url, key_prefix=key_prefix
        )
        prepared = data_prepare(env=env, workdir=workdir)
        port = free_port()
        server = gunicorn_start(env=env, port=port, workers=workers, log=server_log)
        healthy_wait(server=server, port=port)
        yield Served(
            port=port,
            database="postgresql" if database_url else "sqlite",
            cache="redis" if redis_url else "local memory",
            prepared=prepared,
        )
    except BenchmarkFailed as failure:
        log = log_tail(server_log)
        message = f"{failure}\n--- gunicorn log ---\n{log}" if log else str(failure)
        raise BenchmarkFailed(message) from None
    finally:
        if server is not None:
            gunicorn_stop(server)
        if redis_url:
            cache_keys_delete(redis_url=redis_url, key_prefix=key_prefix)
        shutil.rmtree(workdir, ignore_errors=True)
