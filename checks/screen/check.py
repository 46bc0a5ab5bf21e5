"""Judges the screens the desktop reports (checks/screen/probe.py) for a screen share: can the
desktop share one, and will the interviewer be able to read the text on it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from techcheck.checks.base import Check, ResultBuilder
from techcheck.checks.context import CheckContext, Progress
from techcheck.checks.i18n import N_
from techcheck.checks.model import Between, CheckResult, Status
from techcheck.checks.screen import legibility
from techcheck.checks.screen import measures as M
from techcheck.checks.screen.probe import Desktop, Screen, desktop

#: Where macOS keeps the Screen Recording permission (opens System Settings at that page).
MACOS_SETTING = "x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture"


@dataclass(frozen=True)
class ScreenLimits:
    # The resolution a call sends a shared screen at, device pixels.
    share_width_px: Annotated[int, Between(320, 7680)]
    share_height_px: Annotated[int, Between(240, 4320)]
    # The size of ordinary text on the screen, CSS pixels (points on macOS).
    text_px: Annotated[float, Between(6, 48)]
    # The shared text height below which reading gets hard (tip) and code is unreadable (warn).
    shared_text_tip_px: Annotated[float, Between(1, 100)]
    shared_text_warn_px: Annotated[float, Between(1, 100)]


def _pct(scale: float) -> int:
    return round(scale * 100)


class ScreenCheck(Check):
    id = "screen"
    title = N_("Screen sharing")
    needs = frozenset()
    Limits = ScreenLimits
    timeout_s = 20.0
    order = 15

    def __init__(self, probe: Callable[[], Desktop] = desktop) -> None:
        """``probe`` reads the desktop (the tests give it a chosen environment)."""
        self.probe = probe

    def run(self, ctx: CheckContext) -> CheckResult:
        lim: ScreenLimits = ctx.limits(self.id)
        r = self.result()
        ctx.progress(Progress(self.id, 0.0, N_("Reading the screens")))
        d: Desktop = self.probe()
        ctx.cancel.raise_if_cancelled()
        r.detail("desktop", d.kind)
        r.detail("screens", [{"name": s.name, "width_px": s.width_px, "height_px": s.height_px,
                              "scale": s.scale, "primary": s.primary} for s in d.screens])
        r.detail("sharing", {"can_share": d.can_share, "note": d.share_note, **d.details})
        r.record(M.SCREENS, len(d.screens) if d.screens else "unknown")
        if not d.screens:
            self._not_measured(r, lim)
        else:
            self._legibility(r, lim, d.screens)
        self._sharing(r, d)
        ctx.progress(Progress(self.id, 1.0, N_("Done")))
        return r.build()

    def _not_measured(self, r: ResultBuilder, lim: ScreenLimits) -> None:
        r.record(M.SCREEN_SCALE, "unknown")
        r.grade(M.SHARED_TEXT, "unknown", lim)
        r.finding(
            "screen.not_measured", Status.TIP,
            N_("Could not measure the screens: no desktop answered (no display is reachable "
               "from here)."),
            N_("Run TechCheck on the computer you will share your screen from, in its desktop "
               "session."))

    def _legibility(self, r: ResultBuilder, lim: ScreenLimits, screens: list[Screen]) -> None:
        share = (lim.share_width_px, lim.share_height_px)
        known = [s for s in screens if s.scale is not None]
        if not known:
            r.record(M.SCREEN_SCALE, "unknown")
            r.grade(M.SHARED_TEXT, "unknown", lim)
            return

        def arrives(s: Screen) -> float:
            return legibility.shared_text_px(s.width_px, s.height_px, s.scale or 1.0,
                                             lim.text_px, *share)

        # The screen whose text arrives smallest: any of them may be the one shared.
        worst = min(known, key=arrives)
        scale = worst.scale or 1.0
        need = legibility.scale_needed(worst.width_px, worst.height_px, lim.text_px,
                                       lim.shared_text_tip_px, *share)
        r.record(M.SCREEN_SCALE, _pct(scale))
        r.detail("shared_text", {"screen": worst.name, "share": list(share),
                                 "text_px": lim.text_px,
                                 "by_screen": {s.name: round(arrives(s), 2) for s in known}})
        r.grade(M.SHARED_TEXT, round(arrives(worst), 2), lim,
                share=f"{share[0]}×{share[1]}", screen=f"{worst.width_px}×{worst.height_px}",
                scale=_pct(scale), scale_fix=int(math.ceil(need * 4) * 25))

    def _sharing(self, r: ResultBuilder, d: Desktop) -> None:
        r.record(M.CAN_SHARE, "unknown" if d.can_share is None else d.can_share)
        if d.kind == "wayland" and d.can_share is False:
            r.finding(
                "screen.cannot_share", Status.WARN,
                N_("This Wayland desktop offers no screen sharing to apps: PipeWire is not "
                   "running.") if d.share_note == "pipewire_missing" else
                N_("This Wayland desktop offers no screen sharing to apps: the ScreenCast "
                   "portal (org.freedesktop.portal.ScreenCast) does not answer."),
                N_("Install and start xdg-desktop-portal with your desktop's back-end "
                   "(xdg-desktop-portal-gnome, -kde or -wlr) and PipeWire, then log out and in; "
                   "or choose an X11 session at the login screen."),
                value=False, threshold=True, op="==")
        elif d.kind == "macos" and d.can_share is False:
            r.finding(
                "screen.macos_permission", Status.TIP,
                N_("macOS has not given TechCheck Screen Recording permission, so it cannot "
                   "show your screen as the interviewer will see it. Your call app needs this "
                   "permission too, each app its own."),
                N_("Open System Settings → Privacy & Security → Screen Recording ({link}) and "
                   "turn it on for your call app (Zoom, Teams, your browser); then quit the app "
                   "and open it again: macOS applies the permission only after a restart."),
                value=False, threshold=True, op="==", link=MACOS_SETTING)
