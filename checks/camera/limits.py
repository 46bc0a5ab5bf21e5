"""The camera check's limits: the keys of the ``[camera]`` section of a profile. Every value's
source is in ``resources/profiles/generic.toml``; the defaults here are the same numbers so a
profile without a ``[camera]`` section still judges sensibly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CameraLimits:
    # how long and how the picture is judged
    duration_s: float = 5.0
    warmup_s: float = 1.0
    window_s: float = 2.5
    live_window_s: float = 1.0
    # stream
    resolution_warn_px: int = 720
    resolution_fail_px: int = 480
    fps_warn: float = 24.0
    fps_fail: float = 15.0
    black_luma: float = 20.0
    black_fraction_fail: float = 0.33
    frozen_change: float = 0.1
    frozen_fraction_fail: float = 0.33
    # light and image, on the face
    face_light_warn: float = 100.0
    face_light_fail: float = 70.0
    room_light_share: float = 0.6
    clipped_warn: float = 0.01
    clipped_fail: float = 0.05
    backlight_warn: float = 0.42
    backlight_fail: float = 0.30
    backlight_min_background: float = 200.0
    light_balance_warn: float = 0.6
    light_balance_fail: float = 0.4
    contrast_warn: float = 12.0
    contrast_fail: float = 6.0
    colour_a_range: tuple[float, float] = (5.0, 25.0)
    colour_b_range: tuple[float, float] = (5.0, 35.0)
    colour_fail_margin: float = 10.0
    sharpness_warn: float = 30.0
    sharpness_fail: float = 26.0
    noise_warn: float = 3.0
    noise_fail: float = 6.0
    # framing
    face_height_range_warn: tuple[float, float] = (0.22, 0.55)
    face_height_range_fail: tuple[float, float] = (0.15, 0.70)
    eye_line_warn: float = 0.42
    eye_line_fail: float = 0.50
    headroom_warn: float = 0.0
    headroom_fail: float = -0.08
    offset_warn: float = 0.10
    offset_fail: float = 0.17
    roll_warn_deg: float = 5.0
    roll_fail_deg: float = 8.0
    yaw_warn_deg: float = 20.0
    yaw_fail_deg: float = 35.0
    # background
    clutter_warn: float = 0.12
    motion_warn: float = 4.0
