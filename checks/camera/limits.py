"""The camera check's limits: the keys of the ``[camera]`` section of a profile. Every value's
source is in ``resources/profiles/generic.toml``; the defaults here are the same numbers so a
profile without a ``[camera]`` section still judges sensibly.

Most measures have two limits, named after the status crossing them gives (docs/verdicts.md):
past ``*_tip`` the report gives advice that does not change the verdict, past ``*_warn`` the
other side of the call would notice. Only a picture that shows nothing (black or frozen) fails.
"""

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
    resolution_tip_px: int = 720
    resolution_warn_px: int = 360
    fps_tip: float = 20.0
    fps_warn: float = 15.0
    black_luma: float = 20.0
    black_fraction_fail: float = 0.33
    frozen_change: float = 0.1
    frozen_lag_s: float = 0.5
    frozen_fraction_fail: float = 0.33
    # light and image, on the face
    face_light_tip: float = 100.0
    face_light_warn: float = 70.0
    room_light_share: float = 0.6
    clipped_tip: float = 0.01
    clipped_warn: float = 0.05
    backlight_tip: float = 0.42
    backlight_warn: float = 0.30
    backlight_min_background: float = 200.0
    light_balance_tip: float = 0.6
    light_balance_warn: float = 0.4
    contrast_tip: float = 12.0
    contrast_warn: float = 6.0
    colour_a_range: tuple[float, float] = (0.0, 32.0)
    colour_b_range: tuple[float, float] = (0.0, 42.0)
    colour_warn_margin: float = 10.0
    colour_min_chroma: float = 4.0
    sharpness_tip: float = 19.5
    sharpness_warn: float = 18.0
    noise_tip: float = 3.0
    noise_warn: float = 6.0
    # framing
    face_height_range_tip: tuple[float, float] = (0.22, 0.60)
    face_height_range_warn: tuple[float, float] = (0.15, 0.75)
    eye_line_tip: float = 0.52
    eye_line_warn: float = 0.60
    headroom_tip: float = 0.0
    headroom_warn: float = -0.08
    offset_tip: float = 0.12
    offset_warn: float = 0.22
    roll_tip_deg: float = 8.0
    roll_warn_deg: float = 15.0
    yaw_tip_deg: float = 20.0
    yaw_warn_deg: float = 35.0
    # background
    clutter_tip: float = 0.12
    motion_tip: float = 4.0
