"""What one sitting in the app knows: the plug-ins, the chosen profile, role, language, devices,
demo mode and the latest result of every check. Free of widgets so tests can reason about it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from techcheck.checks import registry
from techcheck.checks.context import Devices
from techcheck.checks.model import CheckResult, Report

if TYPE_CHECKING:  # the profile loader and the invitation model load with the checks
    from techcheck.app.invitation import Invitation
    from techcheck.checks.profile import Profile

log = logging.getLogger("techcheck.gui")


#: Built-in checks have a page keyed by their id (the microphone check also needs the speaker
#: for its playback, but belongs on the microphone page).
_OWN_PAGE = frozenset({"camera", "microphone", "speaker", "network", "system"})
#: The check steps in the order the side list shows them and "Start the check" runs them.
CHECK_PAGES = ("camera", "microphone", "speaker", "network", "system")


def page_for(plugin: registry.Plugin) -> str:
    if plugin.id in _OWN_PAGE:
        return plugin.id
    needs = plugin.cls.needs if plugin.cls else frozenset()
    if "camera" in needs:
        return "camera"
    if "speaker" in needs:
        return "speaker"
    if "microphone" in needs:
        return "microphone"
    if "network" in needs:
        return "network"
    return "system"


def profile_name(platform: str) -> str:
    return platform if platform in ("teams", "zoom", "meet", "webex") else "generic"


def platform_of(profile: str) -> str:
    """The Start page's platform choice for a built-in profile name (an invitation's)."""
    return profile if profile in ("teams", "zoom", "meet", "webex") else "other"


@dataclass
class Session:
    plugins: list[registry.Plugin]
    profile: Profile
    lang: str = "en"
    role: str = "candidate"
    platform: str = "other"
    demo: bool = False
    devices: Devices = field(default_factory=Devices)
    results: dict[str, CheckResult] = field(default_factory=dict)
    checklist: dict[str, bool] = field(default_factory=dict)
    device_lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    report: Report | None = None
    #: The recruiter's invitation this sitting checks for (profile, company server, time).
    invitation: Invitation | None = None
    #: The person asked for a still camera picture in the report (off by default).
    snapshot: bool = False
    #: This sitting's run in the local history (replaced as checks are re-run), the report
    #: that was kept, the run before it to compare with, and why keeping failed (if it did).
    history_path: Path | None = None
    saved_run: Report | None = None
    previous_run: Report | None = None
    history_problem: str = ""
    #: The microphone check's recording, in memory only (never written unless the person
    #: saves the call preview), for "As they will see and hear you".
    media: dict[str, Any] = field(default_factory=dict)
    #: A person watches the run: a sample file given as camera or microphone plays at its own
    #: pace, so the page shows what is judged for as long as it is judged
    #: (``RunSetup.realtime``). Off only where nobody watches (tests of other things, which
    #: would otherwise wait out the clips' length in every run).
    paced_files: bool = True

    def new_run(self) -> None:
        """The next save starts a new run in the history instead of updating this one."""
        self.history_path = None

    @classmethod
    def create(cls, platform: str = "other") -> Session:
        plugins = registry.discover()
        return cls(plugins=plugins, profile=_load(platform, plugins), platform=platform)

    def set_platform(self, platform: str) -> None:
        if platform != self.platform:
            self.platform = platform
            self.profile = _load(platform, self.plugins)

    def plugins_for(self, page: str) -> list[registry.Plugin]:
        return [p for p in self.plugins if page_for(p) == page]

    def ordered_results(self) -> list[CheckResult]:
        """The results in the order of the steps that run them (the side list's, the
        one-click check's), so Results and the report list them as the person met them."""
        step = {k: i for i, k in enumerate(CHECK_PAGES)}
        plugins = sorted(self.plugins, key=lambda p: step.get(page_for(p), len(step)))
        return [self.results[p.id] for p in plugins if p.id in self.results]


def _load(platform: str, plugins: list[registry.Plugin]) -> Profile:
    from techcheck.checks.profile import ProfileError, load_profile

    name = profile_name(platform)
    schemas = registry.limit_schemas(plugins)
    try:
        return load_profile(name, schemas)
    except ProfileError:
        log.exception("profile %s is unusable; falling back to the generic one", name)
        return load_profile("generic", schemas)
