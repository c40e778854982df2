"""Load boroughs, partnerships and audiences from fixtures/places.yaml (idempotent)."""

from django.db import transaction

from .models import Audience, Borough, Partnership


@transaction.atomic
def places_load(*, data: dict) -> dict[str, int]:
    """Create what is missing; leave editors' changes to existing rows alone."""
    created = {"partnerships": 0, "boroughs": 0, "audiences": 0}
    partnerships = {}
    for row in data.get("partnerships", []):
        partnership, was_created = Partnership.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"]}
        )
        partnerships[row["slug"]] = partnership
        created["partnerships"] += was_created
    for row in data.get("boroughs", []):
        _, was_created = Borough.objects.get_or_create(
            ons_code=row["ons_code"],
            defaults={
                "slug": row["slug"],
                "name": row["name"],
                "partnership": partnerships.get(row.get("partnership")),
                "web_page": row.get("web_page", ""),
                "social_care_phone": row.get("social_care_phone", ""),
                "out_of_hours_phone": row.get("out_of_hours_phone", ""),
                "licensing_email": row.get("licensing_email", ""),
                "licensing_phone": row.get("licensing_phone", ""),
            },
        )
        created["boroughs"] += was_created
    for row in data.get("audiences", []):
        _, was_created = Audience.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "membership": row["membership"],
                "organisation_kind": row.get("organisation_kind", ""),
                "sort_order": row.get("sort_order", 100),
            },
        )
        created["audiences"] += was_created
    return created
