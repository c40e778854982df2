"""The one place that answers "may this user see this learner, or this borough's data?".

Every view that shows another person's record asks here. Scope comes from RoleAssignment:
- a learner sees themselves only;
- an organisation manager sees learners who belong to their organisation;
- a licensing officer sees learners holding a licence from their authority;
- a borough lead sees learners who count for their borough (`profiles_counted_for`: home
  borough, organisation, licence), the same learners the borough's reports count;
- a partnership lead sees the same for every member borough;
- editors see no learner data; superusers see everything.

Staff scope also needs a session that passed two-step sign-in, checked on every request:
StaffMFAMiddleware marks the signed-in user of a session without it, and `scope_of` then
answers with a learner's scope, whatever roles the account holds. A user object that no
request marked (a management command, a test calling these functions directly) is judged by
its roles alone.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from allauth.account.authentication import get_authentication_records
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Borough, LearnerProfile, Licence, Organisation, RoleAssignment, User
from .roles import Role


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    lead_borough_ids: frozenset[int] = field(default_factory=frozenset)
    licensing_borough_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    partnership_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff_scope(self) -> bool:
        return self.everything or bool(
            self.lead_borough_ids or self.licensing_borough_ids or self.organisation_ids
        )


NO_SCOPE = Scope()
_CACHE_ATTRIBUTE = "_people_scope"
_WITHOUT_TWO_STEP_ATTRIBUTE = "_people_session_without_two_step"
# Whether an account read by people/backends.py may reach staff tools (STAFF_ACCESS_SQL).
STAFF_ACCESS = "staff_access_read_with_account"


def session_passed_two_step(request) -> bool:
    """Whether this session's sign-in (or a later confirmation) used the authenticator app
    or a recovery code. allauth records each step a session passes; "mfa" is the second."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, getattr(request, "user", None))
    )


def staff_scope_withhold(user) -> None:
    """Mark `user` as signed in by a session that has not passed two-step sign-in: for the
    rest of this request `scope_of` gives them a learner's scope."""
    setattr(user, _WITHOUT_TWO_STEP_ATTRIBUTE, True)


def scope_of(user) -> Scope:
    """What places this user's roles cover, or none for a session without two-step sign-in
    (see the module's docstring)."""
    if getattr(user, _WITHOUT_TWO_STEP_ATTRIBUTE, False):
        return NO_SCOPE
    return roles_scope_of(user)


def roles_scope_of(user) -> Scope:
    """What places this user's roles cover, however they signed in; computed once per
    request (cached on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True)
    else:
        lead, licensing, organisations, partnerships = set(), set(), set(), set()
        for role, borough_id, partnership_id, organisation_id in RoleAssignment.objects.filter(
            user=user
        ).values_list("role", "borough_id", "partnership_id", "organisation_id"):
            if role == Role.BOROUGH_LEAD:
                lead.add(borough_id)
            elif role == Role.LICENSING_OFFICER:
                licensing.add(borough_id)
            elif role == Role.ORGANISATION_MANAGER:
                organisations.add(organisation_id)
            elif role == Role.PARTNERSHIP_LEAD:
                partnerships.add(partnership_id)
        if partnerships:
            lead.update(
                Borough.objects.filter(partnership_id__in=partnerships).values_list("id", flat=True)
            )
        scope = Scope(
            lead_borough_ids=frozenset(lead),
            licensing_borough_ids=frozenset(licensing),
            organisation_ids=frozenset(organisations),
            partnership_ids=frozenset(partnerships),
        )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user) -> None:
    """Call after changing a user's roles within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def profiles_counted_for(borough_ids: Collection[int]) -> QuerySet[LearnerProfile]:
    """The one definition of "a learner counts for a borough": it is their home borough,
    their organisation's borough or the authority of one of their licences, so a driver
    living in Leeds with a Kirklees badge counts for both councils.

    Subqueries over profiles, not joins: reports narrow this further (role, organisation)
    and use `.values("user_id")` as one condition on a learner key across 100,000 learners,
    which PostgreSQL answers with a single hashed lookup per row and no duplicate rows."""
    organisations = Organisation.objects.filter(borough_id__in=borough_ids).values("pk")
    licence_holders = Licence.objects.filter(authority_id__in=borough_ids).values("holder_id")
    return LearnerProfile.objects.filter(
        Q(home_borough_id__in=borough_ids)
        | Q(organisation_id__in=organisations)
        | Q(user_id__in=licence_holders)
    )


def learners_visible_to(user) -> QuerySet[User]:
    """Every learner whose records this user may see (always including themselves)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return User.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return User.objects.all()
    condition = Q(pk=user.pk)
    if scope.lead_borough_ids:
        condition |= Q(pk__in=profiles_counted_for(scope.lead_borough_ids).values("user_id"))
    if scope.licensing_borough_ids:
        condition |= Q(licences__authority_id__in=scope.licensing_borough_ids)
    if scope.organisation_ids:
        condition |= Q(profile__organisation_id__in=scope.organisation_ids)
    return User.objects.filter(pk__in=User.objects.filter(condition).values("pk"))


def can_manage_own_record(user, learner) -> bool:
    """Profiles and licences are changed by the learner alone; staff never edit them."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and learner is not None
        and user.pk == learner.pk
    )


