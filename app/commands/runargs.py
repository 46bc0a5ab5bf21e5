"""What ``techcheck run`` checks in its arguments before anything runs: a bad server, STUN
server, camera file, microphone file or empty output path is exit status 3 with a sentence
(the README's exit-code table), not a run that ends in "not ready" or a traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

from techcheck.app.invitation import Invitation
from techcheck.checks.audio import standin
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.source import is_file_spec, probe_audio_file
from techcheck.checks.network import stun
from techcheck.checks.network.check import server_problem
from techcheck.checks.safefile import os_error_text

#: An output path that means standard output, as in most command-line tools (POSIX utility
#: syntax guideline 13: "-" for standard input or output).
STDOUT = "-"


def argument_problem(args: argparse.Namespace, server: str | None, stun_spec: str | None,
                     outputs: tuple[str, ...], invitation: Invitation | None = None
                     ) -> str | None:
    """The first problem with the arguments, as a sentence for the user, or None."""
    for problem in (_invitation_problem(args, invitation), _server_problem(server, stun_spec),
                    _camera_problem(args.camera)):
        if problem:
            return problem
    try:
        standin.parse(args.speaker)
    except standin.BadSpec as exc:
        return f"--speaker: {exc}"
    for option in ("only", "skip"):
        value = getattr(args, option, None)
        if value is not None and not any(v.strip() for v in value.split(",")):
            return (f"--{option} needs at least one check id, comma-separated (see "
                    "'techcheck run --help')")
    if args.microphone is not None and is_file_spec(args.microphone):
        try:
            probe_audio_file(args.microphone)
        except AudioProblem as exc:
            return f"--microphone: {exc.detail}"
    for fmt in outputs:
        value = getattr(args, fmt)
        if value is not None and not value.strip():
            return f"--{fmt} needs a file name"
    to_stdout = [fmt for fmt in outputs if getattr(args, fmt) == STDOUT]
    if "pdf" in to_stdout:
        return "--pdf -: a PDF is not for the terminal; give it a file name (report.pdf)"
    if len(to_stdout) > 1:
        return (f"--{to_stdout[0]} - and --{to_stdout[1]} -: only one report can go to standard "
                "output; give the other a file name")
    return None


def _invitation_problem(args: argparse.Namespace, invitation: Invitation | None) -> str | None:
    """An invitation's server inside the person's own network, unless they allowed it."""
    if invitation is None or getattr(args, "allow_private_server", False):
        return None
    # Only what the run would use: an explicit --server/--stun replaces the invitation's.
    used = [f"{key} {value}" for key, value in invitation.internal_servers
            if getattr(args, key) is None]
    if not used:
        return None
    return (f"the invitation names a server on this computer or inside your own "
            f"network ({'; '.join(used)}). A recruiter's measurement server is on the "
            "internet, so this is a mistake or an attempt to reach devices on your "
            "network. If you trust it, run again with --allow-private-server.")


def _server_problem(server: str | None, stun_spec: str | None) -> str | None:
    if server is not None:
        problem = server_problem(server)
        if problem:
            return f"--server: {problem}"
    if stun_spec is not None:
        try:
            stun.parse_hostport(stun_spec)
        except ValueError as exc:
            return f"--stun: {exc}"
    return None


def _camera_problem(camera: str | None) -> str | None:
    """A camera file that is missing or that OpenCV cannot read (a number is a device)."""
    if camera is None or camera.strip().isdigit():
        return None
    path = Path(camera).expanduser()
    try:
        path.stat()
    except FileNotFoundError:
        pass
    except OSError as exc:  # a name too long for the file system, a loop of links
        return f"--camera: {camera}: {os_error_text(exc)}"
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        return (f"--camera: {camera} {what}; give a camera number (0 is the first) or a "
                "video or image file")
    if not _decodes(path):
        return (f"--camera: {camera} cannot be read as a video or a picture; give a video "
                "(.avi, .mp4, .mkv, .mov) or a picture (.jpg, .png) that opens in a media "
                "player, or a camera number")
    return None


def _decodes(path: Path) -> bool:
    """Whether OpenCV reads a first frame from the file the camera check would open."""
    from techcheck.checks.camera.source import CameraError, open_camera

    try:
        open_camera(str(path)).close()
    except CameraError:
        return False
    return True
