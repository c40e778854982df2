from wagtail import hooks

from .page_cache import page_cache_mark_public


@hooks.register("before_serve_page")
def page_may_be_cached(page, request, serve_args, serve_kwargs):
    """Every Wagtail page may be kept for visitors; page_cache.py decides which responses."""
    page_cache_mark_public(request)
