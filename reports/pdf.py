"""PDF through WeasyPrint (house-style.md, "PDF"): one `render_pdf(template, context)`.

Static files are read from disk, never over HTTP: the HTML is rendered against a base URL
that resolves nowhere, and the fetcher maps that origin's /static/ paths to the static
finders (or STATIC_ROOT after collectstatic) and refuses every other URL. Fonts come from
the system (fontconfig; fonts-dejavu-core on Debian).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint logs every rendering step at INFO; the worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# A reserved name (RFC 2606): nothing is ever fetched from it.
BASE_URL = "https://pdf.invalid/"
_ORIGIN = urlsplit(BASE_URL).netloc


class RefusedURL(ValueError):
    pass


def static_file_for(url: str) -> Path | None:
    """The file on disk for a /static/ URL of the PDF's own origin, or None."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != _ORIGIN:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or ".." in pure.parts:
        return None
    found = finders.find(relative)
    if isinstance(found, str):
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, cut down to the project's static files."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_file_for(url)
        if path is None:
            raise RefusedURL(f"The PDF may only load static files, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF, in the site's language (Swedish)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    # A fixed identifier: the same content gives the same file.
    pdf = document.write_pdf(pdf_identifier=b"stodperson-report", pdf_tags=True)
    assert pdf is not None
    return pdf
