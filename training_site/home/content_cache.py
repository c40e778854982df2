"""What pages show everyone alike, kept in the shared cache between changes: one content
generation for every such cache.

Visitors' whole pages (page_cache.py), each course's outline (courses.outline) and each
lesson's rendered body (courses.lesson_body) are the same for everyone. Each entry is stored
with the content generation it was built in, and any change to what they are made of starts
a new generation, so every entry is stale at once: publishing, unpublishing, moving, saving or
deleting any page (pages list other pages, and rich text links to them); saving or deleting
a site (page addresses), a page's view restriction (visitors' pages), an image or a
document (a lesson shows them); and the site's
settings, a borough (its contacts), an audience or a partnership (every page's footer and
helplines, the catalogue's filters). Such changes are rare, and a rebuild takes a few queries.

A new generation starts the moment the change is made, so the process making it sees it at
once, and again when its transaction commits, so that nothing built meanwhile from the
rows as they were before the commit outlives it. Entries also expire, which bounds what a
change made in another process can leave stale where the cache is not shared: during an
outage of Redis (each app server then keeps its own generation in memory, see cache.py), or
without Redis at all.
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "content:generation"
# How long an outline or a lesson body is kept at most (visitors' pages: PAGE_CACHE_SECONDS).
ENTRY_SECONDS = 600
# What pages show besides pages, images and documents.
LISTED_MODELS = (
    "wagtailcore.Site",
    # A visitor's stored page must not outlive a restriction put on it (or above it).
    "wagtailcore.PageViewRestriction",
    "home.SiteSettings",
    "people.Borough",
    "people.Audience",
    "people.Partnership",
)


def content_generation_start() -> None:
    """Every entry kept so far is stale from now on."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def current_generation(found: dict) -> str:
    """The generation in `found` (a get_many that asked for it), or a first one."""
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        # Another process may start the first generation at the same time: use the winner.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def shared_read(builders: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """The value of each key, from the cache (one round trip for them all) where it was
    built in the current generation, otherwise built now and stored.

    Stored under the generation read before building: a change made while building starts
    a newer one, so what was built from the older rows is never taken as current."""
    found = cache.get_many([GENERATION_KEY, *builders])
    generation = current_generation(found)
    values, built = {}, {}
    for key, build in builders.items():
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            values[key] = entry[1]
        else:
            values[key] = build()
            built[key] = (generation, values[key])
    if built:
        cache.set_many(built, ENTRY_SECONDS)
    return values


def content_changed(**kwargs) -> None:
    content_generation_start()
    transaction.on_commit(content_generation_start)


def page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        content_changed()


def content_cache_connect() -> None:
    """Listen for every change that makes entries stale (see the module's docstring).
    Called once, as the home app's models load."""
    # Every page class, including those of apps that load after this one.
    post_save.connect(page_saved_or_deleted, dispatch_uid="content-cache-page")
    post_delete.connect(page_saved_or_deleted, dispatch_uid="content-cache-page")
    for model in (*LISTED_MODELS, get_image_model_string(), get_document_model_string()):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-cache-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-cache-{model}")
    # A publish saves the page too; these also cover a move, which need not save every page
    # whose address it changes.
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(content_changed, dispatch_uid=f"content-cache-page-{name}")
