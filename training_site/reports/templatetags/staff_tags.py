from django import template

from training_site.people.permissions import staff_tools_for

register = template.Library()


@register.inclusion_tag("reports/staff_nav.html", takes_context=True)
def staff_nav(context, current: str = ""):
    """The staff area's own navigation: only the tools this account may use."""
    return {"current": current, **staff_tools_for(context["request"].user)}
