"""Public addresses certificates print and send: their own pages, reversed by name, on
PUBLIC_BASE_URL. Certificates name no other part's URL; what they need from above (where to
find training, the printable cards) comes from settings."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from training_site.people.models import LearnerProfile

from .models import Certificate


def public_url(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


def verify_url(certificate: Certificate) -> str:
    """What the QR code opens."""
    return public_url(reverse("certificates:verify_code", args=[certificate.code]))


def verify_page_url() -> str:
    """Where anyone can type a code."""
    return public_url(reverse("certificates:verify"))


def training_url() -> str:
    """Where a learner finds a course to take: set by the site, not known to certificates."""
    return public_url(settings.CERTIFICATES_TRAINING_PATH)


def cards_url(learner) -> str:
    """The printable card for the learner's role and area (settings say where cards are),
    or "" without a learner profile."""
    profile = (
        LearnerProfile.objects.filter(user=learner)
        .select_related("audience", "home_borough")
        .first()
    )
    if profile is None:
        return ""
    query = urlencode({"audience": profile.audience.slug, "borough": profile.home_borough.slug})
    return f"{settings.CERTIFICATES_CARDS_PATH}?{query}"
