"""What a signed-in account without Wagtail admin access meets at /admin/: a 403.

Wagtail turns such an account away to WAGTAILADMIN_LOGIN_URL, as if it were signed out;
that is allauth's sign-in page, which sends anyone already signed in straight on to `next`,
/admin/ again: an endless redirect. So they are refused before Wagtail sees them, and the
site's 403 page shows them the way to where they belong. Visitors who are signed out still
go on to Wagtail, and from there to the sign-in page.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .permissions import can_open_admin


def refuse_signed_in_without_admin_access(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not can_open_admin(request.user):
            raise PermissionDenied(
                "The editing area is for the people who write and review the courses."
            )
        return view(request, *args, **kwargs)

    return wrapped
