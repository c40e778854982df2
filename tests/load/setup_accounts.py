"""Make the accounts a load rehearsal signs in with, and write what its clients need.

    python tests/load/setup_accounts.py --drivers 150 --officers 40 --out accounts.json

Run with the rehearsal's settings in the environment (DJANGO_SETTINGS_MODULE, DATABASE_URL)
after `manage.py load_content`. Safe to run again. Adds the quick start's demo accounts and
certificates (a certificate in every state for officers to verify), load drivers with
licences, and licensing officers with TOTP. The JSON it writes holds the shared password,
the officers' TOTP secrets and the taxi test's answer key: rehearsal data, never a real
site's.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_site.settings.dev")
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402 (needs django.setup())
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value  # noqa: E402
from allauth.mfa.utils import decrypt  # noqa: E402

from certificates.models import Certificate  # noqa: E402
from courses.models import CoursePage, Question  # noqa: E402
from tests.load.browsing import TOTP_PERIOD, question_key, totp_now  # noqa: E402
from training_site.demo import demo_accounts_create, demo_certificates_create  # noqa: E402
from training_site.fixtures import fixture_read  # noqa: E402
from training_site.people.models import Licence  # noqa: E402

# One password for every load account: they live only in a throwaway rehearsal database.
LOAD_PASSWORD = "load-rehearsal-password"
COURSE_SLUG = "taxi-and-private-hire"
BOROUGH = "kirklees"


def driver_email(index: int) -> str:
    return f"load-driver-{index:04d}@example.org"


def officer_email(index: int) -> str:
    return f"load-officer-{index:03d}@example.org"


def load_accounts(*, drivers: int, officers: int) -> dict:
    """Everything in the shape demo_accounts_create reads, so load accounts are made the
    way the quick start's are."""
    return {
        "password": LOAD_PASSWORD,
        "organisations": [],
        "learners": [
            {
                "email": driver_email(index),
                "full_name": f"Load Driver {index}",
                "audience": "taxi-private-hire",
                "borough": BOROUGH,
                "licences": [{"authority": BOROUGH, "number": f"LD{index:05d}"}],
            }
            for index in range(drivers)
        ],
        "staff": [
            {
                "email": officer_email(index),
                "name": f"Load Officer{index}",
                "role": "licensing_officer",
                "borough": BOROUGH,
            }
            for index in range(officers)
        ],
    }


def answer_key(course: CoursePage) -> dict[str, list[str]]:
    """Each live question's correct option texts, by the question's words."""
    key: dict[str, list[str]] = {}
    for question in Question.objects.filter(course=course, live=True).prefetch_related("options"):
        name = question_key(question.scenario, question.prompt)
        if name in key:
            raise SystemExit(f"Two questions read the same, so the key cannot tell: {name!r}")
        key[name] = sorted(
            " ".join(option.text.split()) for option in question.options.all() if option.is_correct
        )
    return key


def totp_secret(email: str) -> str:
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    # The load clients compute codes without Django; they must agree with allauth's.
    expected = format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))
    if totp_now(secret) != expected:
        raise SystemExit("browsing.totp_now disagrees with allauth's TOTP: fix it first.")
    return secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drivers", type=int, default=150)
    parser.add_argument("--officers", type=int, default=40)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()

    demo = fixture_read("demo_accounts.yaml")
    demo_accounts_create(data=demo)
    demo_certificates_create(data=demo)
    load = load_accounts(drivers=options.drivers, officers=options.officers)
    demo_accounts_create(data=load)

    course = CoursePage.objects.get(slug=COURSE_SLUG)
    figures = {
        "password": LOAD_PASSWORD,
        "course_path": course.url,
        "quiz_path": course.quiz.url,
        "drivers": [row["email"] for row in load["learners"]],
        "officers": [
            {"email": row["email"], "secret": totp_secret(row["email"])} for row in load["staff"]
        ],
        "certificate_codes": list(Certificate.objects.values_list("code", flat=True)),
        "licence_numbers": list(
            Licence.objects.filter(authority__slug=BOROUGH).values_list("number", flat=True)
        ),
        "answer_key": answer_key(course),
    }
    options.out.write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    print(
        f"{len(figures['drivers'])} drivers, {len(figures['officers'])} officers, "
        f"{len(figures['certificate_codes'])} certificates, "
        f"{len(figures['answer_key'])} questions in the key: {options.out}"
    )


if __name__ == "__main__":
    main()
