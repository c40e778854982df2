from django import template

from ..lesson_body import body_html

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_body(context, body, fragments):
    """A lesson's body from its kept fragments (courses.lesson_body)."""
    return body_html(body=body, fragments=fragments, context=context.flatten())
