"""Figures for signed QR codes (issue 17): how big the payload and the QR code are, how long
signing and an offline check take, and how big the status list is: for 100,000 certificates
of which a given share no longer hold, and for every certificate in the database (run after
the reports' synthetic learners)."""

import random
import statistics
import time

CERTIFICATES_AT_SCALE = 100_000
# Revoked, replaced by a renewal, or their holder's account closed: renewals every three
# years make this the largest share, so 10% is generous.
NOT_HOLDING_SHARE = 0.10


def median_ms(action, rounds: int) -> float:
    durations = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        durations.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(durations), 3)


def signed_qr_figures(certificate, rounds: int) -> dict:
    from django.utils import timezone

    from certificates.offline import status_list_open, verdict
    from certificates.qr import qr_code
    from certificates.signing import b32_decode, published_keys, qr_text
    from certificates.status_list import status_list

    text = qr_text(certificate)
    keys = published_keys()
    signed_list = status_list_open(status_list(), keys=keys)
    today, now = timezone.localdate(), timezone.now()
    assert verdict(text, keys=keys, status_list=signed_list, today=today, now=now).status == "Valid"
    return {
        **status_list_at_scale(),
        "qr_payload_bytes": len(b32_decode(text.split("#")[1])),
        "qr_text_chars": len(text),
        "qr_version": qr_code(text).version,
        "qr_sign_p50_ms": median_ms(lambda: qr_text(certificate), rounds),
        "qr_offline_check_p50_ms": median_ms(
            lambda: verdict(text, keys=keys, status_list=signed_list, today=today, now=now),
            rounds,
        ),
    }


def status_list_at_scale() -> dict:
    """The signed list's size for 100,000 certificates, a random tenth of them not holding
    (scattered bits compress worst)."""
    from certificates.offline import status_list_open
    from certificates.signing import published_keys
    from certificates.status_list import status_list_sign

    chooser = random.Random(17)
    holding = [
        index
        for index in range(1, CERTIFICATES_AT_SCALE + 1)
        if chooser.random() >= NOT_HOLDING_SHARE
    ]
    signed = status_list_sign(newest_id=CERTIFICATES_AT_SCALE, holding=holding)
    return {
        "status_list_100k_bits": status_list_open(signed, keys=published_keys()).size,
        "status_list_100k_not_holding_share": NOT_HOLDING_SHARE,
        "status_list_100k_bytes": len(signed),
    }


def status_list_figures() -> dict:
    from certificates.models import Certificate
    from certificates.status_list import status_list_build

    started = time.perf_counter()
    signed = status_list_build()
    return {
        "status_list_certificates": Certificate.objects.count(),
        "status_list_not_holding": Certificate.objects.count()
        - Certificate.objects.standing().filter(learner_closed_at__isnull=True).count(),
        "status_list_bytes": len(signed),
        "status_list_build_ms": round((time.perf_counter() - started) * 1000, 1),
    }
