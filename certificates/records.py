"""What certificates holds about one learner, as plain data for their records page."""

from django.utils import timezone

from training_site.people.models import User

from .lookups import lookups_flush
from .models import Certificate, Status


def records_for(user: User) -> dict:
    # Checks still counted in the cache go to the database first: the counts shown then
    # miss only the last few seconds' repeated checks (see lookups.py).
    lookups_flush()
    today = timezone.localdate()
    certificates = (
        Certificate.objects.filter(learner=user)
        .prefetch_related("events", "reminders", "lookups")
        .order_by("-issued_at")
    )
    return {
        "certificates": [
            {
                "code": certificate.display_code,
                "course": certificate.course_title,
                "course_version": certificate.course_version,
                "name_on_certificate": certificate.full_name,
                "role": certificate.role,
                "licences": [
                    f"{licence['number']} ({licence['authority']})"
                    for licence in certificate.licences
                ],
                "issued_by": certificate.issuer_name,
                "completed": certificate.completed_on,
                "valid_until": certificate.valid_until,
                "status": Status(certificate.status_on(today)).label,
                "revocation_reason": certificate.get_revocation_reason_display(),
                "revocation_note": certificate.revocation_note,
                # Who acted is left out: that is an officer's record, not the learner's.
                "history": [
                    {"what": event.get_action_display(), "when": event.at, "note": event.note}
                    for event in certificate.events.all()
                ],
                "reminders_sent": [
                    {"what": reminder.get_kind_display(), "when": reminder.sent_at}
                    for reminder in certificate.reminders.all()
                ],
                "checks": [
                    {"first": lookup.at, "latest": lookup.last_at, "times": lookup.hits}
                    for lookup in sorted(certificate.lookups.all(), key=lambda row: row.at)
                ],
            }
            for certificate in certificates
        ]
    }
