"""The screen check's measures, each declared once (checks/measure.py): unit, label, the
``[screen]`` profile keys of the legibility limits, and the finding's message and fix."""

from __future__ import annotations

from techcheck.checks.i18n import N_
from techcheck.checks.measure import TIP_WARN, Measure, Side, table

SCREENS = Measure("screens", "", label=N_("Screens"))
SCREEN_SCALE = Measure("screen_scale", "%", label=N_("Display scale"))
CAN_SHARE = Measure("can_share_screen", "", label=N_("Screen sharing possible"))
SHARED_TEXT = Measure(
    "shared_text_height", "px", label=N_("Shared text height"),
    low=Side("screen.text_too_small", "shared_text_tip_px", "shared_text_warn_px",
             N_("Shared at {share}, text on your {screen} screen at {scale} % arrives only "
                "{value:.1f} px tall for the interviewer (want at least {threshold:.0f} px): "
                "code will be hard or impossible to read."),
             N_("Share one window instead of the whole screen, raise the display scale to "
                "{scale_fix} % or more, or make the editor's font larger (Ctrl and +)."),
             levels=TIP_WARN))

MEASURES = {"screen": table((SCREENS, SCREEN_SCALE, CAN_SHARE, SHARED_TEXT))}
