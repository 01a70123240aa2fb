"""The service's navigation: the pages each role has in its menu, and the menu item the page
being shown belongs to (marked with aria-current). One list, so the header, the tests and the
design document agree on what each role sees.

URL names are strings here: the project package stands below every app and imports none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import roles

ADMINISTRATOR = "administrator"
MANAGER = "manager"
SUPPORT_PERSON = "support_person"


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    # The views whose pages sit under this item: a full view name ("overview:client") or a
    # prefix ending in ":" or "_" ("reports:", "assignments:request_"). The first item of a
    # user's menu that claims the page is marked current.
    sections: tuple[str, ...] = ()
    # In the "More" menu on a wide screen (and after the main items on a phone).
    secondary: bool = False
    # Shows the open-flag count beside the label.
    badge: bool = False
    staff_only: bool = False

    def claims(self, view_name: str) -> bool:
        return view_name == self.url_name or any(
            view_name == s or (s.endswith((":", "_")) and view_name.startswith(s))
            for s in self.sections
        )


_ALL = frozenset({ADMINISTRATOR, MANAGER, SUPPORT_PERSON})
_OFFICE = frozenset({ADMINISTRATOR, MANAGER})
_ADMIN = frozenset({ADMINISTRATOR})

ITEMS: tuple[Item, ...] = (
    Item(_("Overview"), "overview:dashboard", _OFFICE),
    Item(
        _("My clients"),
        "overview:my_clients",
        frozenset({SUPPORT_PERSON}),
        (
            "overview:client",
            "duties:",
            "overview:volunteer_",
            "supportpersons:undertaking",
            "supportpersons:volunteer_",
        ),
    ),
    Item(
        _("Requests"),
        "assignments:requests",
        _ADMIN,
        ("assignments:request", "assignments:request_", "assignments:release"),
    ),
    Item(
        _("Clients"),
        "overview:clients",
        _OFFICE,
        (
            "overview:client",
            "clients:",
            "duties:",
            "assignments:assign",
            "assignments:change",
            "assignments:satisfaction",
        ),
    ),
    Item(
        _("Support persons"),
        "supportpersons:list",
        _OFFICE,
        (
            "supportpersons:detail",
            "supportpersons:new",
            "supportpersons:edit",
            "supportpersons:step",
            "supportpersons:pause",
            "supportpersons:reactivate",
            "assignments:deactivate",
        ),
    ),
    Item(
        _("Contacts"),
        "assignments:contacts",
        frozenset({SUPPORT_PERSON}),
        ("assignments:contact_", "assignments:report_submit", "assignments:receipt"),
    ),
    Item(_("Flags"), "flags:list", _ALL, badge=True),
    # Before the tertial reports, which claim every other page of the reports app.
    Item(_("Decisions under delegation"), "reports:decisions", _ADMIN, ("reports:decision",), True),
    Item(_("Tertial reports"), "reports:list", _ADMIN, ("reports:",)),
    Item(
        _("Monthly reports"),
        "assignments:report_queue",
        _ADMIN,
        ("assignments:report_review", "assignments:receipt"),
        True,
    ),
    Item(_("Export"), "supportpersons:export", frozenset({MANAGER})),
    Item(_("Training"), "supportpersons:events", _ADMIN, ("supportpersons:event",), True),
    Item(_("Collaboration"), "supportpersons:collaboration", _ADMIN, secondary=True),
    Item(_("Pool balance"), "assignments:balance", _ADMIN, secondary=True),
    Item(_("Import"), "supportpersons:import", _ADMIN, ("supportpersons:import_",), True),
    Item(_("Export"), "supportpersons:export", _ADMIN, ("supportpersons:export_",), True),
    Item(_("Audit log"), "audit:review", _ADMIN, secondary=True),
    Item(_("Two-factor login"), "two_factor_setup", _ADMIN, secondary=True),
    Item(_("Administration"), "admin:index", _ADMIN, secondary=True, staff_only=True),
)


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str
    current: bool
    secondary: bool
    badge: bool


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    held = set()
    if roles.is_administrator(user):
        held.add(ADMINISTRATOR)
    if roles.is_unit_manager(user):
        held.add(MANAGER)
    if roles.is_support_person(user):
        held.add(SUPPORT_PERSON)
    return frozenset(held)


@dataclass(frozen=True)
class Menu:
    primary: list[Link]
    secondary: list[Link]

    @property
    def secondary_current(self) -> bool:
        return any(link.current for link in self.secondary)

    @property
    def current(self) -> Link | None:
        return next((link for link in self.primary + self.secondary if link.current), None)


def menu(user: User | AnonymousUser, view_name: str) -> Menu:
    """The user's menu in order, each page once, the page's own item marked current."""
    held = user_roles(user)
    items: list[Item] = []
    for item in ITEMS:
        if not (item.roles & held) or any(i.url_name == item.url_name for i in items):
            continue
        if item.staff_only and not getattr(user, "is_staff", False):
            continue
        items.append(item)
    current = next((i for i in items if i.claims(view_name)), None)
    links = [Link(i.label, reverse(i.url_name), i is current, i.secondary, i.badge) for i in items]
    return Menu(
        primary=[link for link in links if not link.secondary],
        secondary=[link for link in links if link.secondary],
    )
