"""Paged lists: one page of the rows, and the query string the page links keep."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    per_page: int,
    *,
    param: str = "page",
) -> tuple[Page[Any], QueryDict]:
    """The page `?page=` asks for (the last for a number past the end, the first for
    anything else), and the request's query without `page`, for the links to other pages
    with the same filters. A second list on the same page pages with its own `param`."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query
