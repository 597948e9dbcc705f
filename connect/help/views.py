from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from connect.accounts.policies import methods, public
from connect.help.models import LegalPage
from connect.help.subject_table import subject_rows
from connect.help.topics import BY_SLUG, TOPICS


@public
@methods("GET")
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "help/index.html", {"topics": TOPICS})


@public
@methods("GET")
def help_topic(request: HttpRequest, topic: str) -> HttpResponse:
    current = BY_SLUG.get(topic)
    if current is None:
        raise Http404
    context = {"topic": current, "topics": TOPICS}
    if current.slug == "messagerie":
        context["subject_rows"] = subject_rows()
    return render(request, current.template, context)


@public
@methods("GET")
def legal(request: HttpRequest) -> HttpResponse:
    return _legal_page(request, LegalPage.Slug.LEGAL, "help/legal.html")


@public
@methods("GET")
def privacy(request: HttpRequest) -> HttpResponse:
    return _legal_page(request, LegalPage.Slug.PRIVACY, "help/privacy.html")


def _legal_page(request: HttpRequest, slug: str, default_template: str) -> HttpResponse:
    page = LegalPage.objects.filter(slug=slug).first()
    if page is None:
        return render(request, default_template)
    return render(request, "help/legal_page.html", {"page": page})
