"""Device problems as the pages show them: what happened and how to fix it, in the GUI's
language. Keyed by the ``kind`` the check modules put on their exceptions."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(exc: BaseException, device: str) -> tuple[str, str]:
    """(message, fix) for an exception raised while opening or reading a device.

    ``device`` is "camera", "microphone" or "speaker"."""
    message, fix = getattr(exc, "message", None), getattr(exc, "fix", None)
    if isinstance(message, str) and isinstance(fix, str):  # a check's own templates (N_)
        from techcheck.app.gui.i18n import ct

        params = dict(getattr(exc, "params", None) or {})
        return ct(message, params), ct(fix, params)
    kind = getattr(exc, "kind", None) or getattr(exc, "code", None) or ""
    kind = str(kind).split(".")[-1]
    what = {
        "camera": translate("DeviceProblem", "the camera"),
        "microphone": translate("DeviceProblem", "the microphone"),
        "speaker": translate("DeviceProblem", "the speakers"),
    }.get(device, device)
    table = {
        "portaudio_missing": (
            translate("DeviceProblem", "The sound system cannot be used (PortAudio is missing)."),
            translate(
                "DeviceProblem", "Reinstall TechCheck; on Linux install the package libportaudio2."
            ),
        ),
        "unavailable": (
            translate("DeviceProblem", "No {what} was found.").format(what=what),
            translate(
                "DeviceProblem",
                "Connect it, or choose another one in the list. In demo mode a sample is "
                "used instead.",
            ),
        ),
        "permission": (
            translate(
                "DeviceProblem", "The computer does not allow TechCheck to use {what}."
            ).format(what=what),
            translate(
                "DeviceProblem",
                "Allow access in the system's privacy settings (Camera or Microphone), then "
                "choose the device again.",
            ),
        ),
        "busy": (
            translate("DeviceProblem", "Another program is using {what}.").format(what=what),
            translate(
                "DeviceProblem",
                "Close Teams, Zoom, the browser tab of a meeting or any other program that "
                "uses it, then choose it again.",
            ),
        ),
        "disconnected": (
            _first_upper(
                translate("DeviceProblem", "{what} stopped working while it was being used.")
                .format(what=what)
            ),
            translate(
                "DeviceProblem",
                "Check the cable or the Bluetooth connection, then choose it again.",
            ),
        ),
        "bad_file": (
            translate("DeviceProblem", "The sample file cannot be read."),
            translate("DeviceProblem", "Reinstall TechCheck, or choose a real device."),
        ),
        "missing_module": (
            translate("DeviceProblem", "This part of TechCheck is not installed."),
            translate("DeviceProblem", "Reinstall TechCheck."),
        ),
    }
    kind = {"not_found": "unavailable", "denied": "permission"}.get(kind, kind)
    if kind in table:
        return table[kind]
    detail = getattr(exc, "detail", None) or str(exc)
    return (
        _first_upper(
            translate("DeviceProblem", "{what} cannot be used: {detail}")
            .format(what=what, detail=detail)
        ),
        translate(
            "DeviceProblem", "Choose the device again. If it keeps failing, restart the computer."
        ),
    )
