"""Who may open what: every address Django routes (read from the URL resolver, with real
ids from tests/url_world.py) against every kind of user. An address without a row here
fails the suite, so a new view cannot ship without someone deciding who may see it.

Outcomes: a status code, or "login" (a redirect to a sign-in page), "2fa" (a redirect into
two-step sign-in set-up) or "302" (a redirect elsewhere). Records in the URLs belong to
the learner (a Kirklees taxi driver) except the classroom session, which is the other
learner's (a Calderdale teacher): each must be refused to everyone else.
"""

from dataclasses import dataclass

import pytest

from .url_world import ROLES, client_for, excluded_patterns, route_path, routes
from .url_world import url_world_snapshot as url_world_snapshot


@dataclass(frozen=True)
class Expect:
    get: dict[str, str]
    post: dict[str, str] | None = None


def row(text: str) -> dict[str, str]:
    """One line of the table: an outcome per role, in the order of the ROLES columns."""
    outcomes = text.split()
    if len(outcomes) != len(ROLES):
        raise ValueError(f"{len(ROLES)} outcomes needed, one per role: {text!r}")
    return dict(zip(ROLES, outcomes, strict=True))


def same(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


# fmt: off
# Columns:     anonymous learner other_learner manager officer officer_elsewhere
#              borough_lead partnership_lead editor reviewer
MATRIX = {
    "healthz": Expect(same("200")),
    # The site's own admin views: learners are refused (people/admin_access.py), staff
    # without the permission are sent to the admin home by Wagtail.
    "question_statistics": Expect(row("login 403 403 403 403 403 200 200 200 200")),
    "wagtailsnippets_people_roleassignment:add":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    "wagtailsnippets_people_roleassignment:edit":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    "wagtailsnippets_people_roleassignment:delete":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    # Places: only site administrators add or delete them (people/scope.py); editors and
    # reviewers edit their content, without the fields that decide whose records staff see.
    "wagtailsnippets_people_borough:add": Expect(row("login 403 403 403 403 403 302 302 302 302")),
    "wagtailsnippets_people_borough:delete":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    "wagtailsnippets_people_borough:edit": Expect(row("login 403 403 403 403 403 302 302 200 200")),
    "wagtailsnippets_people_organisation:add":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    "wagtailsnippets_people_organisation:delete":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    "wagtailsnippets_people_organisation:edit":
        Expect(row("login 403 403 403 403 403 302 302 200 200")),
    "wagtailsnippets_people_partnership:delete":
        Expect(row("login 403 403 403 403 403 302 302 302 302")),
    # No documents and no view restrictions exist.
    "wagtaildocs_serve": Expect(same("404")),
    "wagtaildocs_authenticate_with_password": Expect(same("404")),
    "wagtailcore_authenticate_with_password": Expect(same("404")),
    "wagtailcore_login": Expect(same("200")),
    # allauth: signed-in people are sent on from the sign-in and sign-up pages.
    "account_confirm_login_code": Expect(row("login 302 302 302 302 302 302 302 302 302")),
    "account_signup": Expect(row("200 302 302 302 302 302 302 302 302 302")),
    "account_login": Expect(row("200 302 302 302 302 302 302 302 302 302")),
    "account_logout": Expect(row("302 200 200 200 200 200 200 200 200 200")),
    "account_inactive": Expect(same("200")),
    # The Halton officer was made without a password, so reauthenticates by app code.
    "account_reauthenticate": Expect(row("login 200 200 200 200 2fa 200 200 200 200")),
    "account_request_reauthentication_code":
        Expect(row("login 200 200 200 200 2fa 200 200 200 200")),
    "account_confirm_reauthentication_code":
        Expect(row("login 302 302 302 302 302 302 302 302 302")),
    "account_email": Expect(row("login 200 200 200 200 200 200 200 200 200")),
    "account_email_verification_sent": Expect(row("login 302 302 302 302 302 302 302 302 302")),
    "account_change_password": Expect(row("login 200 200 200 200 302 200 200 200 200")),
    "account_set_password": Expect(row("login 302 302 302 302 200 302 302 302 302")),
    "account_reset_password": Expect(same("200")),
    "account_reset_password_from_key_done": Expect(same("200")),
    # An unknown key: the page says the link is bad.
    "account_reset_password_from_key": Expect(same("200")),
    "account_reset_password_done": Expect(same("200")),
    "account_request_login_code": Expect(row("200 302 302 302 302 302 302 302 302 302")),
    "mfa_index": Expect(row("login 200 200 200 200 200 200 200 200 200")),
    "mfa_authenticate": Expect(row("login 302 302 302 302 302 302 302 302 302")),
    "mfa_reauthenticate": Expect(row("login 302 302 200 200 200 200 200 200 200")),
    # Changing two-step sign-in asks for the password again (the Halton officer has none).
    "mfa_activate_totp": Expect(row("login 302 302 302 302 2fa 302 302 302 302")),
    "mfa_deactivate_totp": Expect(row("login 404 404 302 302 2fa 302 302 302 302")),
    "mfa_view_recovery_codes": Expect(row("login 404 404 404 404 404 404 404 404 404")),
    "mfa_generate_recovery_codes": Expect(row("login 302 302 302 302 2fa 302 302 302 302")),
    "mfa_download_recovery_codes": Expect(row("login 404 404 404 404 404 404 404 404 404")),
    "dashboard": Expect(row("login 200 200 200 200 200 200 200 200 200")),
    # Staff pages: each role sees only its own tools; lists need a figure chosen (400).
    "reports:home": Expect(row("login 403 403 200 200 200 200 200 403 403")),
    "reports:dashboard": Expect(row("login 403 403 403 403 403 200 200 403 403")),
    "reports:list": Expect(row("login 403 403 403 403 403 400 400 403 403")),
    "reports:export": Expect(row("login 403 403 403 403 403 400 400 403 403")),
    # Figures (suppressed across boroughs), for leads only.
    "reports:figures_export": Expect(row("login 403 403 403 403 403 200 200 403 403")),
    "reports:licence_lookup": Expect(row("login 403 403 403 200 200 403 403 403 403")),
    "reports:batch_check": Expect(row("login 403 403 403 200 200 403 403 403 403")),
    "reports:expiring": Expect(row("login 403 403 403 200 200 403 403 403 403")),
    "reports:organisations": Expect(row("login 403 403 200 403 403 403 403 403 403")),
    # The Leeds guest house: its manager only; a Kirklees lead does not learn it exists.
    "reports:organisation": Expect(row("login 403 403 200 403 403 403 403 403 403")),
    # Printable cards: public, so a manager can print them for staff without accounts.
    "cards:index": Expect(same("200")),
    "cards:pdf": Expect(same("200")),
    "certificates:verify": Expect(same("200")),
    "certificates:verify_code": Expect(same("200")),
    # The offline scanner and what phones sync: public, nothing about anyone in them.
    "certificates:scan": Expect(same("200")),
    "certificates:scan_worker": Expect(same("200")),
    "certificates:scan_manifest": Expect(same("200")),
    "certificates:keys": Expect(same("200")),
    "certificates:status_list": Expect(same("200")),
    # Revoking takes an officer of the certificate's authority, or a lead over it (an
    # empty form is a 400); reinstating a valid certificate just goes back to it.
    "certificates:revoke": Expect(
        row("login 405 405 405 405 405 405 405 405 405"),
        post=row("login 403 403 403 400 403 400 400 403 403"),
    ),
    "certificates:reinstate": Expect(
        row("login 405 405 405 405 405 405 405 405 405"),
        post=row("login 403 403 403 302 403 302 302 403 403"),
    ),
    "certificates:mine": Expect(row("login 200 200 200 200 200 200 200 200 200")),
    "certificates:pdf": Expect(row("login 200 404 404 404 404 404 404 404 404")),
    "certificates:email": Expect(
        row("login 405 405 405 405 405 405 405 405 405"),
        post=row("login 302 404 404 404 404 404 404 404 404"),
    ),
    "classroom:sessions": Expect(row("login 200 200 200 200 200 200 200 200 200")),
    # Pupil lessons are taught by school staff: the teacher.
    "classroom:start": Expect(row("login 403 200 403 403 403 403 403 403 403")),
    "classroom:letter": Expect(row("login 403 200 403 403 403 403 403 403 403")),
    "classroom:session": Expect(row("login 404 200 404 404 404 404 404 404 404")),
    "classroom:results": Expect(row("login 404 200 404 404 404 404 404 404 404")),
    "classroom:present": Expect(row("login 404 200 404 404 404 404 404 404 404")),
    "classroom:end": Expect(
        row("login 405 405 405 405 405 405 405 405 405"),
        post=row("login 404 302 404 404 404 404 404 404 404"),
    ),
    "classroom:join": Expect(same("200")),
    # Without a pupil's cookie there is no session to be in: it has ended (410).
    "classroom:pupil": Expect(same("410")),
    "classroom:answer": Expect(same("405"), post=same("410")),
    "classroom:ask": Expect(same("405"), post=same("410")),
    # Staff without a learner profile are sent to their own start page.
    "people:profile": Expect(row("login 200 200 302 302 302 302 302 302 302")),
    "people:onboarding": Expect(row("login 200 200 200 200 200 200 200 200 200")),
    "people:licences": Expect(row("login 200 200 302 302 302 302 302 302 302")),
    "people:licences_done": Expect(row("login 302 302 302 302 302 302 302 302 302")),
    "people:licence_remove": Expect(
        row("login 405 405 405 405 405 405 405 405 405"),
        post=row("login 302 403 403 403 403 403 403 403 403"),
    ),
    "people:organisation": Expect(row("login 200 200 302 302 302 302 302 302 302")),
    # Your records: everyone signed in sees their own; closing asks them to confirm it is
    # them first (allauth's reauthentication), so an unconfirmed POST never closes anything.
    "people:records": Expect(row("login 200 200 200 200 200 200 200 200 200"), post=same("405")),
    "people:records_download": Expect(
        row("login 200 200 200 200 200 200 200 200 200"), post=same("405")
    ),
    "people:account_close": Expect(
        row("login 200 200 200 200 200 200 200 200 200"),
        post=row("login 302 302 302 302 2fa 302 302 302 302"),
    ),
    "people:account_closed": Expect(same("200"), post=same("405")),
    # Wagtail pages. Course content is public to read; taking a course is the learner's.
    "page:home.homepage": Expect(same("200")),
    "page:home.standardpage": Expect(same("200")),
    "page:home.helppage": Expect(same("200")),
    "page:courses.courseindexpage:catalogue": Expect(same("200")),
    "page:courses.courseindexpage:for_audience": Expect(same("302")),
    "page:courses.courseindexpage:search": Expect(same("200")),
    "page:courses.coursepage": Expect(
        same("200"), post=row("login 302 403 403 403 403 403 403 403 403")
    ),
    "page:courses.modulepage": Expect(same("302")),
    "page:courses.lessonpage": Expect(
        same("200"), post=row("login 302 403 403 403 403 403 403 403 403")
    ),
    "page:courses.quizpage:test_home": Expect(row("login 200 403 403 403 403 403 403 403 403")),
    "page:courses.quizpage:test_start": Expect(
        same("405"), post=row("login 302 403 403 403 403 403 403 403 403")
    ),
    "page:courses.quizpage:test_attempt": Expect(
        row("login 200 403 403 403 403 403 403 403 403"),
        post=row("login 302 403 403 403 403 403 403 403 403"),
    ),
    "page:courses.quizpage:test_result": Expect(row("login 200 404 404 404 404 404 404 404 404")),
}
# fmt: on


def outcome(response) -> str:
    if response.status_code not in (301, 302, 303, 307, 308):
        return str(response.status_code)
    location = response["Location"]
    if "/login/" in location:
        return "login"
    if "/2fa/" in location:
        return "2fa"
    return "302"


def test_every_routed_address_has_a_row():
    missing = [route.key for route in routes() if route.key not in MATRIX]
    assert not missing, (
        "These addresses have no row in MATRIX (tests/test_access_matrix.py): decide who "
        "may open each and add it:\n  " + "\n  ".join(missing)
    )


def test_every_row_is_still_routed():
    routed = {route.key for route in routes()}
    stale = sorted(set(MATRIX) - routed)
    assert not stale, f"MATRIX rows for addresses nothing routes any more: {stale}"


def test_nothing_of_the_project_is_left_out_of_the_walk():
    """The exclusions are for libraries' internals: a project view is always walked."""
    walked = {route.key for route in routes()}
    assert {"question_statistics", "wagtailsnippets_people_roleassignment:edit"} <= walked
    assert "wagtailadmin_home" in excluded_patterns()


def test_every_action_taken_by_post_has_a_post_row():
    """An address that refuses GET acts on POST: who may POST must be written down."""
    unchecked = [
        key
        for key, expect in MATRIX.items()
        if "405" in expect.get.values() and expect.post is None
    ]
    assert not unchecked, f"add post=row(...) for: {unchecked}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(url_world_snapshot, role):
    client = client_for(role)
    wrong = []
    mapped = [route for route in routes() if route.key in MATRIX]
    paths = {route.key: route_path(route, url_world_snapshot) for route in mapped}
    # Every GET first: some POSTs act (end a class session, remove a licence).
    for method in ("get", "post"):
        for route in mapped:
            expected = getattr(MATRIX[route.key], method)
            if expected is None:
                continue
            response = getattr(client, method)(paths[route.key])
            got = outcome(response)
            if got != expected[role]:
                to = f" to {response['Location']}" if response.has_header("Location") else ""
                wrong.append(
                    f"{method.upper()} {paths[route.key]} ({route.key}): "
                    f"expected {expected[role]}, got {got}{to}"
                )
    assert not wrong, f"as {role}:\n  " + "\n  ".join(wrong)
