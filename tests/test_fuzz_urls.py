"""No query string or form field gets a 500: every address Django routes (see
tests/url_world.py), with real ids, is sent hostile values in every parameter a view of
the project reads, by GET and by POST, signed out, as a learner and as staff."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .url_world import (
    PROJECT_PACKAGES,
    READ_BY_HAND,
    client_for,
    parameter_names,
    route_path,
    routes,
)
from .url_world import url_world_snapshot as url_world_snapshot

NAMES = parameter_names()
ROUTES = routes()
FUZZ_ROLES = ("anonymous", "learner", "all_staff")

NUL = "\x00"
HOSTILE_TEXT = (
    NUL,
    "7\x00",
    "²",
    "1²",
    "١٢",
    "9" * 40,
    str(2**63),
    str(2**31),
    "-1",
    "0",
    "1e9",
    "1.5",
    " ",
    "",
    "' OR 1=1 --",
    '") ; DROP TABLE people_user; --',
    "%",
    "%00",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\u202eevil",
    "Zoë Ó Briain",
    "a" * 5000,
    "null",
    "[]",
    "\r\nSet-Cookie: x=1",
    "\ufeff",
    "\U0001f600",
)
# Raw %-escapes put in the query string or body as they are: NUL, a superscript two, a
# broken escape, an overlong and an invalid UTF-8 sequence, a right-to-left override.
RAW_ESCAPES = ("%00", "%C2%B2", "%ZZ", "%C0%80", "%FF%FE", "%E2%80%AE", "%", "%25%00")

text_values = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.integers().map(str),
).map(lambda text: quote(text, safe=""))
encoded_values = st.one_of(text_values, st.sampled_from(RAW_ESCAPES))
name_choices = st.one_of(st.just(tuple(NAMES)), st.sampled_from(NAMES).map(lambda n: (n,)))


def hostile_request(client, method: str, path: str, names, value: str):
    """`value` (already %-encoded, or a raw escape) in every one of `names`."""
    encoded = "&".join(f"{quote(name)}={value}" for name in names)
    if method == "get":
        return client.get(f"{path}?{encoded}")
    return client.post(path, encoded, content_type="application/x-www-form-urlencoded")


def refuse_500(response, method: str, path: str, names, value: str) -> None:
    assert response.status_code < 500, (
        f"{method.upper()} {path} with {value!r} in {', '.join(names)[:200]} "
        f"gave {response.status_code}"
    )


@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(FUZZ_ROLES),
    method=st.sampled_from(("get", "post")),
    names=name_choices,
    value=encoded_values,
)
@example(role="anonymous", method="get", names=tuple(NAMES), value="%00")
@example(role="learner", method="get", names=tuple(NAMES), value="%00")
@example(role="all_staff", method="get", names=tuple(NAMES), value="%00")
@example(role="learner", method="get", names=("q",), value="%C2%B2")
@example(role="learner", method="post", names=("number",), value="%C2%B2")
@example(role="all_staff", method="get", names=tuple(NAMES), value="%C2%B2")
@example(role="all_staff", method="post", names=tuple(NAMES), value="9" * 40)
@example(role="anonymous", method="post", names=tuple(NAMES), value="%00")
def test_no_hostile_parameter_gets_a_500(url_world_snapshot, route, role, method, names, value):
    path = route_path(route, url_world_snapshot)
    response = hostile_request(client_for(role), method, path, names, value)
    refuse_500(response, method, path, names, value)


TEXT_IN_PATH = [route for route in ROUTES if {"code", "audience_slug"} & set(route.params)]


@pytest.mark.parametrize("route", TEXT_IN_PATH, ids=[route.key for route in TEXT_IN_PATH])
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(role=st.sampled_from(FUZZ_ROLES), value=text_values)
@example(role="anonymous", value="%00")
@example(role="all_staff", value="%00")
@example(role="learner", value="%C2%B2")
def test_no_hostile_text_in_an_address_gets_a_500(url_world_snapshot, route, role, value):
    """Parts of an address that take free text (certificate codes) get the same values."""
    world = {
        **url_world_snapshot,
        "certificate_code": "PLACEHOLDER",
        "audience_slug": "PLACEHOLDER",
    }
    path = route_path(route, world).replace("PLACEHOLDER", value)
    for method in ("get", "post"):
        response = getattr(client_for(role), method)(path)
        refuse_500(response, method, path, (), value)


def names_read_by_hand() -> set[str]:
    """Every name the project's code reads straight from request.GET or request.POST."""
    read = re.compile(
        r"""request\.(?:GET|POST)(?:\.get(?:list)?\(|\[)\s*["']([^"']+)["']"""
        r"""|["']([^"']+)["']\s+in\s+request\.(?:GET|POST)"""
    )
    root = Path(__file__).resolve().parent.parent
    found = set()
    for package in PROJECT_PACKAGES:
        for source in (root / package).rglob("*.py"):
            for match in read.finditer(source.read_text()):
                found.add(match.group(1) or match.group(2))
    return found


def test_every_name_a_view_reads_by_hand_is_fuzzed():
    missing = names_read_by_hand() - set(READ_BY_HAND)
    assert not missing, f"add these to READ_BY_HAND in tests/url_world.py: {sorted(missing)}"


# The findings of issue 14 that these tests were written for, kept as plain examples.


def test_searching_for_a_nul_character_is_a_page_of_no_results(url_world_snapshot):
    response = client_for("anonymous").get("/courses/search/?q=%00")
    assert response.status_code == 200


def test_a_superscript_question_number_is_not_found(url_world_snapshot):
    path = route_path(
        next(r for r in ROUTES if r.key == "page:courses.quizpage:test_attempt"),
        url_world_snapshot,
    )
    client = client_for("learner")
    assert client.get(f"{path}?q=%C2%B2").status_code == 404
    assert client.get(f"{path}?q=2").status_code == 200
    # A posted number nobody could have sent from the page goes back to the first question.
    response = client.post(path, {"number": "²", "action": "next"})
    assert response.status_code == 302
    assert response["Location"].endswith("?q=2")
