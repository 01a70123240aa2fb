"""The two programmes and programme A's duty checklist.

The twelve duties are the routine "Stödperson uppdrag på personlig assistans" (Botkyrka,
vård- och omsorgsförvaltningen, 2025-04-04), in its order and words. Administrators edit them
afterwards; this migration only creates what is missing."""

from django.db import migrations

PERSONAL_ASSISTANCE = {
    "slug": "personlig-assistans",
    "name": "Personlig assistans",
    "kind": "lss",
    "organisation": "Vård- och omsorgsförvaltningen",
}
PATIENT_COMMITTEE = {
    "slug": "patientnamnden",
    "name": "Patientnämndens stödpersonsverksamhet",
    "kind": "patient_committee",
    "organisation": "Patientnämnden",
}

# (code, title, interval in months or None for an ongoing duty, grace days)
DUTIES = [
    (
        "",
        "Samla in information kring brukarens situation, exempelvis genom observationer, "
        "journalanteckningar och samverkan, för att säkerställa en god assistans",
        None,
        0,
    ),
    ("", "Samverka med brukaren, anhöriga och eventuellt andra professioner", None, 0),
    (
        "",
        "Vara uppmärksam på förändringar av behov hos brukaren och tillgodose de önskemål "
        "som brukaren uttrycker",
        None,
        0,
    ),
    ("", "Se till att brukaren får tillgång till rätt hjälpmedel och stöd", None, 0),
    ("", "Ha kontakt med god man gällande privata medel", None, 0),
    (
        "",
        "Hålla kompetensen uppdaterad kring brukarens funktionsnedsättning och informera "
        "övriga kollegor om ny och befintlig kunskap",
        12,
        90,
    ),
    (
        "",
        "Följa upp riskbedömningar för den enskilde samt skydds- och begränsningsåtgärder",
        12,
        90,
    ),
    ("", "Se till att brukarens samtycken är aktuella", 12, 30),
    (
        "implementation_plan",
        "Säkerställa att genomförandeplanen uppdateras minst en gång per år utifrån "
        "brukarens befintliga behov",
        12,
        30,
    ),
    (
        "",
        "Uppdatera och informera kollegor om brukarens hälsa och välmående under "
        "verksamhetsmöte/brukargenomgång",
        None,
        0,
    ),
    (
        "documentation",
        "Ha koll på den sociala dokumentationen och se till att det dokumenteras löpande, "
        "minst en gång per månad",
        1,
        14,
    ),
    ("", "Fånga upp eventuella avvikelser så att de uppmärksammas och åtgärdas", None, 0),
]


def create(apps, schema_editor):
    Programme = apps.get_model("clients", "Programme")
    DutyTemplate = apps.get_model("assignments", "DutyTemplate")
    lss, _ = Programme.objects.get_or_create(
        slug=PERSONAL_ASSISTANCE["slug"], defaults=PERSONAL_ASSISTANCE
    )
    Programme.objects.get_or_create(slug=PATIENT_COMMITTEE["slug"], defaults=PATIENT_COMMITTEE)
    if DutyTemplate.objects.filter(programme=lss).exists():
        return
    DutyTemplate.objects.bulk_create(
        DutyTemplate(
            programme=lss,
            code=code,
            title=title,
            interval_months=interval,
            grace_days=grace,
            per_calendar_month=code == "documentation",
            order=position,
        )
        for position, (code, title, interval, grace) in enumerate(DUTIES, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("clients", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
