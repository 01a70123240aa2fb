"""The benchmark's URLs (ROOT_URLCONF while `bench` measures the pages): the application's,
and the floor page, which the application itself does not serve."""

from django.urls import path

from stodperson.urls import handler403, handler404, handler500
from stodperson.urls import urlpatterns as app_urlpatterns

from . import views

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [path("bench/floor/", views.floor, name="bench_floor"), *app_urlpatterns]
