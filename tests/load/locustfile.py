"""The load rehearsal's users (issue 13): drivers and licensing officers, as the site sees them.

Drivers sign in with a password, read the taxi course's lessons and mark them complete,
take the test screen by screen, and download their certificates. One driver in three
answers from the answer key that setup_accounts.py read from the database (the page never
holds it), so passes and certificates happen under load; the rest pick options at random
and mostly fail. Officers sign in with a password and a TOTP code, verify certificates by
their QR address and check pasted batches of licence numbers. Everyone thinks for 1-5 s
between pages.

    LOAD_ACCOUNTS=accounts.json LOAD_EVENTS=events.jsonl \
        locust -f tests/load/locustfile.py --host http://127.0.0.1:8000

LOAD_EVENTS (optional) names a file that gets one JSON line for every mark-complete and
every submitted test the server accepted; check_db.py then finds each one in the database.
"""

import itertools
import json
import os
import random
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from browsing import TOTP_PERIOD, LocalSecureCookies, Page, question_key, totp_now
from locust import HttpUser, between, task

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
EVENTS = os.environ.get("LOAD_EVENTS")
# Each simulated person signs in as an account of their own; more users than accounts
# share them round the list.
DRIVER_NUMBERS = itertools.count()
OFFICER_NUMBERS = itertools.count()
KNOWS_THE_ANSWERS_EVERY = 3


def record(kind: str, **details) -> None:
    if EVENTS:
        with Path(EVENTS).open("a") as events:
            events.write(json.dumps({"kind": kind, **details}) + "\n")


def path_of(url: str) -> str:
    return urlsplit(url).path


