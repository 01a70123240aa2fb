"""Every form of the interface as Swedish writes it (issue 14, "Swedish polish"): labels in
sentence case and an empty choice that names what to choose ("Välj enhet"), never Django's
"---------". The forms are found by importing every module of the project's apps, so a new
form is checked without being listed here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from assignments.models import SupportRequest
from clients.models import Client, Locality, Unit
from stodperson.forms import DASHES, FilterSet, SwedishFormMixin, choose_placeholder, make_swedish
from supportpersons.models import SupportPerson
from tests import factories

# Modules that are not imported to look for forms: settings and entry points do work when
# imported, and migrations, admin and the management commands hold no form of the pages
# (the admin's fields are checked on its pages, tests/test_swedish_pages.py).
SKIPPED = (".migrations", ".management", ".settings", ".wsgi", ".celery", ".admin", ".apps")


def _project_packages() -> list[str]:
    local = [app for app in settings.INSTALLED_APPS if "." not in app]
    return ["stodperson", *[app for app in local if (settings.BASE_DIR / app).is_dir()]]


def _modules() -> Iterator[ModuleType]:
    for package in _project_packages():
        root = importlib.import_module(package)
        yield root
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if not any(part in info.name for part in SKIPPED):
                yield importlib.import_module(info.name)


def _classes(base: type) -> list[type]:
    found = {}
    for module in _modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


FORMS = [
    cls
    for cls in _classes(forms.BaseForm)
    if cls.__module__ != "stodperson.forms" and not cls.__name__.startswith("Base")
]
FILTERSETS = [cls for cls in _classes(FilterSet) if cls._meta.model is not None]


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"ConsentForm", "RequestForm", "CodeForm", "FlagFilterForm", "ReportCreateForm"} <= names
    assert {cls.__name__ for cls in FILTERSETS} == {"ClientFilter", "SupportPersonFilter"}


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_is_built_on_the_swedish_base(form_class):
    assert issubclass(form_class, SwedishFormMixin), (
        f"{form_class.__name__}: build it on stodperson.forms.Form or ModelForm"
    )


def _arguments(form_class: type, request: Any) -> dict[str, Any]:
    """What each form's constructor asks for, by the name of the argument."""
    values = {
        "candidates": SupportPerson.objects.all(),
        "people": SupportPerson.objects.all(),
        "contact_roles": {"god_man", "narstaende"},
        "clients": Client.objects.all(),
        "localities": Locality.objects.all(),
        "client": Client.objects.order_by("pk").first(),
        "instance": Client.objects.order_by("pk").first(),
        "hide_identity": False,
        "current": None,
        "units": Unit.objects.all(),
        "user": request.user,
    }
    wanted = {}
    for cls in form_class.__mro__:
        if "__init__" not in vars(cls):
            continue
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                if name == "request":
                    wanted[name] = (
                        SupportRequest.objects.first()
                        if "assignments" in form_class.__module__
                        else request
                    )
                elif name == "decision":
                    wanted[name] = factories.DecisionFactory()
                elif name == "deviation":
                    wanted[name] = factories.DeviationFactory()
                elif name == "assignment":
                    wanted[name] = factories.AssignmentFactory()
                elif name == "record":
                    wanted[name] = _record_for(form_class)
                else:
                    wanted[name] = values[name]
    return wanted


def _record_for(form_class: type) -> Any:
    """The client record a record action's form acts on (clients/record_forms.py)."""
    if "Risk" in form_class.__name__:
        return factories.RiskMeasureFactory()
    if "Contact" in form_class.__name__:
        return factories.ContactFactory()
    return factories.ConsentFactory()


def _render(form: forms.BaseForm) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def _check(form: forms.BaseForm) -> None:
    html = _render(form)
    assert DASHES not in html
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue  # never shown, so never read
        assert field.label is not None, f"{name}: give the field a translated label"
        label = str(field.label)
        assert label[:1].isupper(), f"{name}: “{label}” is not in sentence case"
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            assert field.empty_label is None or not str(field.empty_label).startswith("-"), name


@pytest.fixture
def http_request(world, admin_user):
    factories.RequestFactory(client=world.client_a2)
    request = RequestFactory().get("/")
    request.user = admin_user
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_has_sentence_case_labels_and_no_dashes(form_class, http_request):
    form = form_class(**_arguments(form_class, http_request))
    _check(form)
    # Bound and invalid, as a failed post shows it again.
    _check(form_class({}, **_arguments(form_class, http_request)))


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda c: c.__name__)
def test_every_filter_form_has_sentence_case_labels_and_no_dashes(filterset_class, http_request):
    model = filterset_class._meta.model
    filters = filterset_class(None, queryset=model._default_manager.all(), request=http_request)
    _check(filters.form)


def test_an_empty_choice_names_the_field():
    unit = forms.ModelChoiceField(label="enhet", queryset=Unit.objects.none())
    kind = forms.TypedChoiceField(label="Typ", choices=[("", DASHES), ("a", "A")])
    file = forms.ChoiceField(label="CSV-fil", choices=[("", DASHES)])
    for field in (unit, kind, file):
        make_swedish(field)
    assert unit.label == "Enhet"
    assert unit.empty_label == "Välj enhet"
    assert next(iter(kind.choices)) == ("", "Välj typ")
    assert choose_placeholder(file.label) == "Välj CSV-fil"


def test_a_model_form_says_what_to_choose(db):
    from supportpersons.forms import TrainingEventForm

    html = _render(TrainingEventForm())
    assert "Välj verksamhet" in html
    assert "Välj ort" in html
