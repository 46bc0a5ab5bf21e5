"""A model of the call: what the interviewer would see and hear of the candidate, from the
camera picture, the recorded voice and the measured upload, loss and jitter.

Pure numpy/OpenCV, no Qt: the GUI's "As they will see and hear you" view, ``techcheck run
--preview`` and the tests all use it. Nothing here stores or sends anything; the modelled
media stay in memory unless the caller writes them (``export``).
"""

from techcheck.checks.callmodel.audio import ModelledAudio, band_limit, model_audio
from techcheck.checks.callmodel.export import model_clip, video_bytes, wav_bytes
from techcheck.checks.callmodel.plan import (
    APPROXIMATION,
    CallPlan,
    Conditions,
    LossSchedule,
    Number,
    conditions_from_metrics,
    plan_call,
    plan_for_limits,
)
from techcheck.checks.callmodel.video import ModelledFrame, VideoModel

__all__ = [
    "APPROXIMATION",
    "CallPlan",
    "Conditions",
    "LossSchedule",
    "ModelledAudio",
    "ModelledFrame",
    "Number",
    "VideoModel",
    "band_limit",
    "conditions_from_metrics",
    "model_audio",
    "model_clip",
    "plan_call",
    "plan_for_limits",
    "video_bytes",
    "wav_bytes",
]
