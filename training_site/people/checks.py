"""System checks for what people's services rely on: settings, and in production the
boroughs' contacts."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.checks import Error, Tags, Warning, register
from django.db import connections


@register()
def sessions_can_be_ended(app_configs, **kwargs) -> list[Error]:
    """Granting or removing a staff role signs that person out everywhere (services.
    sessions_end), which needs sessions kept in the database to find them."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if issubclass(store_class, DatabaseSessionStore):
        return []
    return [
        Error(
            f"SESSION_ENGINE {settings.SESSION_ENGINE!r} keeps sessions where they cannot be "
            "listed, so a role change could not sign the person out of their other sessions.",
            hint="Use 'training_site.people.sessions' (the site's), "
            "'django.contrib.sessions.backends.db' or "
            "'django.contrib.sessions.backends.cached_db'.",
            id="people.E001",
        )
    ]


@register(Tags.database)
def boroughs_have_confirmed_contacts(app_configs, databases=None, **kwargs) -> list[Warning]:
    """In production, name every borough whose learners get the fallback instead of their
    council's children's social care numbers (Borough.contacts_confirmed).

    A database check, as Django runs them: only from `migrate` or `check --database ALIAS`,
    so `check --deploy` (CI's, on an empty database) never queries, and on a database not yet
    migrated there is nothing to check."""
    if not databases or not settings.PEOPLE_WARN_UNCONFIRMED_CONTACTS:
        return []
    borough_model = apps.get_model("people", "Borough")
    found = []
    for alias in databases:
        if borough_model._meta.db_table not in connections[alias].introspection.table_names():
            continue
        found += [
            Warning(
                "Children's social care contacts are not confirmed, so this borough's learners "
                "are told to call 101 or 999 and to find the number on the council's website.",
                hint="In People and places > Boroughs, add the front door and out-of-hours "
                "numbers from the council's own website, each with the page it is on and the "
                "date checked.",
                obj=borough,
                id="people.W001",
            )
            for borough in borough_model.objects.using(alias).order_by("name")
            if not borough.contacts_confirmed
        ]
    return found
