"""Turns an ``AudioProblem`` into the finding a person can act on, with the fix for their OS.

Shared by the microphone and speaker checks so that "PortAudio is missing" or "device busy"
reads the same in both.
"""

from __future__ import annotations

import sys

from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.base import ResultBuilder
from techcheck.checks.i18n import N_
from techcheck.checks.model import Status


def _portaudio_fix() -> str:
    if sys.platform.startswith("linux"):
        return N_("Install the PortAudio library: 'sudo apt install libportaudio2' on Debian or "
                  "Ubuntu, 'sudo dnf install portaudio' on Fedora; then start TechCheck again.")
    return N_("Reinstall TechCheck: its copy of the PortAudio sound library is missing or "
              "damaged.")


def permission_fix() -> str:
    """Where the operating system's microphone privacy switch is."""
    if sys.platform == "win32":
        return N_("Open Settings › Privacy & security › Microphone, turn on 'Microphone access' "
                  "and 'Let desktop apps access your microphone', then run the check again.")
    if sys.platform == "darwin":
        return N_("Open System Settings › Privacy & Security › Microphone and switch on "
                  "TechCheck (or the Terminal you started it from), then start TechCheck again.")
    return N_("Make sure your user may use sound devices (a desktop session, or the 'audio' "
              "group); if TechCheck runs as a Flatpak or Snap, allow it the microphone in its "
              "permissions. Then run the check again.")


def silent_fix() -> str:
    """A microphone that delivers only zeros: mute, Bluetooth profile, and (macOS gives silence
    instead of an error when access is denied) the privacy switch."""
    if sys.platform == "win32":
        return N_("Check the mute switch on the headset or keyboard and the input volume in "
                  "Settings › System › Sound › Input. A Bluetooth headset must be in 'headset' "
                  "(hands-free) mode for its microphone to work. Also check Settings › Privacy & "
                  "security › Microphone: 'Let desktop apps access your microphone' must be on.")
    if sys.platform == "darwin":
        return N_("Check the mute switch on the headset and the input volume in System Settings "
                  "› Sound › Input. A Bluetooth headset must be in 'headset' mode for its "
                  "microphone to work. macOS records silence when access is denied: switch on "
                  "TechCheck in System Settings › Privacy & Security › Microphone.")
    return N_("Check the mute switch on the headset or keyboard and the input volume (and "
              "mute) of the microphone in the sound settings. A Bluetooth headset must be in "
              "'headset' (hands-free, HFP) mode, not 'high fidelity' (A2DP), for its microphone "
              "to work.")


def report_microphone_problem(r: ResultBuilder, p: AudioProblem, recorded_s: float = 0.0) -> None:
    spec = p.device or "default"
    common = {"device": spec, "detail": p.detail}
    if p.kind == "portaudio_missing":
        r.finding("microphone.unavailable", Status.FAIL,
                  N_("The sound library PortAudio is missing, so no microphone can be used "
                     "({detail})."),
                  _portaudio_fix(), value=spec, **common)
    elif p.kind == "permission":
        r.finding("microphone.permission", Status.FAIL,
                  N_("The system refused TechCheck access to the microphone ({detail})."),
                  permission_fix(), value=spec, **common)
    elif p.kind == "busy":
        r.finding("microphone.busy", Status.FAIL,
                  N_("The microphone '{device}' is in use by another program and cannot be "
                     "opened ({detail})."),
                  N_("Close other programs that use the microphone (Teams, Zoom, Skype, a "
                     "browser tab with a call, a voice recorder), then run the check again."),
                  value=spec, **common)
    elif p.kind == "disconnected":
        r.finding("microphone.disconnected", Status.FAIL,
                  N_("The microphone stopped sending sound after {value:.1f} s ({detail})."),
                  N_("Check the cable or the Bluetooth connection and the headset's battery, "
                     "keep it connected, then run the check again."),
                  value=float(recorded_s), unit="s", **common)
    elif p.kind == "bad_file":
        r.finding("microphone.bad_file", Status.FAIL,
                  N_("The file '{device}' cannot stand in for a microphone: {detail}."),
                  N_("Give a WAV or FLAC recording of speech, for example one saved by a "
                     "voice recorder app, or leave out --microphone to use the real one."),
                  value=spec, **common)
    else:
        r.finding("microphone.unavailable", Status.FAIL,
                  N_("No microphone could be opened ({detail})."),
                  # the app's own route, not a command line: candidates use the app
                  N_("Plug in or switch on your microphone or headset, choose it as the input "
                     "in the system's sound settings and in the microphone list on TechCheck's "
                     "Microphone step (it lists the microphones TechCheck sees), then run the "
                     "check again."),
                  value=spec, **common)


def report_speaker_problem(r: ResultBuilder, p: AudioProblem) -> None:
    spec = p.device or "default"
    common = {"device": spec, "detail": p.detail}
    if p.kind == "portaudio_missing":
        r.finding("speaker.unavailable", Status.FAIL,
                  N_("The sound library PortAudio is missing, so no sound can be played "
                     "({detail})."),
                  _portaudio_fix(), value=spec, **common)
    elif p.kind == "busy":
        r.finding("speaker.unavailable", Status.FAIL,
                  N_("The speaker '{device}' is in use by another program and cannot be "
                     "opened ({detail})."),
                  N_("Close programs that hold the sound device exclusively (some music, DAW "
                     "or call apps), then run the check again."),
                  value=spec, **common)
    else:
        r.finding("speaker.unavailable", Status.FAIL,
                  N_("No speaker or headphones could be opened ({detail})."),
                  N_("Plug in or switch on your headphones or speakers, choose them as the "
                     "output in the system's sound settings and in the speaker list on "
                     "TechCheck's Speakers step (it lists the outputs TechCheck sees), then run "
                     "the check again."),
                  value=spec, **common)