def boroughs_visible_to(user) -> QuerySet[Borough]:
    """Boroughs whose figures (dashboards, reports) this user may see."""
    scope = scope_of(user)
    if scope.everything:
        return Borough.objects.all()
    return Borough.objects.filter(pk__in=scope.lead_borough_ids)


def can_act_for_boroughs(user, borough_ids) -> bool:
    """Officers and leads may act (revoke, reinstate, see reasons) for records tied to any
    of their boroughs: a licence they issued, or a learner in their area."""
    scope = scope_of(user)
    if scope.everything:
        return True
    ids = set(borough_ids)
    return bool(ids & (scope.licensing_borough_ids | scope.lead_borough_ids))


def licensing_authorities_of(user) -> QuerySet[Borough]:
    """Authorities whose drivers this user may list (expiring certificates, batch checks)."""
    scope = scope_of(user)
    if scope.everything:
        return Borough.objects.all()
    return Borough.objects.filter(pk__in=scope.licensing_borough_ids)


def can_use_licensing_tools(user) -> bool:
    """Officers look up any authority's licence by number (a certificate presented in Leeds
    may come from Kirklees training) but list drivers of their own authorities only."""
    return staff_tools_for(user)["licensing"]


def organisations_managed_by(user) -> QuerySet[Organisation]:
    scope = scope_of(user)
    if scope.everything:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope.organisation_ids)


def can_view_reports(user) -> bool:
    return staff_tools_for(user)["reports"]


def reports_are_partnership_wide(borough_ids) -> bool:
    """Figures that span more than one borough are shown with small counts suppressed, so
    nobody can be picked out of a partnership-wide table."""
    return len(set(borough_ids)) > 1


def reports_may_name_people(borough_ids) -> bool:
    """Whether a report over these boroughs may list people by name (pages, CSV files,
    links from figures): a lead may see one borough's learners, but a view across several
    is for sharing with a board and lists nobody."""
    return not reports_are_partnership_wide(borough_ids)


def staff_tools_for(user) -> dict[str, bool]:
    """Which parts of the staff area this account may open."""
    scope = scope_of(user)
    return {
        "reports": scope.everything or bool(scope.lead_borough_ids),
        "licensing": scope.everything or bool(scope.licensing_borough_ids),
        "organisations": scope.everything or bool(scope.organisation_ids),
    }


def needs_second_factor(user) -> bool:
    """Staff roles must use TOTP: they see other people's records or change the courses.

    Asked on every request of a session without two-step sign-in, every learner's included,
    so answered in one query (STAFF_ACCESS_SQL): any staff role, or the permission
    `can_open_admin` asks Django's permission backends about (editors, reviewers), held
    directly or by a group. Asked of the database every time, never cached: roles change
    mid-session, and this is what still holds when ending someone's sessions could not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    # Read with the account at the start of this request (people/backends.py), and taken
    # once: a later question in the same request asks the database again.
    staff = getattr(user, STAFF_ACCESS, None)
    if staff is not None:
        delattr(user, STAFF_ACCESS)
    else:
        with connection.cursor() as cursor:
            cursor.execute(STAFF_ACCESS_SQL, [user.pk] * 3)
            staff = cursor.fetchone() is not None
    if not staff:
        # No role at all: `roles_scope_of` need not read them again in this request.
        setattr(user, _CACHE_ATTRIBUTE, NO_SCOPE)
    return staff


# needs_second_factor's query, written out: built by the ORM (three EXISTS with their joins)
# on every request, it took longer to build than the database took to answer. The tables
# are those of RoleAssignment, User.user_permissions, User.groups and Group.permissions;
# tests/people/test_permissions.py holds it to the roles and the permission it stands for.
STAFF_ACCESS_SQL = """
    WITH admin_access AS (
        SELECT permission.id FROM auth_permission permission
        JOIN django_content_type kind ON kind.id = permission.content_type_id
        WHERE permission.codename = 'access_admin' AND kind.app_label = 'wagtailadmin'
    )
    SELECT 1 FROM people_roleassignment WHERE user_id = %s
    UNION ALL
    SELECT 1 FROM people_user_user_permissions
    WHERE user_id = %s AND permission_id IN (SELECT id FROM admin_access)
    UNION ALL
    SELECT 1 FROM people_user_groups member
    JOIN auth_group_permissions granted ON granted.group_id = member.group_id
    WHERE member.user_id = %s AND granted.permission_id IN (SELECT id FROM admin_access)
    LIMIT 1"""


def can_open_admin(user) -> bool:
    """Whether Wagtail lets this account into its admin: editors, reviewers, superusers, and
    leads (who read question statistics there)."""
    return user.has_perm("wagtailadmin.access_admin")