def depth(path: str) -> int:
    return len(path.strip("/").split("/"))


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 5)

    def on_start(self):
        self.client.cookies = LocalSecureCookies()
        # The site limits sign-ins and look-ups per client address; a crowd of drivers is
        # many phones, not one. The rehearsal server trusts one proxy hop
        # (TRUSTED_PROXY_COUNT=1), so each simulated person gets an address of its own.
        octets = ".".join(str(random.randint(1, 254)) for _ in range(3))
        self.client.headers["X-Forwarded-For"] = f"10.{octets}"

    def page(self, url: str, *, name: str) -> Page | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
                return None
            return Page(response.text)

    def post(self, url: str, data: dict, *, name: str, expect=(302,)):
        """POST a form without following its redirect: the redirect is the server's answer."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} for POST {url}")
                return None
            response.success()
            return response

    def sign_in(self, email: str) -> str | None:
        """Where the site sends us after the password, or None if it refused."""
        login = self.page("/accounts/login/", name="sign in")
        form = login and login.form("/accounts/login/")
        if form is None:
            return None
        fields = {**form.fields, "login": email, "password": ACCOUNTS["password"]}
        response = self.post("/accounts/login/", fields, name="sign in [POST]")
        return path_of(response.headers["Location"]) if response is not None else None


class Driver(Person):
    weight = 4

    def on_start(self):
        super().on_start()
        number = next(DRIVER_NUMBERS)
        self.email = ACCOUNTS["drivers"][number % len(ACCOUNTS["drivers"])]
        self.knows_answers = number % KNOWS_THE_ANSWERS_EVERY == 0
        self.course, self.quiz = ACCOUNTS["course_path"], ACCOUNTS["quiz_path"]
        self.lesson: str | None = None
        self.attempt: str | None = None
        self.lessons_done = self.test_over = False
        if self.sign_in(self.email) is None:
            self.stop()

    @task(8)
    def carry_on(self):
        """One screen of the course: the next lesson, the next question, or the course page."""
        if self.attempt:
            self.answer_question()
        elif not self.lessons_done:
            self.read_lesson()
        elif not self.test_over:
            self.start_test()
        else:
            self.page(self.course, name="course")

    @task(1)
    def dashboard(self):
        self.page("/dashboard/", name="dashboard")

    @task(1)
    def certificates(self):
        listing = self.page("/certificates/", name="my certificates")
        pdfs = [link for link in (listing.links if listing else []) if link.endswith("/pdf/")]
        if pdfs:
            with self.client.get(
                random.choice(pdfs), name="certificate PDF", catch_response=True
            ) as response:
                if response.headers.get("Content-Type") != "application/pdf":
                    response.failure(f"{response.status_code}, not a PDF")

    def read_lesson(self):
        if self.lesson is None:
            course = self.page(self.course, name="course")
            form = course and course.form(self.course)
            response = form and self.post(self.course, form.fields, name="course [start]")
            if not response:
                return
            self.lesson = path_of(response.headers["Location"])
        lesson = self.page(self.lesson, name="lesson")
        if lesson is None:
            return
        form = lesson.form(self.lesson)
        if form is None:
            # No "mark complete": every lesson is done (an earlier run got this far), and
            # "look back over the lessons" brought us to one we have read.
            self.lesson, self.lessons_done = None, True
            return
        gevent.sleep(random.uniform(1, 5))  # reading before the tap
        response = self.post(self.lesson, form.fields, name="lesson [mark complete]")
        if response is None:
            return
        record("lesson_complete", email=self.email, lesson=self.lesson)
        following = path_of(response.headers["Location"])
        if depth(following) == depth(self.lesson):
            self.lesson = following
        else:
            # The test, or the course page: every lesson is done.
            self.lesson, self.lessons_done = None, True

    def start_test(self):
        quiz = self.page(self.quiz, name="test")
        if quiz is None:
            return
        carry_on = [link for link in quiz.links if "/attempt/" in link and "/result/" not in link]
        form = quiz.form(self.quiz + "start/")
        if carry_on:
            self.attempt = carry_on[0]
        elif form is None:
            # Passed, or no attempts left: the page offers no start.
            self.test_over = True
        else:
            # 429: waiting between attempts; 403: passed or used up meanwhile.
            response = self.post(
                self.quiz + "start/", form.fields, name="test [start]", expect=(302, 403, 429)
            )
            if response is not None and response.status_code == 302:
                self.attempt = response.headers["Location"]
            else:
                self.test_over = True

    def answer_question(self):
        screen = self.page(self.attempt, name="test question")
        form = screen and screen.form(path_of(self.attempt))
        if form is None:
            self.attempt = None
            return
        fields = dict(form.fields)
        for question in screen.questions:
            fields[question.name] = self.choose(question)
        submit = ("action", "submit") in form.buttons
        fields["action"] = "submit" if submit else "next"
        response = self.post(
            form.action, fields, name="test [submit]" if submit else "test [answer]"
        )
        if response is None:
            return
        following = response.headers["Location"]
        if "/result/" in following:
            record("attempt_submitted", email=self.email, attempt=following.split("/")[-3])
            self.page(following, name="test result")
            self.attempt = None
        else:
            self.attempt = following

    def choose(self, question) -> list[str]:
        if self.knows_answers:
            correct = ACCOUNTS["answer_key"].get(question_key(question.scenario, question.prompt))
            if correct:
                return [key for key, text in question.options.items() if text in correct]
        keys = list(question.options)
        if question.kind == "multiple":
            return random.sample(keys, random.randint(1, len(keys)))
        return [random.choice(keys)]


class Officer(Person):
    weight = 1

    def on_start(self):
        super().on_start()
        number = next(OFFICER_NUMBERS)
        account = ACCOUNTS["officers"][number % len(ACCOUNTS["officers"])]
        landing = self.sign_in(account["email"])
        if landing is None or not self.second_step(landing, account["secret"]):
            self.stop()

    def second_step(self, path: str, secret: str) -> bool:
        """Type the authenticator's code. A code is good once: if this account used it in
        the last minute (an earlier run), wait for the next one."""
        for last_try in (False, True):
            screen = self.page(path, name="two-step code")
            form = screen and screen.form(path)
            if form is None:
                return False
            response = self.post(
                path,
                {**form.fields, "code": totp_now(secret)},
                name="two-step code [POST]",
                # A refused code re-shows the form (4xx): only the second refusal is a failure.
                expect=(302,) if last_try else (302, 400),
            )
            if response is not None and response.status_code == 302:
                return True
            gevent.sleep(TOTP_PERIOD)
        return False

    @task(4)
    def verify(self):
        code = random.choice(ACCOUNTS["certificate_codes"])
        self.page(f"/verify/{code}/", name="verify [code]")

    @task(2)
    def batch_check(self):
        checker = self.page("/staff/licences/batch/", name="batch check")
        form = checker and checker.form("")
        if form is None:
            return
        known = ACCOUNTS["licence_numbers"]
        # A pasted list: mostly drivers we hold, and one number nobody holds.
        numbers = [*random.sample(known, min(20, len(known))), "ZZ99999"]
        self.post(
            "/staff/licences/batch/",
            {**form.fields, "numbers": "\n".join(numbers)},
            name="batch check [POST]",
            expect=(200,),
        )
