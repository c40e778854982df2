"""The scale-out checks that scale_out.sh runs against two app servers and their balancer.

1. Sign in on server A (by its own port), carry on on server B: the session is shared.
2. Five bad passwords for one address through the balancer (round robin, so both servers
   get some): the sixth attempt, and any after it, is refused on A and on B alike, since
   the login limits (ACCOUNT_RATE_LIMITS "login_failed", five per address) count in Redis.
3. A lesson published with a new title (an editor's publish from A's host, into the shared
   database) is seen through B and the balancer, with no stale copy on either server,
   although both answered visitors from the shared page cache just before.

Requests sent to A or B by port carry the balancer's Host header, as everything reaching
the servers does behind a real balancer: allauth keys the login limit by host name and
address, so a different Host would count apart.

Run with the rehearsal's settings in the environment (the publish uses the database).
Exits 1 if any check fails.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import django
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_site.settings.dev")
django.setup()

from courses.models import LessonPage  # noqa: E402 (needs django.setup())
from tests.load.browsing import LocalSecureCookies, Page  # noqa: E402

LOCKED_OUT = "Too many failed login attempts"
# Five failures are allowed (ACCOUNT_RATE_LIMITS "login_failed": 5/5m/key).
ALLOWED_FAILURES = 5


def browser(public_host: str) -> requests.Session:
    session = requests.Session()
    session.cookies = LocalSecureCookies()
    session.headers["Host"] = public_host
    return session


def login_form(session: requests.Session, base: str) -> dict[str, str]:
    return (
        Page(session.get(f"{base}/accounts/login/", timeout=30).text)
        .form("/accounts/login/")
        .fields
    )


def sign_in(session: requests.Session, base: str, fields: dict, email: str, password: str):
    """POST the sign-in form at `base`; the response, not followed."""
    return session.post(
        f"{base}/accounts/login/",
        data={**fields, "login": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )


class Checks:
    def __init__(self):
        self.failed = 0

    def expect(self, ok: bool, what: str) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        self.failed += not ok


def session_shared(checks: Checks, *, a: str, b: str, balancer: str, email: str, password: str):
    session = browser(urlsplit(balancer).netloc)
    response = sign_in(session, a, login_form(session, a), email, password)
    checks.expect(response.status_code == 302, f"signed in on A ({response.status_code})")
    on_b = session.get(f"{b}/dashboard/", allow_redirects=False, timeout=30)
    checks.expect(on_b.status_code == 200, f"the dashboard on B, same session ({on_b.status_code})")
    served = [
        session.get(f"{balancer}/dashboard/", allow_redirects=False, timeout=30) for _ in range(4)
    ]
    checks.expect(
        all(response.status_code == 200 for response in served),
        "four dashboards through the balancer, all signed in: served by "
        + ",".join(response.headers.get("X-Served-By", "?") for response in served),
    )


def sixth_login_refused(checks: Checks, *, a: str, b: str, balancer: str, email: str):
    session = browser(urlsplit(balancer).netloc)
    # One form, then only POSTs: round robin sends them to A and B in turn.
    fields = login_form(session, balancer)
    for attempt in range(1, ALLOWED_FAILURES + 1):
        response = sign_in(session, balancer, fields, email, "not-the-password")
        checks.expect(
            response.status_code != 302 and LOCKED_OUT not in response.text,
            f"bad password {attempt} refused as wrong, not locked "
            f"(server {response.headers.get('X-Served-By', '?')}, {response.status_code})",
        )
    for name, base in (("the balancer", balancer), ("A", a), ("B", b)):
        response = sign_in(session, base, fields, email, "not-the-password")
        checks.expect(
            LOCKED_OUT in response.text,
            f"a further bad password through {name} is locked out "
            f"(server {response.headers.get('X-Served-By', name)}, {response.status_code})",
        )


def publish_seen(checks: Checks, *, a: str, b: str, balancer: str):
    session = browser(urlsplit(balancer).netloc)
    lesson = LessonPage.objects.live().order_by("path").first()
    url = lesson.url
    # B renders the lesson first, and the shared page cache keeps it for visitors, so a
    # stale copy there would show.
    before = session.get(f"{b}{url}", timeout=30).text
    stamp = f"rehearsal {int(time.time())}"
    checks.expect(stamp not in before, "B shows the lesson before the publish")
    for name, base in (("A", a), ("B", b)):
        stored = session.get(f"{base}{url}", timeout=30).headers.get("X-Page-Cache")
        checks.expect(stored == "hit", f"{name} answers a visitor from the page cache ({stored})")
    lesson.title = f"{lesson.title} ({stamp})"
    lesson.save_revision().publish()
    for name, base in (("B", b), ("A", a), ("the balancer", balancer), ("the balancer", balancer)):
        response = session.get(f"{base}{url}", timeout=30)
        checks.expect(
            stamp in response.text,
            f"the new title through {name} "
            f"({response.headers.get('X-Served-By', name)}, {response.status_code})",
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=Path, required=True)
    parser.add_argument("--server-a", required=True)
    parser.add_argument("--server-b", required=True)
    parser.add_argument("--balancer", required=True)
    options = parser.parse_args()
    accounts = json.loads(options.accounts.read_text())
    servers = {"a": options.server_a, "b": options.server_b, "balancer": options.balancer}
    checks = Checks()
    session_shared(checks, **servers, email=accounts["drivers"][0], password=accounts["password"])
    sixth_login_refused(checks, **servers, email=accounts["drivers"][1])
    publish_seen(checks, **servers)
    print("Scale-out checks passed." if not checks.failed else f"{checks.failed} checks FAILED.")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
