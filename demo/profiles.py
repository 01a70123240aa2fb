"""The two profiles of the one generator: where the demo (size "small") and the large sizes
(region, national, an exact number of clients) differ on purpose. The large sizes sample the
pool and write rows with preset keys in one statement a table; the demo scores the whole
pool, and adds notes, informed parties and a story told with its own words."""

from __future__ import annotations

from .build import Career, Profile
from .texts import (
    LATE_REASON_EXCUSED,
    LATE_REASONS,
    PA_INACTIVE_REASONS,
    PA_PAUSE_REASONS,
    PAUSE_REASON,
    PC_INACTIVE_REASONS,
    PC_PAUSE_REASONS,
)

YEARS = 3  # the large sizes' history

SMALL = Profile(
    window_days=730,
    # Patient-committee requests begin a little earlier, so that the first tertials of the
    # window already have assignments running.
    history_lead_days=240,
    preset_keys=False,
    unique_names=True,
    phones_in_series=True,
    emails_from_names=True,
    birthday_always=True,
    protected_chance=0.0,
    pa_career=Career(
        "", "Utsedd till stödperson", PA_PAUSE_REASONS, PA_PAUSE_REASONS, PA_INACTIVE_REASONS
    ),
    pc_career=Career(
        "Intresseanmälan",
        "Introduktionsutbildning genomförd",
        PC_PAUSE_REASONS,
        PC_PAUSE_REASONS,
        PC_INACTIVE_REASONS,
    ),
    leaver_chance=0.15,
    leaver_from_days=200,
    leaver_until_days=250,
    past_pause_chance=0.2,
    assistant_capacity=(0.85, 2, 1),
    volunteer_capacities=(2, 2, 3, 3, 4),
    weekend_hours=(9, 20),
    evening_hours=(17, 21),
    open_received_at=(14, 5),
    fresh_wait_chance=0.0,
    care_ended_chance=0.0,
    late_reasons=LATE_REASONS,
    short_of_men="Skellefteå",
    excused_reason=LATE_REASON_EXCUSED,
    pause_reason=PAUSE_REASON,
    candidate_sample=0,
    score_availability=True,
    informed_parties=True,
    decision_lag_drawn=True,
    ongoing_ticks_monthly=False,
    withdrawn_tick_chance=0.0,
    history_reason="Demodata (seed_demo)",
)

# The large sizes' words: one reason each, where the demo draws from several.
LARGE_INACTIVE_REASONS = ("Eget önskemål", "Flyttat", "Tidsbrist")
EXCUSED_REASON = "Patienten kunde inte ta ställning."

LARGE = Profile(
    window_days=365 * YEARS,
    history_lead_days=0,
    preset_keys=True,
    unique_names=False,
    phones_in_series=False,
    emails_from_names=False,
    birthday_always=False,
    protected_chance=0.004,
    pa_career=Career(
        "", "Utsedd till stödperson", ("Föräldraledig",), ("Tjänstledig",), LARGE_INACTIVE_REASONS
    ),
    pc_career=Career(
        "Intresseanmälan",
        "Introduktion genomförd",
        ("Föräldraledig",),
        ("Tjänstledig",),
        LARGE_INACTIVE_REASONS,
    ),
    leaver_chance=0.2,
    leaver_from_days=0,
    leaver_until_days=200,
    past_pause_chance=0.08,
    assistant_capacity=(0.4, 3, 2),
    volunteer_capacities=(2, 3, 3, 4),
    weekend_hours=(9, 21),
    evening_hours=(9, 21),
    open_received_at=None,
    fresh_wait_chance=0.6,
    care_ended_chance=0.03,
    late_reasons=("Den tillfrågade stödpersonen tackade nej.",),
    short_of_men="",
    excused_reason=EXCUSED_REASON,
    pause_reason="Patienten kan inte ta ställning",
    candidate_sample=8,
    score_availability=False,
    informed_parties=False,
    decision_lag_drawn=False,
    ongoing_ticks_monthly=True,
    withdrawn_tick_chance=0.005,
    history_reason="Skaldata (seed_demo)",
)
