"""The picture as the other side would see it: scaled to the modelled size, sent at the modelled
frame rate, compressed to the bit budget with JPEG, with frames lost and frozen as the plan says.

Rate control works across frames, the way a video encoder's does: a leaky bucket counts the
bits sent against the bits the budget allowed since the previous frame, each frame aims at its
share minus a fifth of the debt, and the JPEG quality comes from the previous frame's (a
log-size-per-quality slope learnt from the frames themselves). A frame that misses its aim by
more than 15 % is encoded once more at a corrected quality, so at most two encodes per frame.
When even the lowest quality overshoots and the debt exceeds two frames' budget, the frame is
skipped, as WebRTC's frame dropper does, and the picture stays as it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from techcheck.checks.callmodel.plan import CallPlan, LossSchedule

Q_MIN, Q_MAX, Q_START = 2, 95, 50
#: Re-encode a frame that misses its aim by more than this factor.
TOLERANCE = 1.15
#: Share of the bucket's debt (or credit) each frame pays back.
PAYBACK = 0.2


@dataclass
class ModelledFrame:
    """What the other side shows for one captured frame.

    ``image`` is the received picture at the modelled size (None before the first one
    arrives); ``sent`` whether this capture frame was encoded and sent (frame-rate reduction
    and encoder skips send fewer); ``bits`` its JPEG size; ``lost`` whether the network lost
    it; ``frozen`` whether the picture shown is an old one (lost, or waiting for a key frame).
    """

    image: np.ndarray | None
    t: float
    sent: bool
    bits: int = 0
    quality: int = 0
    lost: bool = False
    frozen: bool = False
    skipped: bool = False


class VideoModel:
    """Feed captured frames in order with their capture times (seconds); get what arrives."""

    def __init__(self, plan: CallPlan, seed: int = 0) -> None:
        self.plan = plan
        self.bps = plan.jpeg_kbps * 1000.0
        self.losses = LossSchedule(plan.frame_loss, seed=seed)
        self.quality = float(Q_START)
        self.slope = 0.03  # d ln(size) / d quality, learnt per frame
        self.debt = 0.0  # bits sent minus bits allowed so far
        self.next_send: float | None = None
        self.last_sent: float | None = None
        self.shown: np.ndarray | None = None
        self.freeze_left = 0
        self.frames = self.sent = self.lost = self.frozen = self.skipped = 0
        self.bits_total = 0

    def _encode(self, img: np.ndarray, q: int) -> np.ndarray:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(q)])
        if not ok:  # only for an empty or malformed image
            raise ValueError("the frame could not be JPEG-encoded")
        return buf

    def _rate_control(self, img: np.ndarray, allowed: float) -> tuple[np.ndarray | None, int]:
        aim = float(np.clip(allowed - PAYBACK * self.debt, 0.25 * allowed, 2.0 * allowed))
        q = round(float(np.clip(self.quality, Q_MIN, Q_MAX)))
        buf = self._encode(img, q)
        bits = buf.size * 8
        miss = math.log(bits / aim)
        if abs(miss) > math.log(TOLERANCE):
            q2 = round(float(np.clip(q - miss / self.slope, Q_MIN, Q_MAX)))
            if q2 != q:
                buf2 = self._encode(img, q2)
                bits2 = buf2.size * 8
                if bits2 != bits:
                    self.slope = float(np.clip(math.log(bits2 / bits) / (q2 - q), 0.005, 0.2))
                q, buf, bits = q2, buf2, bits2
                miss = math.log(bits / aim)
        # The next frame starts from here, half-way corrected for what this one missed.
        self.quality = float(np.clip(q - 0.5 * miss / self.slope, Q_MIN, Q_MAX))
        if q == Q_MIN and bits > aim and self.debt + bits - allowed > 2.0 * allowed:
            return None, q  # skipped: even the lowest quality does not fit
        return buf, q

    def push(self, frame: np.ndarray, t: float) -> ModelledFrame:
        """Model one captured BGR frame taken at ``t`` seconds."""
        plan = self.plan
        self.frames += 1
        interval = 1.0 / plan.fps
        if self.next_send is not None and t + 1e-6 < self.next_send:
            return ModelledFrame(self.shown, t, sent=False, frozen=False)
        self.next_send = t + interval if self.next_send is None else max(
            self.next_send + interval, t)
        allowed = self.bps * (t - self.last_sent if self.last_sent is not None else interval)
        allowed = max(allowed, self.bps * interval * 0.5)
        self.last_sent = t

        h, w = frame.shape[:2]
        if (w, h) != (plan.width, plan.height):
            # Area averaging is the better down-scaler but slow for ratios above one half.
            interp = cv2.INTER_AREA if w >= 2 * plan.width else cv2.INTER_LINEAR
            frame = cv2.resize(frame, (plan.width, plan.height), interpolation=interp)
        buf, q = self._rate_control(frame, allowed)
        if buf is None:
            self.debt -= allowed
            self.skipped += 1
            return ModelledFrame(self.shown, t, sent=False, quality=q, frozen=self.shown is not None,
                                 skipped=True)
        bits = int(buf.size * 8)
        self.debt += bits - allowed
        self.bits_total += bits
        self.sent += 1
        lost = self.losses.next()
        if lost:
            self.lost += 1
            self.freeze_left = plan.freeze_frames
        if lost or self.freeze_left > 0:
            if not lost:
                self.freeze_left -= 1
            self.frozen += 1
            return ModelledFrame(self.shown, t, sent=True, bits=bits, quality=q, lost=lost,
                                 frozen=True)
        self.shown = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        return ModelledFrame(self.shown, t, sent=True, bits=bits, quality=q)

    def stats(self) -> dict[str, float | int]:
        """Counts so far: frames pushed, sent, lost, frozen, skipped; mean kbit/s per sent frame."""
        return {"frames": self.frames, "sent": self.sent, "lost": self.lost,
                "frozen": self.frozen, "skipped": self.skipped, "bits": self.bits_total}
