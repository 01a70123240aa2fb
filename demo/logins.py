"""The demo's logins: one for each role, printed by `manage.py seed_demo`. For a local demo
only."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN_PASSWORD = "demo-Admin-2026"
MANAGER_PASSWORD = "demo-Chef-2026"
SUPPORT_PERSON_PASSWORD = "demo-Stod-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", ADMIN_PASSWORD, "Administratör (även Django-admin)", "Helena", "Burman"),
    DemoLogin(
        "chef.centrum",
        MANAGER_PASSWORD,
        "Enhetschef, Assistansgruppen Centrum",
        "Maria",
        "Lundmark",
    ),
    DemoLogin(
        "chef.ersboda",
        MANAGER_PASSWORD,
        "Enhetschef, Assistansgruppen Ersboda",
        "Jonas",
        "Marklund",
    ),
    DemoLogin(
        "chef.skelleftea",
        MANAGER_PASSWORD,
        "Enhetschef, Assistansgruppen Skellefteå och Morö Backe",
        "Petra",
        "Öhman",
    ),
    DemoLogin(
        "chef.patientnamnden",
        MANAGER_PASSWORD,
        "Enhetschef, Patientnämnden Umeå och Skellefteå",
        "Lars",
        "Granström",
    ),
    DemoLogin(
        "stod.anna",
        SUPPORT_PERSON_PASSWORD,
        "Stödperson (personlig assistent), Assistansgruppen Centrum",
        "Anna",
        "Berglund",
    ),
    DemoLogin(
        "stod.erik",
        SUPPORT_PERSON_PASSWORD,
        "Stödperson (frivillig), Patientnämnden Umeå",
        "Erik",
        "Nordlund",
    ),
)
