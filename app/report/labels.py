"""Readable names for the metrics checks report (``cpu_load`` → "Processor load").

Checks name metrics with short keys; the report shows these labels. A metric without a label
here is still shown, with its key made readable, so a new check never breaks a report.
Labels are looked up as ``"<check>.<metric>"`` first, then ``"<metric>"``.
"""

from __future__ import annotations

from techcheck.checks.i18n import N_

METRIC_LABELS: dict[str, str] = {
    # system
    "cpu_cores": N_("Processor cores"),
    "cpu_threads": N_("Processor threads"),
    "cpu_load": N_("Processor load"),
    "memory_free": N_("Free memory"),
    "memory_total": N_("Total memory"),
    "battery": N_("Battery"),
    "on_ac_power": N_("Charger connected"),
    "disk_free": N_("Free disk space"),
    "conferencing_apps_running": N_("Call apps running"),
    "vpn_active": N_("VPN active"),
    "connection": N_("Connection"),
    "wifi_signal": N_("Wi-Fi signal"),
    # network (names the network check is expected to use; unknown ones fall back below)
    "download": N_("Download"),
    "download_mbps": N_("Download"),
    "upload": N_("Upload"),
    "upload_mbps": N_("Upload"),
    "latency": N_("Latency"),
    "latency_ms": N_("Latency"),
    "rtt_ms": N_("Round-trip time"),
    "loaded_latency_ms": N_("Latency under load"),
    "jitter": N_("Jitter"),
    "jitter_ms": N_("Jitter"),
    "loss": N_("Packet loss"),
    "loss_pct": N_("Packet loss"),
    "udp": N_("UDP reachable"),
    # camera
    "fps": N_("Frame rate"),
    "width": N_("Picture width"),
    "height": N_("Picture height"),
    "faces": N_("Faces in view"),
    "face_luma": N_("Face brightness"),
    "backlight_ratio": N_("Face against background"),
    "noise": N_("Picture noise"),
    "sharpness": N_("Sharpness"),
    # audio
    "speech_level_dbfs": N_("Speech level"),
    "peak_dbfs": N_("Peak level"),
    "noise_floor_dbfs": N_("Background noise"),
    "clipping_pct": N_("Clipping"),
    # camera, as the camera check names them
    "face_light": N_("Light on the face"),
    "face_clipped": N_("Blown-out face area"),
    "light_balance": N_("Light balance across the face"),
    "face_contrast": N_("Face contrast"),
    "color_a": N_("Colour tint (green–red)"),
    "color_b": N_("Colour tint (blue–yellow)"),
    "face_size": N_("Face height in picture"),
    "eye_line": N_("Eye line from the top"),
    "headroom": N_("Space above the head"),
    "offset": N_("Off centre"),
    "roll": N_("Head tilt"),
    "yaw": N_("Head turned away"),
    "clutter": N_("Busy background"),
    "background_motion": N_("Movement behind you"),
    "black_frames": N_("Black frames"),
    "frozen_frames": N_("Frozen frames"),
    # microphone and network, as those checks name them
    "clipping": N_("Clipping"),
    "loaded_latency_download": N_("Latency while downloading"),
    "loaded_latency_upload": N_("Latency while uploading"),
    "measured_via": N_("Measured through"),
    # names the built-in checks use
    "bufferbloat": N_("Delay added under load"),
    "channels": N_("Channels"),
    "dc_offset": N_("DC offset"),
    "dns_ms": N_("Name lookup time"),
    "duration": N_("Measured for"),
    "echo_detected": N_("Echo heard"),
    "echo_return_loss": N_("Echo damping"),
    "endpoints_reachable": N_("Call services reachable"),
    "frames": N_("Frames analysed"),
    "heard": N_("Test sound heard"),
    "hum_frequency": N_("Hum frequency"),
    "hum_level": N_("Hum level"),
    "latency_method": N_("Latency measured with"),
    "noise_floor": N_("Background noise"),
    "packet_loss": N_("Packet loss"),
    "peak": N_("Peak level"),
    "resolution": N_("Resolution"),
    "resolution_lines": N_("Picture lines"),
    "rms": N_("Average level"),
    "round_trip": N_("Sound round trip"),
    "samplerate": N_("Sample rate"),
    "snr": N_("Speech above noise"),
    "speech_activity": N_("Speech activity"),
    "speech_level": N_("Speech level"),
    "speech_seconds": N_("Speech heard"),
    "speedtest_ping": N_("Speedtest ping"),
    "video_quality": N_("Video quality possible"),
}

_UNIT_SUFFIXES = ("_mbps", "_kbps", "_ms", "_pct", "_dbfs", "_db", "_mb", "_gb", "_s", "_hz")


def metric_label(check_id: str, name: str) -> str:
    """The English label (an ``N_`` template, or the key made readable) of a metric."""
    found = METRIC_LABELS.get(f"{check_id}.{name}") or METRIC_LABELS.get(name)
    if found:
        return found
    words = name
    for suffix in _UNIT_SUFFIXES:
        if words.endswith(suffix) and len(words) > len(suffix):
            words = words[: -len(suffix)]
            break
    words = words.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:] if words else name
