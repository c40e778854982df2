from django import template

from ..helplines import helpline_links

register = template.Library()
register.filter("helpline_links", helpline_links)
