"""Django's database sessions (`SESSION_ENGINE`), each read with SQL written once.

Every signed-in request reads its session first. Django's store builds that query through
the ORM each time, which cost more than the database took to answer; this store reads the
same row with the same conditions (the key, not yet expired). Sessions are written, ended
and cleared exactly as Django's `db` engine does: the table, the encoding and every
other method are its own, so switching to it signs no one out.

Sessions made before people/backends.py name the backend that signed them in by Django's
or allauth's own path; they are read as naming the subclass that now stands in its place,
so they carry on.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from .backends import AccountAllauthBackend, AccountModelBackend


def dotted_path(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# What a session signed in before the backends were replaced names, and what now serves it.
# Sessions last at most SESSION_COOKIE_AGE (12 hours): once every session from before this
# release has expired, this map has nothing left to read and can go.
BACKEND_REPLACED = {
    dotted_path(ModelBackend): dotted_path(AccountModelBackend),
    dotted_path(AuthenticationBackend): dotted_path(AccountAllauthBackend),
}


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        sql = (
            # The model's own table; the key and the time are parameters.
            f"SELECT session_key, session_data, expire_date FROM {self.model._meta.db_table} "  # noqa: S608  # nosec B608
            "WHERE session_key = %s AND expire_date > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = next(iter(self.model.objects.raw(sql, [self.session_key, now])), None)
        if found is None:
            # As Django's store does for a key with no live session: a new one is made.
            self._session_key = None
        return found

    def load(self):
        session = super().load()
        backend = session.get(BACKEND_SESSION_KEY)
        if backend in BACKEND_REPLACED:
            session[BACKEND_SESSION_KEY] = BACKEND_REPLACED[backend]
        return session
