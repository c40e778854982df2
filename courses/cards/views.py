"""The printable cards: a page to choose one, and the PDF. Both are open to everyone (a
manager prints cards for staff who have no account); the PDF is the same for everyone, so
shared caches may keep it."""

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET

from .content import card_choices, card_for
from .links import card_pdf_url
from .pdf import PAPERS, card_etag, card_html, card_pdf

# Contacts and lessons change seldom; an hour's copy is fresh enough, and a changed card
# gets a new ETag, so a revalidating client fetches it again.
CACHE_SECONDS = 3600


class CardChoiceForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who the card is for",
        error_messages={"invalid_choice": "Choose a role from the list."},
    )
    borough = forms.ChoiceField(
        label="Council area",
        error_messages={"invalid_choice": "Choose a council area from the list."},
    )

    def __init__(self, *args, audiences, boroughs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audiences
        self.fields["borough"].choices = boroughs


def public(response):
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_GET
def index(request):
    """Choose a role and a council area; then both sizes of that card."""
    audiences, boroughs = card_choices()
    chosen = request.GET if {"audience", "borough"} & set(request.GET) else None
    form = CardChoiceForm(chosen, audiences=audiences, boroughs=boroughs)
    context = {"form": form, "papers": PAPERS.values()}
    if chosen is not None and form.is_valid():
        card = card_for(
            audience_slug=form.cleaned_data["audience"], borough_slug=form.cleaned_data["borough"]
        )
        if card is not None:
            context["card"] = card
            context["downloads"] = [
                {
                    "paper": paper,
                    "url": card_pdf_url(
                        audience_slug=card.audience_slug,
                        borough_slug=card.borough_slug,
                        paper=paper.slug,
                    ),
                }
                for paper in PAPERS.values()
            ]
    # A choice not in the lists is refused (400) with the form and a message by it. Not
    # marked public: the page's header is the visitor's own (signed in or not).
    status = 400 if chosen is not None and form.errors else 200
    return TemplateResponse(request, "cards/index.html", context, status=status)


@require_GET
def pdf(request, audience_slug: str, borough_slug: str, paper: str):
    """The card as a PDF. Its ETag is its content's hash: a client that has this card
    gets a 304 without a PDF being drawn, and the drawn PDF is kept in the cache."""
    chosen_paper = PAPERS.get(paper)
    card = card_for(audience_slug=audience_slug, borough_slug=borough_slug)
    if chosen_paper is None or card is None:
        raise Http404("There is no card for that role, council area and size.")
    html = card_html(card, chosen_paper)
    etag = f'"{card_etag(html)}"'
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return public(unchanged)
    key = f"cards:pdf:{etag}"
    document = cache.get(key)
    if document is None:
        document = card_pdf(card, chosen_paper)
        cache.set(key, document, CACHE_SECONDS)
    response = HttpResponse(document, content_type="application/pdf")
    response["ETag"] = etag
    response["Content-Disposition"] = (
        f'inline; filename="spot-the-signs-{card.audience_slug}-{card.borough_slug}-'
        f'{chosen_paper.slug}.pdf"'
    )
    return public(response)
