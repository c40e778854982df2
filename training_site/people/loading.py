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
                "council_name": row.get("council_name", ""),
                "partnership": partnerships.get(row.get("partnership")),
                **sourced_contacts(row),
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
                "works_nights": row.get("works_nights", False),
            },
        )
        created["audiences"] += was_created
    return created


def sourced_contacts(row: dict) -> dict:
    """Each contact with the page it came from and the date it was checked there."""
    values = {}
    for name in Borough.SOURCED_CONTACTS:
        values[name] = row.get(name, "")
        values[f"{name}_source"] = row.get(f"{name}_source", "")
        values[f"{name}_checked"] = row.get(f"{name}_checked")
    return values
