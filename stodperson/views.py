"""Views that belong to no app: the start page and the error pages."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static

from . import roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its daily work is."""
    if roles.is_administrator(request.user) or roles.is_unit_manager(request.user):
        return redirect("overview:dashboard")
    if roles.is_support_person(request.user):
        return redirect("overview:my_clients")
    return render(request, "home.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a CSV)."""
    return redirect(static("favicon.svg"), permanent=True)


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker compose: the database answers. Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the error may have come from the database they would query.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
