"""Permissions-Policy: the browser features a page may use. None, unless a view says which
it needs (an officer's scanner page would need the camera), and then only on our origin.

The middleware that sends it sits in training_site/middleware.py; the decorator is here,
at the ground level, so any app's views can use it.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase

# Features a page could otherwise use or hand to an embedded frame. Nothing on the site
# needs any of them today: no camera, microphone, location, payments or devices.
FEATURES = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "web-share",
    "xr-spatial-tracking",
)
# Set on a response by `permissions_policy_allow`; read by the middleware.
ALLOWED_ATTRIBUTE = "permissions_policy_allow"


def permissions_policy(allowed: frozenset[str] = frozenset()) -> str:
    """The header's value: every feature off except `allowed`, which the site's own
    origin (never a frame from elsewhere) may use."""
    return ", ".join(
        f"{feature}=(self)" if feature in allowed else f"{feature}=()" for feature in FEATURES
    )


def permissions_policy_allow(*features: str) -> Callable:
    """Decorate a view whose pages need browser features, e.g.
    `@permissions_policy_allow("camera")` on a page that scans QR codes."""
    unknown = set(features) - set(FEATURES)
    if unknown:
        raise ValueError(f"Not a Permissions-Policy feature this site knows: {sorted(unknown)}")
    allowed = frozenset(features)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            setattr(response, ALLOWED_ATTRIBUTE, allowed)
            return response

        return wrapped

    return decorator
