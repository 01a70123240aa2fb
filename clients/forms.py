"""Forms for what is recorded about a client (consents, risk measures, deviations), and the
name search of the lists of persons."""

import re
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stodperson.forms import DateInput, FilterSet, ModelForm, PastDateField
from stodperson.text import fold, folded_pattern

from .models import Client, Consent, Deviation, Person, RiskMeasure, search_words
from .record_forms import consent_field

# The hint offers a few names, read from a bounded number of the persons it finds.
SUGGESTIONS = 3
SUGGESTION_CANDIDATES = 20


@dataclass
class Suggestion:
    """ "Menade du Sundström?": the search to offer, its query string, and the persons whose
    names it shows (for the read log)."""

    text: str
    query: str
    people: list[Person] = field(default_factory=list)


def spelled_as_in(person: Person, words: list[str]) -> str | None:
    """The search words as the person's name writes them ("sundstrom" -> "Sundström"), or
    None when a word is not in the name."""
    parts = f"{person.first_name} {person.last_name}".split()
    spelled = []
    for word in words:
        pattern = re.compile(folded_pattern(word))
        found = next((part for part in parts if pattern.search(fold(part))), None)
        if found is None:
            return None
        spelled.append(found)
    return " ".join(spelled)


class PersonFilterSet(FilterSet):
    """A list of persons (clients, support persons) with a search by name, `q`. When the
    search finds nothing, `suggestions` offers the names it finds with å, ä and ö and their
    plain letters taken as one, in the same list: the queryset the filters were given (the
    user's scope) with the other filters applied. A protected identity is never offered."""

    q = django_filters.CharFilter(label=_("Search by name"), method="filter_search")

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.search(value)  # type: ignore[attr-defined]

    @property
    def search_text(self) -> str:
        if not self.is_bound or not self.form.is_valid():
            return ""
        return str(self.form.cleaned_data.get("q") or "").strip()

    @property
    def search_has_swedish_letters(self) -> bool:
        return any(letter in fold(self.search_text) for letter in "åäö")

    def suggestions(self) -> list[Suggestion]:
        text = self.search_text
        words = search_words(text)
        if not words:
            return []
        others = self.data.copy()
        others.pop("q", None)
        others.pop("page", None)
        unsearched = type(self)(others, queryset=self.queryset, request=self.request).qs
        candidates = unsearched.search_without_diacritics(text)[:SUGGESTION_CANDIDATES]
        found: dict[str, Suggestion] = {}
        for person in candidates:
            if person.is_protected:
                continue
            spelled = spelled_as_in(person, words)
            if spelled is None or fold(spelled) == fold(text):
                continue
            if spelled not in found:
                if len(found) == SUGGESTIONS:
                    continue
                query = others.copy()
                query["q"] = spelled
                found[spelled] = Suggestion(spelled, query.urlencode())
            found[spelled].people.append(person)
        return list(found.values())


class ConsentForm(ModelForm):
    given_on = PastDateField(label=_("given"))

    class Meta:
        model = Consent
        fields = ["purpose", "given_on", "review_on", "given_by", "given_as", "note"]
        widgets = {"review_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, review = data.get("given_on"), data.get("review_on")
        if given and review and review < given:
            self.add_error("review_on", _("The review date cannot be before the consent."))
        return data


class RiskMeasureForm(ModelForm):
    decided_on = PastDateField(label=_("decided"))
    followed_up_on = PastDateField(label=_("last followed up"), required=False)

    class Meta:
        model = RiskMeasure
        fields = ["kind", "description", "decided_on", "follow_up_on", "followed_up_on", "consent"]
        widgets = {"follow_up_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A protective or restrictive measure rests on one of the client's consents in force
        # (SOU 2006:110); without one the check flags it (flags/consent_checks.py).
        self.fields["consent"] = consent_field(
            client.pk, required=False, label=_("consent it rests on")
        )
        self.fields["consent"].help_text = _("For a protective or restrictive measure.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided = data.get("decided_on")
        for name in ("follow_up_on", "followed_up_on"):
            value = data.get(name)
            if decided and value and value < decided:
                self.add_error(name, _("The date cannot be before the decision."))
        return data


class DeviationForm(ModelForm):
    """The report of a deviation. The measures are the unit manager's decision, a later
    step of its handling (clients/deviation_forms.py)."""

    occurred_on = PastDateField(label=_("occurred"))

    class Meta:
        model = Deviation
        fields = ["occurred_on", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
