"""Who takes part: boroughs, partnerships, audiences, organisations, learners, licences, roles."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.search import index

from .admin_forms import ScopeFieldsForm
from .roles import SCOPE_PERMISSION, Role
from .validators import FULL_NAME_MAX_LENGTH, validate_full_name, validate_licence_number

ons_code_validator = RegexValidator(
    r"^[ENSW]\d{8}$",
    "An ONS code is a letter and eight digits, for example E08000033.",
)
phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{3,20}$",
    "Enter a phone number using digits, spaces and brackets only.",
)


def contact_source_field(what: str) -> models.URLField:
    return models.URLField(
        f"source of the {what}",
        max_length=500,
        blank=True,
        help_text="The council's own web page that shows it, so anyone can check it again.",
    )


def contact_checked_field() -> models.DateField:
    return models.DateField(
        "date checked",
        null=True,
        blank=True,
        help_text="When someone last saw it on that page.",
    )


class UserManager(DjangoUserManager):
    """Email is the identity: there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.email

    def get_full_name(self):
        profile = getattr(self, "profile", None)
        if profile is not None and profile.full_name:
            return profile.full_name
        return super().get_full_name() or self.email


class Partnership(index.Indexed, models.Model):
    """Boroughs that share a safeguarding partnership and see each other's completions."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Borough(index.Indexed, models.Model):
    """A local authority: it licenses drivers, and its contacts are shown to its learners."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    ons_code = models.CharField(
        "ONS code", max_length=9, unique=True, validators=[ons_code_validator]
    )
    council_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="The council's name as it writes it, e.g. “Leeds City Council”. Leave empty "
        "for the borough name followed by “Council”.",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="boroughs", null=True, blank=True
    )
    # Each contact a learner may be sent to keeps the council page it came from and the date
    # someone checked it there: a wrong number for a child at risk is worse than none.
    social_care_phone = models.CharField(
        "children's social care front door",
        max_length=20,
        blank=True,
        validators=[phone_validator],
        help_text="Where anyone worried about a child in this borough should call in office hours.",
    )
    social_care_phone_source = contact_source_field("front door number")
    social_care_phone_checked = contact_checked_field()
    out_of_hours_phone = models.CharField(
        "out-of-hours line",
        max_length=20,
        blank=True,
        validators=[phone_validator],
        help_text="Children's social care in the evening, at night, at weekends and on bank "
        "holidays (often the emergency duty team).",
    )
    out_of_hours_phone_source = contact_source_field("out-of-hours number")
    out_of_hours_phone_checked = contact_checked_field()
    web_page = models.URLField(
        "report a concern page",
        max_length=500,
        blank=True,
        help_text="The council's own page for reporting a concern about a child, not its home "
        "page.",
    )
    web_page_source = contact_source_field("report a concern page")
    web_page_checked = contact_checked_field()
    website = models.URLField(
        "council website",
        blank=True,
        help_text="The council's home page: learners are sent there for the number when this "
        "page has none.",
    )
    website_source = contact_source_field("council website")
    website_checked = contact_checked_field()
    licensing_email = models.EmailField("licensing team email", blank=True)
    licensing_phone = models.CharField(
        "licensing team phone", max_length=20, blank=True, validators=[phone_validator]
    )

    # Sourced contacts, in the order editors see them.
    SOURCED_CONTACTS = ("social_care_phone", "out_of_hours_phone", "web_page", "website")
    # What a learner needs by day and by night: without both, contacts are not confirmed.
    CONFIRMED_BY = ("social_care_phone", "out_of_hours_phone")

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("council_name"),
                FieldPanel("slug"),
                FieldPanel("ons_code"),
            ],
            heading="Borough",
        ),
        # Which partnership's leads see this borough: for site administrators only.
        FieldPanel("partnership", permission=SCOPE_PERMISSION),
        MultiFieldPanel(
            [
                HelpPanel(
                    "<p>Copy each number from the council's own website, give the page it is "
                    "on and the date you checked it. Never guess a number: leave it empty and "
                    "learners are told to call the police on 101, or 999 in an emergency, and "
                    "to find the number on the council's website.</p><p>Contacts are "
                    "confirmed when both numbers have their page and date; until then a "
                    "production check warns about this borough.</p>"
                ),
                *(
                    FieldRowPanel(
                        [
                            FieldPanel(name),
                            FieldPanel(f"{name}_source"),
                            FieldPanel(f"{name}_checked"),
                        ]
                    )
                    for name in SOURCED_CONTACTS
                ),
                FieldPanel("licensing_email"),
                FieldPanel("licensing_phone"),
            ],
            heading="Local contacts",
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("ons_code"),
        index.AutocompleteField("ons_code"),
        index.FilterField("ons_code"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def council(self) -> str:
        """How the council is named on certificates and contact panels."""
        return self.council_name or f"{self.name} Council"

    def is_sourced(self, name: str) -> bool:
        """The contact is set, with the page it came from and the date it was checked."""
        return bool(
            getattr(self, name)
            and getattr(self, f"{name}_source")
            and getattr(self, f"{name}_checked")
        )

    @property
    def contacts_confirmed(self) -> bool:
        return all(self.is_sourced(name) for name in self.CONFIRMED_BY)

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = {
            f"{name}_checked": "A check cannot be dated in the future."
            for name in self.SOURCED_CONTACTS
            if (getattr(self, f"{name}_checked") or today) > today
        }
        if errors:
            raise ValidationError(errors)


class OrganisationKind(models.TextChoices):
    PREMISES = "premises", "Hotel, B&B or other premises"
    SCHOOL = "school", "School or college"
    TAXI_OPERATOR = "taxi_operator", "Taxi or private hire operator"
    CARE_HOME = "care_home", "Care home"
    OTHER = "other", "Other"


class Audience(models.Model):
    """A group of learners a course is written for. Editors add audiences without code."""

    class Membership(models.TextChoices):
        LICENCE = "licence", "Learners hold a licence (for example taxi drivers)"
        ORGANISATION = "organisation", "Learners belong to an organisation (a hotel, a school)"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        max_length=200, blank=True, help_text="Shown when a learner chooses their role."
    )
    membership = models.CharField(max_length=12, choices=Membership.choices)
    organisation_kind = models.CharField(
        max_length=20,
        blank=True,
        choices=OrganisationKind.choices,
        help_text="Which kind of organisation these learners pick from; blank for any.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(
        default=True, help_text="Inactive audiences are not offered to new learners."
    )
    works_nights = models.BooleanField(
        "works at night",
        default=False,
        help_text="Many of these learners work evenings or nights (taxi drivers, hotel night "
        'staff): their "Who to call" puts the out-of-hours number first.',
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("membership"),
        FieldPanel("organisation_kind"),
        FieldPanel("works_nights"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def holds_licences(self) -> bool:
        return self.membership == self.Membership.LICENCE


class Organisation(index.Indexed, models.Model):
    """A premises, school or taxi operator in one borough."""

    Kind = OrganisationKind

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="organisations")
    is_confirmed = models.BooleanField(
        default=False,
        help_text="Added or checked by the council. Learners can name an organisation "
        "that is not listed; it stays unconfirmed until someone checks it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        # Which borough's leads and officers see its people: for site administrators only.
        FieldPanel("borough", permission=SCOPE_PERMISSION),
        FieldPanel("is_confirmed"),
    ]
    base_form_class = ScopeFieldsForm
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("borough"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "borough", "kind", name="organisation_name_borough_kind_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.borough})"


class LearnerProfile(models.Model):
    """What a learner tells us about themselves: the minimum a certificate needs."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(
        max_length=FULL_NAME_MAX_LENGTH,
        validators=[validate_full_name],
        help_text="As it must appear on your certificate.",
    )
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="learners")
    home_borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="learners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        related_name="learners",
        null=True,
        blank=True,
    )
    licence_applied_for = models.BooleanField(
        default=False,
        help_text="Said they are still applying for a licence and will add it later.",
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.full_name

    @cached_property
    def is_complete(self) -> bool:
        if not (self.full_name and self.audience_id and self.home_borough_id):
            return False
        if self.audience.holds_licences:
            return self.licence_applied_for or self.user.licences.exists()
        return self.organisation_id is not None

    @property
    def licence_missing(self) -> bool:
        """A learner whose role holds licences but who has not added one yet."""
        return self.audience.holds_licences and not self.user.licences.exists()


class Licence(models.Model):
    """A taxi or private hire licence (badge) a learner holds from one licensing authority."""

    holder = models.ForeignKey(User, on_delete=models.CASCADE, related_name="licences")
    authority = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="licences")
    number = models.CharField(
        "licence or badge number", max_length=20, validators=[validate_licence_number]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authority__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number"], name="licence_number_unique_per_authority"
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.authority})"


class RoleAssignment(models.Model):
    """A staff role and the place it covers: a borough, a partnership or an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.scoped_choices())
    borough = models.ForeignKey(
        Borough, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Held by site administrators (superusers hold it implicitly): see scope.py.
        permissions = [
            ("manage_scope", "Can change whose records staff see (roles, places' links)")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=[Role.LICENSING_OFFICER, Role.BOROUGH_LEAD],
                        borough__isnull=False,
                        partnership__isnull=True,
                        organisation__isnull=True,
                    )
                    | models.Q(
                        role=Role.PARTNERSHIP_LEAD,
                        borough__isnull=True,
                        partnership__isnull=False,
                        organisation__isnull=True,
                    )
                    | models.Q(
                        role=Role.ORGANISATION_MANAGER,
                        borough__isnull=True,
                        partnership__isnull=True,
                        organisation__isnull=False,
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "borough"],
                condition=models.Q(borough__isnull=False),
                name="role_assignment_unique_borough",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partnership"],
                condition=models.Q(partnership__isnull=False),
                name="role_assignment_unique_partnership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="role_assignment_unique_organisation",
            ),
        ]

    def __str__(self):
        place = self.borough or self.partnership or self.organisation
        return f"{self.get_role_display()}: {place}"


class AccountEvent(models.Model):
    """A learner viewed or downloaded their records, or closed their account. Nothing but
    the link to the account is kept, and that goes with the account."""

    class Kind(models.TextChoices):
        RECORDS_VIEWED = "records_viewed", "Viewed their records"
        RECORDS_DOWNLOADED = "records_downloaded", "Downloaded their records"
        ACCOUNT_CLOSED = "account_closed", "Closed their account"

    who = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="account_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"], name="account_event_at")]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


def onboarding_done(user: User) -> bool:
    """Whether a signed-in account has finished onboarding. Staff accounts (scoped roles,
    editors, reviewers and anyone else who can open the Wagtail admin) are never sent
    through it."""
    if (
        user.is_staff
        or user.is_superuser
        or user.role_assignments.exists()
        or user.has_perm("wagtailadmin.access_admin")
    ):
        return True
    return LearnerProfile.objects.filter(user=user, onboarded_at__isnull=False).exists()
