"""System checks for what people's services rely on in settings."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.checks import Error, register


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
            hint="Use 'django.contrib.sessions.backends.db' or "
            "'django.contrib.sessions.backends.cached_db'.",
            id="people.E001",
        )
    ]
