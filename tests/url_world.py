"""Every address the site answers, read from Django's URL resolver, filled in with real ids
from one shared world of people and records, and clients signed in as each kind of user.

The resolver-wide tests (tests/test_access_matrix.py, tests/test_fuzz_urls.py) walk what
`routes()` returns, so a view added anywhere in the project is walked as soon as it is
routed: only the prefixes in EXCLUDED are left out, and never for a project view. (Static
and media files are routed only under DEBUG, which tests never run with.)
"""

import inspect
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django import forms
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from certificates.models import Certificate
from courses.classroom.models import YearGroup
from courses.classroom.services import class_session_start
from courses.models import Attempt, CoursePage, LessonPage, QuizPage
from training_site.demo import second_factor_enable
from training_site.people import services
from training_site.people.models import Borough, Licence, Organisation, RoleAssignment, User
from training_site.people.roles import Role

from .conftest import demo_load
from .snapshots import snapshot_fixture

PROJECT_PACKAGES = ("training_site", "courses", "certificates")

# Left out of the walk, each for a reason. A view from the project's own packages is walked
# even under one of these prefixes (question statistics and role assignments in the admin).
EXCLUDED = {
    "admin/": "Wagtail's own admin views, covered by Wagtail's test suite; the admin "
    "listings' search is tested as an editor with the people app's admin tests",
}

# An id no row has, for parameters the world has nothing to fill with.
UNKNOWN_ID = 987654321

# Who signs in for each column of the access matrix.
ROLES = (
    "anonymous",
    "learner",  # a taxi driver in Kirklees: the owner of the records in the URLs
    "other_learner",  # a Calderdale teacher: owner of the classroom session in the URLs
    "manager",  # manages a Leeds guest house
    "officer",  # licensing officer of Kirklees, the learner's authority
    "officer_elsewhere",  # licensing officer of Halton, in another partnership
    "borough_lead",  # Kirklees
    "partnership_lead",  # West Yorkshire
    "editor",
    "reviewer",
)
DEMO_EMAILS = {
    "learner": "driver@example.org",
    "other_learner": "teacher@example.org",
    "manager": "manager@example.org",
    "officer": "officer@example.org",
    "borough_lead": "lead@example.org",
    "partnership_lead": "partnership@example.org",
    "editor": "editor@example.org",
    "reviewer": "reviewer@example.org",
}
OFFICER_ELSEWHERE = "officer.halton@example.org"
# Every staff role at once: the fuzz tests sign in as this to get past every staff gate.
ALL_STAFF = "all.staff@example.org"


def world_build() -> dict:
    """The demo site (real content, demo accounts and certificates) plus an officer of
    another partnership, a test in progress, and a classroom session."""
    demo_load()
    halton = Borough.objects.get(slug="halton")
    kirklees = Borough.objects.get(slug="kirklees")
    officer_elsewhere = User.objects.create_user(email=OFFICER_ELSEWHERE)
    services.role_grant(user=officer_elsewhere, role=Role.LICENSING_OFFICER, borough=halton)
    all_staff = User.objects.create_user(email=ALL_STAFF)
    guest_house = Organisation.objects.get(name="Canal Side Guest House")
    for role, place in (
        (Role.LICENSING_OFFICER, {"borough": kirklees}),
        (Role.BOROUGH_LEAD, {"borough": kirklees}),
        (Role.PARTNERSHIP_LEAD, {"partnership": kirklees.partnership}),
        (Role.ORGANISATION_MANAGER, {"organisation": guest_house}),
        (Role.EDITOR, {}),
    ):
        services.role_grant(user=all_staff, role=role, **place)
    for user in (officer_elsewhere, all_staff):
        second_factor_enable(user)

    learner = User.objects.get(email=DEMO_EMAILS["learner"])
    teacher = User.objects.get(email=DEMO_EMAILS["other_learner"])
    certificate = Certificate.objects.filter(learner=learner).order_by("-issued_at").first()
    course = certificate.course_page.specific
    quiz = QuizPage.objects.live().descendant_of(course).first()
    submitted = Attempt.objects.filter(learner=learner, quiz=quiz).order_by("-number").first()
    in_progress = Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        course=course,
        number=submitted.number + 1,
        expires_at=timezone.now() + timedelta(hours=1),
        items=submitted.items,
        answer_key=submitted.answer_key,
        pass_mark=submitted.pass_mark,
    )
    pupil_course = CoursePage.objects.live().filter(for_pupils=True).order_by("path").first()
    pupil_lesson = LessonPage.objects.live().descendant_of(pupil_course).order_by("path").first()
    school = Organisation.objects.get(name="Brookfield Academy")
    session = class_session_start(
        teacher=teacher,
        school=school,
        lesson=pupil_lesson,
        year_group=YearGroup.YEAR_7,
        class_size=28,
        taught_on=timezone.localdate(),
    )
    return {
        "pages": pages_for_each_type(course),
        "certificate_code": certificate.code,
        "attempt_in_progress": str(in_progress.pk),
        "attempt_submitted": str(submitted.pk),
        "audience_slug": course.audience.slug,
        "licence": Licence.objects.filter(holder=learner).first().pk,
        "organisation": guest_house.pk,
        "pupil_lesson": pupil_lesson.pk,
        "pupil_course": pupil_course.pk,
        "class_session": str(session.pk),
        # Rows the admin's own views for people and places edit: Kirklees and its
        # partnership, the guest house, the Halton officer's role.
        "snippets": {
            "borough": kirklees.pk,
            "partnership": kirklees.partnership_id,
            "organisation": guest_house.pk,
            "roleassignment": RoleAssignment.objects.filter(user=officer_elsewhere).get().pk,
        },
        "home_page": Page.objects.get(depth=2).pk,
    }


