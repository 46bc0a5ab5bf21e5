"""The camera check's limits: the keys of the ``[camera]`` section of a profile. Every value's
value and its source are in ``resources/profiles/generic.toml``, the only place limits have
values (every profile sits over it); this class declares the keys and their types.

Most measures have two limits, named after the status crossing them gives (docs/verdicts.md):
past ``*_tip`` the report gives advice that does not change the verdict, past ``*_warn`` the
other side of the call would notice. Only a picture that shows nothing (black or frozen) fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from techcheck.checks.model import Between


@dataclass(frozen=True)
class CameraLimits:
    # how long and how the picture is judged
    # Bounds (seconds): at least one second of picture and at most two minutes of watching;
    # at most 10 s for the automatic exposure to settle; windows from a few frames up to 30 s.
    duration_s: Annotated[float, Between(1, 120)]
    warmup_s: Annotated[float, Between(0, 10)]
    window_s: Annotated[float, Between(0.5, 30)]
    # stream
    resolution_tip_px: int
    resolution_warn_px: int
    fps_tip: float
    fps_warn: float
    black_luma: float
    black_fraction_fail: float
    frozen_change: float
    frozen_lag_s: Annotated[float, Between(0.1, 5)]  # 3 frames at 30 fps … 5 s
    frozen_fraction_fail: float
    # light and image, on the face
    face_light_tip: float
    face_light_warn: float
    room_light_share: float
    clipped_tip: float
    clipped_warn: float
    backlight_tip: float
    backlight_warn: float
    backlight_min_background: float
    light_balance_tip: float
    light_balance_warn: float
    contrast_tip: float
    contrast_warn: float
    color_a_range: tuple[float, float]
    color_b_range: tuple[float, float]
    color_margin_warn: float
    color_min_chroma: float
    sharpness_tip: float
    sharpness_warn: float
    noise_tip: float
    noise_warn: float
    # framing
    head_height_min_tip: float
    head_height_min_warn: float
    head_height_max_warn: float
    eye_line_tip: float
    eye_line_warn: float
    headroom_tip: float
    headroom_warn: float
    offset_tip: float
    offset_warn: float
    roll_tip_deg: float
    roll_warn_deg: float
    yaw_tip_deg: float
    yaw_warn_deg: float
    pitch_tip_deg: float
    pitch_warn_deg: float
    gaze_tip_deg: float
    gaze_warn_deg: float
    # background
    clutter_tip: float
    motion_tip: float
