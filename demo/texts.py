"""The words the synthetic data uses: reasons, notes, risks and deviations, all in Swedish as
the screens show them."""

from __future__ import annotations

from assignments.models import SupportPersonChange
from clients.models import Deviation, RiskMeasure

ChangeReason = SupportPersonChange.Reason

PAUSE_REASON = "Patienten kan inte ta ställning på grund av sitt hälsotillstånd"
CANCEL_REASON = "För få anmälda"
AUTHORITIES_NOTE = "Samverkan med psykiatrin, polisen och kommunernas socialtjänst."
REGIONAL_GROUP = "Regionala stödpersonsgruppen (de fyra norra regionerna)"
NATIONAL_NOTE = "Formerna för ett nationellt erfarenhetsutbyte är ännu inte fastställda."

PC_INACTIVE_REASONS = (
    "Eget önskemål",
    "Flyttat från orten",
    "Tidsbrist",
    "Hälsoskäl",
    "Anställd inom psykiatrin (jäv)",
)
PC_PAUSE_REASONS = (
    "Föräldraledighet",
    "Egen sjukdom",
    "Tillfälligt uppehåll på egen begäran",
    "Studier på annan ort",
)
PA_INACTIVE_REASONS = ("Avslutat sin anställning", "Bytt arbetsplats inom kommunen")
PA_PAUSE_REASONS = ("Föräldraledig", "Tjänstledig för studier")
LATE_REASONS = (
    "Ingen stödperson med önskat språk var ledig; förfrågan gick till flera stödpersoner.",
    "Den tillfrågade stödpersonen tackade nej och en ny förfrågan skickades.",
    "Hög arbetsbelastning på kansliet under semesterperioden.",
)
LATE_REASON_MAN_SKELLEFTEA = (
    "Patienten önskade en manlig stödperson; det finns för få manliga stödpersoner i Skellefteå."
)
LATE_REASON_EXCUSED = "Patienten kunde inte ta ställning på grund av sitt hälsotillstånd."

CHANGE_NOTES = {
    ChangeReason.CLIENT_WISH: "Brukaren har önskat en annan stödperson.",
    ChangeReason.SUPPORT_PERSON_WISH: "Stödpersonen har bett att få lämna uppdraget efter "
    "ändrat schema.",
    ChangeReason.SUPPORT_PERSON_LEFT: "Stödpersonen har slutat eller är ledig en längre tid.",
    ChangeReason.OTHER: "Ny schemaläggning i arbetsgruppen.",
}

RISKS = (
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Fallrisk vid förflyttning"),
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Risk för trycksår"),
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Risk för undernäring"),
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Risk för fall i duschen"),
    (RiskMeasure.Kind.PROTECTIVE, "Larmmatta vid sängen nattetid"),
    (RiskMeasure.Kind.PROTECTIVE, "Rörelselarm på ytterdörren"),
    (RiskMeasure.Kind.RESTRICTIVE, "Sänggrind nattetid"),
    (RiskMeasure.Kind.RESTRICTIVE, "Bälte i rullstolen vid transport"),
)
DEVIATIONS = {
    Deviation.Category.ORDINARY: (
        "Assistenten kom inte till avtalad tid.",
        "Planerad aktivitet blev inställd på grund av personalbrist.",
        "Hjälpmedel var inte laddat inför utflykt.",
        "Överlämningen mellan passen uteblev.",
    ),
    Deviation.Category.HSL: (
        "Läkemedel gavs två timmar för sent.",
        "Fall i badrummet, utan synlig skada.",
        "Dosett saknades efter helgen.",
    ),
    Deviation.Category.LEX_SARAH: (
        "Brukaren lämnades ensam under ett pass trots behov av dubbelbemanning.",
        "Kränkande bemötande från vikarie.",
    ),
}
DEVIATION_MEASURES = (
    "Genomgång i arbetsgruppen; rutinen för överlämning förtydligad.",
    "Samtal med berörd medarbetare; uppföljning på nästa verksamhetsmöte.",
    "Schemat ändrat så att passet alltid bemannas.",
)
# Notes for ticks on some of the twelve duties (by their order in the routine).
DUTY_NOTES = {
    1: "Läst journalanteckningar och pratat med arbetslaget",
    2: "Samverkansmöte med brukaren och anhöriga",
    3: "Noterat ökat behov av stöd på kvällarna",
    4: "Nytt hjälpmedel beställt via arbetsterapeut",
    5: "Kontakt med god man om fickpengar",
    10: "Informerat på brukargenomgången",
    12: "Avvikelse lämnad till enhetschef",
}