url_world_snapshot = snapshot_fixture("url_world_snapshot", world_build, extends="demo_snapshot")


def pages_for_each_type(course: CoursePage) -> dict[str, int]:
    """One live page of every page type: the learner's course and what is in it where the
    type lives in a course, the first in the tree otherwise."""
    chosen = {}
    for model in get_page_models():
        if model is Page:
            continue
        pages = model.objects.live().order_by("path")
        page = pages.descendant_of(course, inclusive=True).first() or pages.first()
        if page is not None:
            chosen[model._meta.label_lower] = page.pk
    return chosen


@dataclass(frozen=True)
class Route:
    """One address the site routes: a URL name, or a page type (and a route of it)."""

    key: str  # the URL's name with namespace, or "page:<model>[:<route>]"
    module: str
    params: tuple[str, ...] = ()
    positional: bool = False
    page_model: str = ""
    page_route: str = ""


def resolver_patterns():
    """(full pattern, name, callback module, pattern chain) for every pattern Django can
    route to, in the order it tries them; of two patterns with one name the first wins."""

    def walk(resolver, prefix, namespaces, chain):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
                yield from walk(entry, prefix + str(entry.pattern), spaces, (*chain, entry))
            elif isinstance(entry, URLPattern):
                name = ":".join((*namespaces, entry.name)) if entry.name else None
                module = getattr(entry.callback, "__module__", "") or ""
                yield prefix + str(entry.pattern), name, module, (*chain, entry)

    seen = set()
    for full, name, module, chain in walk(get_resolver(), "", (), ()):
        if (name or full) not in seen:
            seen.add(name or full)
            yield full, name, module, chain


def is_project_module(module: str) -> bool:
    return module.split(".", 1)[0] in PROJECT_PACKAGES


def excluded_reason(full: str, module: str) -> str | None:
    if is_project_module(module):
        return None
    return next((why for prefix, why in EXCLUDED.items() if full.startswith(prefix)), None)


def parameters(chain) -> tuple[tuple[str, ...], bool]:
    """A pattern chain's named parameters, and whether it also has unnamed groups."""
    named, unnamed = [], False
    for entry in chain:
        regex = entry.pattern.regex
        named.extend(name for name in regex.groupindex if name not in named)
        unnamed = unnamed or regex.groups > len(regex.groupindex)
    return tuple(named), unnamed


def routes() -> list[Route]:
    """Every address Django routes, outside EXCLUDED; no database needed, so tests can be
    generated from it. Wagtail's one pattern for pages becomes one route per page type,
    and one per route of a routable page."""
    found = []
    for full, name, module, chain in resolver_patterns():
        if excluded_reason(full, module):
            continue
        if name == "wagtail_serve":
            found.extend(page_routes())
            continue
        if name is None:
            raise LookupError(f"the URL pattern {full!r} ({module}) needs a name")
        params, positional = parameters(chain)
        found.append(Route(key=name, module=module, params=params, positional=positional))
    return found


def excluded_patterns() -> dict[str, str]:
    """The patterns left out of the walk, with why."""
    return {
        name or full: why
        for full, name, module, _chain in resolver_patterns()
        if (why := excluded_reason(full, module))
    }


