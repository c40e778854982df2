"""Authentication backends: Django's and allauth's, unchanged in how they sign people in,
but reading a signed-in account and whether it may reach staff tools in one query.

On every request of a signed-in session Django reads the account, and the two-step check
(permissions.needs_second_factor) then asked the database about staff roles and admin
permissions. Here both come from one statement, built once: the account's row with
STAFF_ACCESS_SQL's answer beside it, fresh on every request as before (roles change
mid-session; nothing is cached). Sessions name these classes (people/sessions.py reads
older sessions' names as theirs).
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from .models import User
from .permissions import STAFF_ACCESS, STAFF_ACCESS_SQL

# Made of constants alone; the account's id is the one parameter (four times over).
ACCOUNT_SQL = (
    f"SELECT account.*, EXISTS ({STAFF_ACCESS_SQL}) AS {STAFF_ACCESS} "  # noqa: S608  # nosec B608
    f"FROM {User._meta.db_table} account WHERE account.id = %s"
)


class AccountReading:
    def get_user(self, user_id):
        user = next(iter(User.objects.raw(ACCOUNT_SQL, [user_id] * 4)), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        # SQLite answers EXISTS with 0 or 1.
        setattr(user, STAFF_ACCESS, bool(getattr(user, STAFF_ACCESS)))
        return user


class AccountModelBackend(AccountReading, ModelBackend):
    pass


class AccountAllauthBackend(AccountReading, AuthenticationBackend):
    pass
