"""A lesson's body as HTML: rendered once per revision and kept in the cache
(training_site/home/content_cache.py), except the blocks that read the learner's context
(blocks.PER_LEARNER_BLOCKS), which are rendered for each request."""

from django.utils.safestring import SafeString, mark_safe
from wagtail.blocks import StreamValue

from .blocks import PER_LEARNER_BLOCKS

# Part of every key: a change to what is kept gets new keys, never an old pickle.
FORMAT = "v1"


def body_key(*, lesson_id: int, revision_id: int | None) -> str:
    # The revision as well as the generation: a request that read the page just before a
    # publish must not store the old body as the new generation's.
    return f"courses:lesson-body:{FORMAT}:{lesson_id}:{revision_id}"


def body_fragments(body: StreamValue) -> tuple[str | None, ...]:
    """Each block's HTML, or None where the block is rendered for each request."""
    return tuple(
        None if child.block_type in PER_LEARNER_BLOCKS else str(child.render()) for child in body
    )


def body_html(*, body: StreamValue, fragments: tuple[str | None, ...], context: dict) -> SafeString:
    """The body from its kept fragments, rendering the per-learner blocks with `context`
    as {% include_block %} would."""
    # Indexing a StreamValue converts only the blocks of the type asked for.
    return mark_safe(  # noqa: S308  # nosec B308: rendered by the blocks' own templates
        "".join(
            body[index].render_as_block(context) if fragment is None else fragment
            for index, fragment in enumerate(fragments)
        )
    )
