"""Why a microphone's sound is narrow, where the system says it: the sample rate the sound
system runs it at, a Bluetooth transport, the hands-free card profile.

A Bluetooth headset has two ways to carry sound (Bluetooth SIG, Hands-Free Profile 1.8 and
Advanced Audio Distribution Profile 1.4): A2DP, music quality but output only, and HFP (or the
older HSP), which carries the microphone too, at 8 kHz (CVSD) or 16 kHz (mSBC). Opening the
microphone makes the system switch to HFP. Each system names it its own way:

- Linux (PipeWire's pipewire-pulse and PulseAudio): the Bluetooth card's active profile is
  ``headset-head-unit`` (``headset_head_unit``, ``handsfree_head_unit``) and its sources are
  called ``bluez_input.*`` / ``bluez_source.*``; ``pactl`` lists both.
- Windows: the headset shows up as two endpoints, the one used for calls named
  "Headset (… Hands-Free AG Audio)" or "… Hands-Free"; PortAudio reports that name.
- macOS: Core Audio's transport type of the device (``kAudioDevicePropertyTransportType``),
  which ``system_profiler SPAudioDataType -json`` shows as ``coreaudio_device_type_bluetooth``.

Every platform reader is a plain function that returns None when it cannot tell (the tool is
missing, slow or says something else), so the check runs the same without any of them: the
sample rate alone is always known.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys

from techcheck.checks.i18n import N_

log = logging.getLogger("techcheck.audio")

#: The causes, as catalogue texts (the finding's ``cause`` parameter is translated when shown:
#: checks/i18n.py ``MESSAGE_ID_PARAMS``).
CAUSE_SAMPLERATE = N_("The sound system runs this microphone at a low sample rate, as a "
                      "Bluetooth headset's hands-free mode does.")
CAUSE_PROFILE = N_("Your Bluetooth headset is in its hands-free (headset) profile.")
CAUSE_HANDSFREE = N_("The microphone in use is the headset's “Hands-Free” device.")
CAUSE_BLUETOOTH = N_("The microphone in use is a Bluetooth device.")
CAUSE_RECORDING_RATE = N_("The recording itself has a low sample rate, as a Bluetooth "
                          "headset's hands-free mode gives.")

#: Sample rates at or below which the rate alone limits the band to phone or wideband quality.
LOW_RATE_HZ = 16000
#: How long a system tool may take, and how much of its answer is read.
TOOL_TIMEOUT_S = 3.0
MAX_OUTPUT = 1_000_000

_HFP_PROFILE = re.compile(r"head(?:set)?[-_]head[-_]unit|handsfree|headset[-_]audio[-_]gateway|"
                          r"\bhsp\b|\bhfp\b", re.IGNORECASE)


def _tool(cmd: list[str]) -> str | None:
    """A system tool's output, or None when it is missing, fails or takes too long."""
    if shutil.which(cmd[0]) is None:
        return None
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("%s: %s", cmd[0], exc)
        return None
    if out.returncode != 0:
        return None
    return out.stdout[:MAX_OUTPUT].decode("utf-8", "replace")


def pulse_cards(text: str) -> list[tuple[str, str]]:
    """(card name, active profile) of each card in ``pactl list cards`` output."""
    cards: list[tuple[str, str]] = []
    name = ""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("Name:"):
            name = s.split(":", 1)[1].strip()
        elif s.startswith("Active Profile:") and name:
            cards.append((name, s.split(":", 1)[1].strip()))
    return cards


def source_rates(text: str) -> dict[str, int]:
    """Each source's sample rate in ``pactl list sources`` output ("Sample Specification:
    float32le 1ch 8000Hz")."""
    rates: dict[str, int] = {}
    name = ""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("Name:"):
            name = s.split(":", 1)[1].strip()
        elif s.startswith("Sample Specification:") and name:
            m = re.search(r"(\d{3,6})\s*Hz", s)
            if m:
                rates[name] = int(m.group(1))
    return rates


def linux_cause(device_name: str) -> str | None:
    """A Bluetooth card in its hands-free profile, a Bluetooth default source, or a default
    source the sound server runs at a low sample rate."""
    text = _tool(["pactl", "list", "cards"])
    if text:
        for card, profile in pulse_cards(text):
            if card.startswith("bluez_card") and _HFP_PROFILE.search(profile):
                return CAUSE_PROFILE
    source = (_tool(["pactl", "get-default-source"]) or "").strip()
    if "bluez" in source.lower() or "bluez" in device_name.lower():
        return CAUSE_BLUETOOTH
    if source:
        rate = source_rates(_tool(["pactl", "list", "sources"]) or "").get(source)
        if rate is not None and rate <= LOW_RATE_HZ:
            return CAUSE_SAMPLERATE
    return None


def windows_cause(device_name: str) -> str | None:
    """Windows names the headset's call endpoint "Hands-Free" (its A2DP one has no microphone)."""
    name = device_name.lower()
    if "hands-free" in name or "handsfree" in name:
        return CAUSE_HANDSFREE
    return None


def mac_cause(device_name: str) -> str | None:
    """Core Audio's transport type of the device recorded from: the one PortAudio named, or
    the default input when no device has that name."""
    text = _tool(["system_profiler", "SPAudioDataType", "-json"])
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    devices = [dev for group in (doc.get("SPAudioDataType", []) if isinstance(doc, dict) else [])
               if isinstance(group, dict) for dev in group.get("_items", [])
               if isinstance(dev, dict)]
    wanted = device_name.strip().lower()
    named = [d for d in devices if wanted and str(d.get("_name", "")).strip().lower() == wanted]
    chosen = named or [d for d in devices
                       if d.get("coreaudio_default_audio_input_device") == "spaudio_yes"]
    if any("bluetooth" in str(d.get("coreaudio_device_transport", "")).lower() for d in chosen):
        return CAUSE_BLUETOOTH
    return None


def platform_cause(device_name: str = "") -> str | None:
    """What this system says about the microphone in use, or None when it says nothing."""
    try:
        if sys.platform.startswith("linux"):
            return linux_cause(device_name)
        if sys.platform == "win32":
            return windows_cause(device_name)
        if sys.platform == "darwin":
            return mac_cause(device_name)
    except Exception:  # a system tool's odd answer must never stop the check
        log.exception("could not ask the system about the microphone's transport")
    return None


def narrow_cause(samplerate: float, device_name: str = "", *, device: bool = True) -> str:
    """The cause to name for a narrow band: the system's word when it has one, else the sample
    rate when that is low enough to explain it (the device's, or a file's given in place of
    one), else "" (the check names none)."""
    if device:
        found = platform_cause(device_name)
        if found:
            return found
    if samplerate <= LOW_RATE_HZ:
        return CAUSE_SAMPLERATE if device else CAUSE_RECORDING_RATE
    return ""
