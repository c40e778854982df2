"""What the load and scale-out clients need to use the site as a browser does: its forms,
its Secure cookies over local plain http, and officers' TOTP codes.

Plain Python and `requests` only, no Django: the clients stand outside the site.
"""

import base64
import hashlib
import hmac
import struct
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from requests.cookies import RequestsCookieJar

# allauth's defaults (MFA_TOTP_PERIOD, MFA_TOTP_DIGITS); setup_accounts.py checks these
# codes against allauth's own helpers, so a change there is caught before a run.
TOTP_PERIOD = 30
TOTP_DIGITS = 6


class LocalSecureCookies(RequestsCookieJar):
    """A session's cookie jar for the rehearsals. Production settings mark the session and
    CSRF cookies Secure (and __Host-); the rehearsals serve plain http on 127.0.0.1, which
    browsers treat as a secure context, so the clients keep those cookies as plain ones and
    send them back as a browser would. (requests copies the jar for every request, so a
    cookie policy would be lost: the flag is dropped as each cookie is stored.)"""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def totp_now(secret: str, *, period_offset: int = 0) -> str:
    """RFC 6238 code for a base32 secret, as an authenticator app shows it."""
    counter = int(time.time()) // TOTP_PERIOD + period_offset
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}}"


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    # Submit buttons' (name, value), in page order: how a form says which actions it offers.
    buttons: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Question:
    name: str
    kind: str
    scenario: str = ""
    prompt: str = ""
    # Option key (the per-attempt letter) -> the option's text.
    options: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """The forms, links and test questions of one HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.questions: list[Question] = []
        self._labels: dict[str, str] = {}
        self._option_ids: dict[str, tuple[Question, str]] = {}
        self._text_target: tuple[object, str] | None = None
        self._select: str | None = None
        self.feed(html)
        self.close()
        for element_id, (question, key) in self._option_ids.items():
            question.options[key] = " ".join(self._labels.get(element_id, "").split())

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag == "form":
            self.forms.append(Form(action=attributes.get("action", "")))
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "input" and self.forms and attributes.get("name"):
            self._input(attributes)
        elif tag == "button" and self.forms and attributes.get("name"):
            self.forms[-1].buttons.append((attributes["name"], attributes.get("value", "")))
        elif tag == "select" and self.forms:
            self._select = attributes.get("name")
        elif tag == "option" and self._select and "selected" in attributes:
            self.forms[-1].fields[self._select] = attributes.get("value", "")
        elif tag == "fieldset" and "question" in classes:
            self.questions.append(Question(name="", kind="single"))
        elif tag == "span" and self.questions and "question__prompt" in classes:
            self._text_target = (self.questions[-1], "prompt")
        elif tag == "span" and self.questions and "question__scenario" in classes:
            self._text_target = (self.questions[-1], "scenario")
        elif tag == "label" and attributes.get("for"):
            self._text_target = (self._labels, attributes["for"])

    def _input(self, attributes):
        name, kind = attributes["name"], attributes.get("type", "text")
        if kind in ("radio", "checkbox") and self.questions and name.startswith("q"):
            question = self.questions[-1]
            question.name = name
            question.kind = "multiple" if kind == "checkbox" else "single"
            self._option_ids[attributes.get("id", "")] = (question, attributes.get("value", ""))
        elif kind not in ("radio", "checkbox", "submit"):
            self.forms[-1].fields[name] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag in ("span", "label"):
            self._text_target = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._text_target is None:
            return
        target, key = self._text_target
        if isinstance(target, dict):
            target[key] = target.get(key, "") + data
        else:
            setattr(target, key, " ".join((getattr(target, key) + " " + data).split()))

    def form(self, action: str) -> Form | None:
        """The form that posts to this path ("" for one that posts to its own page)."""
        for form in self.forms:
            if urlsplit(form.action).path == action:
                return form
        return None


def question_key(scenario: str, prompt: str) -> str:
    """How the answer key names a question: by its words, since each attempt shuffles the
    questions and gives the options new letters."""
    return " ".join(f"{scenario} {prompt}".split())
