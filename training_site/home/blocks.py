"""Blocks shared by the site's own pages and the courses."""

from wagtail import blocks


class KeyPointBlock(blocks.StructBlock):
    """One sentence to remember, set apart from the text around it."""

    text = blocks.TextBlock(max_length=300)

    class Meta:
        icon = "warning"
        label = "Key point"
        template = "blocks/key_point.html"