def page_routes() -> list[Route]:
    found = []
    for model in get_page_models():
        if model is Page:
            continue
        label = model._meta.label_lower
        if not issubclass(model, RoutablePageMixin):
            found.append(Route(key=f"page:{label}", module=model.__module__, page_model=label))
            continue
        patterns = set()
        for route in model.get_subpage_urls():
            # Wagtail's default index_route is shadowed when the page routes "" itself.
            if str(route.pattern) in patterns:
                continue
            patterns.add(str(route.pattern))
            found.append(
                Route(
                    key=f"page:{label}:{route.name}",
                    module=model.__module__,
                    params=tuple(route.pattern.regex.groupindex),
                    page_model=label,
                    page_route=route.name,
                )
            )
    return found


def parameter_value(world: dict, key: str, name: str):
    """A real value for a URL parameter: the learner's own record where the URL names one."""
    by_key = {
        ("people:licence_remove", "pk"): world["licence"],
        ("reports:organisation", "pk"): world["organisation"],
        ("classroom:start", "lesson_id"): world["pupil_lesson"],
        ("classroom:letter", "course_id"): world["pupil_course"],
        ("page:courses.quizpage:test_attempt", "attempt_id"): world["attempt_in_progress"],
        ("page:courses.quizpage:test_result", "attempt_id"): world["attempt_submitted"],
    }
    by_name = {
        "code": world["certificate_code"],
        "session_id": world["class_session"],
        "number": 1,
        "audience_slug": world["audience_slug"],
        "borough_slug": "kirklees",
        "paper": "a6",
        "uidb36": "1",
        "key": "set-by-no-one",
        "page_id": world["home_page"],
    }
    if (key, name) in by_key:
        return by_key[key, name]
    snippet = key.partition(":")[0].removeprefix("wagtailsnippets_people_")
    if name == "pk" and snippet in world["snippets"]:
        return world["snippets"][snippet]
    if name in by_name:
        return by_name[name]
    if name.endswith(("_id", "pk")):
        # Nothing in the world has one (no document, no view restriction): a missing row.
        return UNKNOWN_ID
    raise LookupError(f"tests/url_world.py has no value for <{name}> in {key}")


POSITIONAL = {"wagtaildocs_serve": (UNKNOWN_ID, "missing.pdf")}


def route_path(route: Route, world: dict) -> str:
    """The route's address, filled in with real ids from the world."""
    kwargs = {name: parameter_value(world, route.key, name) for name in route.params}
    if not route.page_model:
        if route.positional:
            return reverse(route.key, args=POSITIONAL[route.key])
        return reverse(route.key, kwargs=kwargs)
    if route.page_model not in world["pages"]:
        raise LookupError(f"the world has no live {route.page_model} page: add one")
    page = Page.objects.get(pk=world["pages"][route.page_model]).specific
    if not route.page_route:
        return page.url
    return page.url + page.reverse_subpage(route.page_route, kwargs=kwargs)


def user_for(role: str) -> User | None:
    email = {
        **DEMO_EMAILS,
        "officer_elsewhere": OFFICER_ELSEWHERE,
        "all_staff": ALL_STAFF,
    }.get(role)
    if role == "anonymous":
        return None
    return User.objects.get(email=email)


def sign_in(client: Client, user: User) -> Client:
    """Sign `user` in as the site's sign-in does: a session, with the way they proved who
    they are recorded in it as allauth records it. Anyone with an authenticator app passed
    the two-step check too, which staff pages require of the session."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    for authenticator in Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return client


def client_for(role: str) -> Client:
    user = user_for(role)
    client = Client()
    return client if user is None else sign_in(client, user)


# Query-string and form names the project's views read by hand (request.GET / request.POST).
READ_BY_HAND = (
    "q",
    "number",
    "action",
    "audience",
    "borough",
    "code",
    "course",
    "figure",
    "format",
    "next",
    "page",
    "saved",
    "sort",
    "typed",
    "name",
    "note",
    "option",
    "question",
    "applying",
)


def form_field_names() -> set[str]:
    """The field names of every form class the project (or allauth, whose sign-in forms it
    serves) defines: what views read through forms. Loading the URLconf imports every view
    and so every form they use: a new form is fuzzed without being listed."""
    get_resolver().url_patterns  # noqa: B018 (imports the views)
    names = set()
    for form in all_subclasses(forms.BaseForm):
        module = form.__module__
        if (is_project_module(module) or module.startswith("allauth.")) and not (
            inspect.isabstract(form)
        ):
            names.update(getattr(form, "base_fields", {}))
    return names


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def parameter_names() -> list[str]:
    return sorted(set(READ_BY_HAND) | form_field_names())
