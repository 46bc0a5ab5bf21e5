"""From measured upload, loss and jitter to the parameters of a modelled call.

This is an approximation, and every number it uses is returned so the person can see it. The
choices, in order:

1. **Resolution**: the highest of the platform profile's video tiers that the measured upload
   and download both carry (``[network] tiers`` / ``tier_up_mbps`` / ``tier_down_mbps``:
   vendor bandwidth tables), chosen by the network check's own ``best_tier``, so the view names
   the tier the Connection card names. Its picture size is the tier's height in the camera's
   shape, never larger than the camera gives (clients do not upscale before sending); below
   the lowest tier the lowest tier is kept and the frame rate drops instead.
2. **Send rate**: a congestion-controlled sender does not fill the link. Google Congestion
   Control (draft-ietf-rmcat-gcc-02, section 5.5) backs off to ``alpha`` = 0.85 of the
   received rate when it detects queueing, so the call uses 0.85 × the upload, capped at the
   next tier's need (a client at 360p does not send 4 Mbit/s). Above 10 % loss GCC's
   loss-based controller (section 6) cuts the rate by a further factor (1 − 0.5 × loss).
3. **Audio** takes its share first and the picture gets the rest. Its bandwidth follows the
   Opus codec's recommended bitrates (RFC 6716 section 2.1.1: 8-12 kbit/s narrowband speech,
   16-20 wideband, 28-40 fullband) and audio bandwidths (RFC 6716 table 1: narrowband 4 kHz,
   wideband 8 kHz, fullband 20 kHz).
4. **Picture codec**: OpenCV ships JPEG, not H.264/VP8. Motion JPEG needs about five times the
   bits of H.264 for the same picture (Axis Communications, "H.264 video compression standard"
   white paper: H.264 "can reduce the size of a digital video file by more than 80 % compared
   with the Motion JPEG format"), so the JPEG stream is given 5 × the call's video bitrate to
   look like the call would.
5. **Losses**: a frame travels in ceil(size / 1200 bytes) RTP packets (WebRTC's default
   maximum payload); it is lost when a packet is lost and not repaired. A lost packet is
   re-sent on request (RTP NACK, RFC 4585) when the round trip fits the receiver's jitter
   buffer, and then lost only if the copy is lost too. Delay variation is modelled as
   exponential with mean = the measured jitter (for independent exponential delays the mean
   difference between consecutive packets, which is how the network check measures jitter,
   equals the mean); packets later than the jitter buffer are lost. Audio (one 20 ms Opus
   packet at a time, RFC 7587) is not re-sent.
6. **Freezes**: after a lost frame the receiver shows the last good picture until it has asked
   for and received a fresh key frame (RTCP picture loss indication, RFC 4585 section 6.3.1):
   one round trip plus one frame.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from techcheck.checks.i18n import N_
from techcheck.checks.network.analysis import Tier, best_tier, tiers_from

if TYPE_CHECKING:
    from techcheck.checks.network.limits import NetworkLimits

#: Fraction of the measured upload a congestion-controlled call sends (GCC's alpha, above).
UTILISATION = 0.85
#: Bits Motion JPEG needs for the picture H.264 makes from one bit (Axis white paper, above).
MJPEG_PER_H264 = 5.0
#: Capture rate of Teams, Zoom and Meet video when the link allows it.
FULL_FPS = 30.0
#: Lowest frame rate modelled; below it a real client stops sending video altogether.
MIN_FPS = 5.0
#: RTP payload per packet (WebRTC's default maximum packet size minus headers).
PACKET_BYTES = 1200
#: How long the receiver waits for late or re-sent packets before playing on. An assumption:
#: adaptive buffers grow with jitter, but past ~100 ms they eat the ITU-T G.114 one-way delay
#: budget of 150 ms, so clients do not grow them further.
JITTER_BUFFER_MS = 100.0
#: Round trip assumed for key-frame recovery when none was measured (ms).
DEFAULT_RTT_MS = 100.0
#: Opus frame length used by WebRTC calls (RFC 7587 recommends 20 ms).
AUDIO_PACKET_MS = 20.0
#: Audio bitrate: calls protect audio, taking up to 5 % of the upload (an assumption) within
#: the Opus speech range of 6-40 kbit/s (RFC 6716 section 2.1.1 / RFC 7587 section 3.1.1).
AUDIO_SHARE = 0.05
AUDIO_MIN_KBPS = 6.0
AUDIO_MAX_KBPS = 40.0

#: Opus audio bandwidths (RFC 6716 table 1) by the lowest bitrate RFC 6716 recommends for them.
AUDIO_BANDS = ((28.0, "fullband", 20000.0), (16.0, "wideband", 8000.0),
               (0.0, "narrowband", 4000.0))
BAND_LABELS = {"fullband": N_("fullband"), "wideband": N_("wideband"),
               "narrowband": N_("narrowband")}

#: Tier names that do not carry their size: Meet's "HD" is 720p; Zoom's "HQ" (high quality)
#: has no published size and is taken as 360p, the size the other vendors give 0.5-0.6 Mbit/s.
NAMED_HEIGHTS = {"hd": 720, "fhd": 1080, "fullhd": 1080, "hq": 360, "sd": 480}

APPROXIMATION = N_("An approximation: TechCheck sends your picture through JPEG compression "
                   "and a simple model of the network. The real call uses other codecs and "
                   "repairs some losses, so details will differ.")


@dataclass(frozen=True)
class Conditions:
    """What the network check measured, or what the person set the "what if" sliders to try
    (then ``measured`` holds what was measured, so every surface can tell the two apart)."""

    upload_mbps: float
    loss_pct: float
    jitter_ms: float
    rtt_ms: float | None = None
    download_mbps: float | None = None
    measured: Conditions | None = None

    def __post_init__(self) -> None:
        for name in ("upload_mbps", "loss_pct", "jitter_ms"):
            v = getattr(self, name)
            if not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
                raise ValueError(f"{name} must be a number of at least 0, not {v!r}")
        if self.loss_pct > 100:
            raise ValueError(f"loss_pct must be at most 100, not {self.loss_pct!r}")
        d = self.download_mbps
        if d is not None and (not isinstance(d, int | float) or not math.isfinite(d) or d < 0):
            raise ValueError(f"download_mbps must be a number of at least 0, not {d!r}")

    @property
    def what_if(self) -> bool:
        """True when the upload and loss are what the person set to try, not measured."""
        return self.measured is not None

    def trying(self, upload_mbps: float, loss_pct: float) -> Conditions:
        """These measured conditions with the upload and loss a person sets to try; jitter,
        round trip and download stay as measured (no slider changes them)."""
        base = self.measured or self
        return Conditions(upload_mbps, loss_pct, base.jitter_ms, base.rtt_ms,
                          base.download_mbps, measured=base)


#: The summary's parameters that are quantities, and their units.
SUMMARY_UNITS = {"upload": "Mbit/s", "send": "Mbit/s"}


@dataclass(frozen=True)
class Number:
    """One number the model used, for people: ``label`` is an N_ template."""

    key: str
    label: str
    value: float | str
    unit: str


@dataclass(frozen=True)
class CallPlan:
    """The parameters of one modelled call; see the module docstring for where each comes from."""

    conditions: Conditions
    tier: str
    width: int
    height: int
    fps: float
    send_kbps: float
    video_kbps: float
    jpeg_kbps: float
    audio_kbps: float
    audio_band: str
    audio_cutoff_hz: float
    packets_per_frame: int
    repaired: bool
    late_fraction: float
    frame_loss: float
    audio_loss: float
    freeze_frames: int
    #: The height the tier names ("1080p" → 1080); ``height`` is less when the camera is.
    tier_height: int = 0
    #: False below the lowest tier: the lowest tier is kept at a lower frame rate.
    carried: bool = True

    @property
    def camera_limited(self) -> bool:
        """The connection carries a larger picture than the camera gives."""
        return self.height < self.tier_height

    def numbers(self) -> list[Number]:
        """Every number the model used, in the order a person reads them: what was measured
        apart from what the person set to try (a what-if is never called "measured" or
        "used"), then what the modelled call does with it."""
        c = self.conditions
        out: list[Number] = []
        if c.measured is not None:
            out += [Number("upload", N_("Upload you set to try"), c.upload_mbps, "Mbit/s"),
                    Number("loss", N_("Packet loss you set to try"), c.loss_pct, "%")]
        m = c.measured or c
        key = "measured_" if c.measured is not None else ""
        # as measured or set, unrounded: written by l10n.quantity, as the sliders' labels and
        # the summary write them (rounding here first could round a half twice)
        out += [Number(f"{key}upload", N_("Upload measured (what the link could carry)"),
                       m.upload_mbps, "Mbit/s"),
                Number(f"{key}loss", N_("Packet loss measured"), m.loss_pct, "%")]
        if m.download_mbps is not None:
            out.append(Number("download", N_("Download measured"), m.download_mbps, "Mbit/s"))
        out.append(Number("jitter", N_("Jitter measured"), round(c.jitter_ms, 1), "ms"))
        if c.rtt_ms is not None:
            out.append(Number("rtt", N_("Round trip measured"), round(c.rtt_ms, 1), "ms"))
        out += [
            Number("tier", N_("Video quality modelled"), self.tier, ""),
            Number("resolution", N_("Picture size"), f"{self.width}×{self.height}", ""),
            Number("fps", N_("Frame rate"), round(self.fps, 1), "fps"),
            Number("send_kbps", N_("The call sends (picture and sound)"), round(self.send_kbps),
                   "kbit/s"),
            Number("video_kbps", N_("Video bitrate"), round(self.video_kbps), "kbit/s"),
            Number("jpeg_kbps", N_("Modelled as JPEG at"), round(self.jpeg_kbps), "kbit/s"),
            Number("frame_loss", N_("Frames lost"), round(100 * self.frame_loss, 1), "%"),
            Number("audio_kbps", N_("Audio bitrate"), round(self.audio_kbps, 1), "kbit/s"),
            Number("audio_band", N_("Audio bandwidth"), self.audio_band, ""),
            Number("audio_cutoff", N_("Sound up to"), round(self.audio_cutoff_hz / 1000, 1),
                   "kHz"),
            Number("audio_loss", N_("Sound packets lost"), round(100 * self.audio_loss, 1), "%"),
        ]
        return out

    def summary(self) -> list[tuple[str, dict[str, Any]]]:
        """The model in plain words for the candidate, as (N_ template, parameters): how sharp
        and smooth they will look, and how much of the upload a call takes. The numbers behind
        it are ``numbers()``, for a details section. Shown through ``summary_text``, which
        writes the quantities (``SUMMARY_UNITS``) as every other surface does."""
        c = self.conditions
        out: list[tuple[str, dict[str, Any]]] = [
            (N_("This is roughly how sharp you would look to the interviewer with the upload "
                "and loss you set to try.") if c.what_if else
             N_("This is roughly how sharp you will look to the interviewer on this "
                "connection."), {})]
        size = {"tier": self.tier, "width": self.width, "height": self.height}
        if not self.carried:
            out.append((N_("That is too slow even for {tier} video: the picture moves in jerks, "
                           "about {fps:.0f} pictures a second instead of 30."),
                        {**size, "fps": self.fps}))
        elif self.camera_limited:
            out.append((N_("It is enough for {tier} video, but your camera sends "
                           "{width}×{height}, so that is the sharpest they will see."), size))
        else:
            out.append((N_("It is enough for {tier} video: they will see you at "
                           "{width}×{height}."), size))
        sent = {"upload": c.upload_mbps, "send": self.send_kbps / 1000}
        out.append((N_("Of the {upload} you set to try, a call would send about {send}.")
                    if c.what_if else
                    N_("Your upload could carry {upload}; a call sends only about {send} of it."),
                    sent))
        if self.frame_loss >= 0.01:
            out.append((N_("About {pct:.0f} in 100 pictures get lost on the way, so the picture "
                           "freezes now and then."), {"pct": 100 * self.frame_loss}))
        return out

    def summary_text(self, lang: str) -> str:
        """``summary()`` in ``lang``, its speeds written by ``l10n.quantity`` (the path the
        numbers, the sliders' labels and the reports take): "0.20 Mbit/s" in the sentence as
        on the slider, never "0.2" in one and "0.20" in the other."""
        from techcheck.checks.i18n import translate
        from techcheck.checks.l10n import quantity

        return " ".join(
            translate(template, lang, {k: quantity(v, SUMMARY_UNITS[k], lang)
                                       if k in SUMMARY_UNITS else v for k, v in params.items()})
            for template, params in self.summary())

    def to_dict(self) -> dict[str, Any]:
        return {n.key: n.value for n in self.numbers()}


def tier_height(name: str, fallback: int) -> int:
    """Picture height for a tier name: "720p" → 720, "HD" → 720; unknown names → ``fallback``."""
    m = re.fullmatch(r"\s*(\d{3,4})\s*p\s*", name, flags=re.IGNORECASE)
    if m:
        return int(m.group(1))
    return NAMED_HEIGHTS.get(name.strip().lower().replace(" ", ""), fallback)


def _frame_size(height: int, capture: tuple[int, int] | None) -> tuple[int, int]:
    """The camera's shape (16:9 when unknown) at ``height``, never larger than the camera
    gives (clients do not upscale before sending), with even sides (4:2:0 chroma needs them)."""
    aspect = 16 / 9
    if capture is not None and capture[0] > 0 and capture[1] > 0:
        aspect = capture[0] / capture[1]
        height = min(height, capture[1])
    width = max(2, round(height * aspect / 2) * 2)
    return width, max(2, int(height // 2 * 2))


def audio_band(kbps: float) -> tuple[str, float]:
    for lowest, name, cutoff in AUDIO_BANDS:
        if kbps >= lowest:
            return name, cutoff
    return AUDIO_BANDS[-1][1], AUDIO_BANDS[-1][2]


def plan_call(tiers: list[Tier], conditions: Conditions,
              capture: tuple[int, int] | None = None) -> CallPlan:
    """The modelled call for ``conditions`` on a platform with these video ``tiers``, for a
    camera giving ``capture`` = (width, height) pictures."""
    if not tiers:
        raise ValueError("the profile lists no video tiers")
    tiers = sorted(tiers, key=lambda t: (t.up_mbps, t.down_mbps))  # as tiers_from orders them
    up = conditions.upload_mbps
    down = conditions.download_mbps
    loss = conditions.loss_pct / 100.0
    # The network check's own choice (its card names this tier); a download that was not
    # measured limits nothing here, as the view varies only the upload.
    best, _ = best_tier(tiers, up, down if down is not None else math.inf)
    tier = best if best is not None else tiers[0]
    higher = [t for t in tiers if t.up_mbps > tier.up_mbps]
    cap = higher[0].up_mbps if higher else tier.up_mbps
    fallback = 360 + 360 * tiers.index(tier)
    named = tier_height(tier.name, fallback)
    width, height = _frame_size(named, capture)
    short = min(up / tier.up_mbps if tier.up_mbps > 0 else 1.0,
                down / tier.down_mbps if down is not None and tier.down_mbps > 0 else 1.0)
    fps = FULL_FPS if best is not None else max(MIN_FPS, FULL_FPS * min(short, 1.0))

    send = min(up * UTILISATION, cap)
    if loss > 0.10:
        send *= 1.0 - 0.5 * loss
    send_kbps = send * 1000.0
    audio_kbps = float(np.clip(up * 1000.0 * AUDIO_SHARE, AUDIO_MIN_KBPS, AUDIO_MAX_KBPS))
    audio_kbps = min(audio_kbps, send_kbps)
    video_kbps = max(send_kbps - audio_kbps, 0.0)
    band, cutoff = audio_band(audio_kbps)

    frame_bytes = video_kbps * 1000.0 / 8.0 / fps
    packets = max(1, math.ceil(frame_bytes / PACKET_BYTES))
    jitter = conditions.jitter_ms
    late = math.exp(-JITTER_BUFFER_MS / jitter) if jitter > 0 else 0.0
    rtt = conditions.rtt_ms
    repaired = rtt is not None and rtt + jitter <= JITTER_BUFFER_MS
    unrepaired = loss * loss if repaired else loss
    frame_loss = 1.0 - (1.0 - unrepaired) ** packets * (1.0 - late)
    audio_loss = 1.0 - (1.0 - loss) * (1.0 - late)
    recovery_ms = (rtt if rtt is not None else DEFAULT_RTT_MS) + 1000.0 / fps
    freeze = max(1, math.ceil(recovery_ms * fps / 1000.0))
    return CallPlan(conditions, tier.name, width, height, fps, send_kbps, video_kbps,
                    video_kbps * MJPEG_PER_H264, audio_kbps, band, cutoff, packets, repaired,
                    late, min(frame_loss, 1.0), min(audio_loss, 1.0), freeze,
                    tier_height=named, carried=best is not None)


def plan_for_limits(limits: NetworkLimits, conditions: Conditions,
                    capture: tuple[int, int] | None = None) -> CallPlan:
    """``plan_call`` with the tiers of a profile's ``[network]`` limits
    (``techcheck.checks.network.limits.NetworkLimits``)."""
    tiers = tiers_from(limits.tiers, limits.tier_up_mbps,
                       limits.tier_down_mbps)
    return plan_call(tiers, conditions, capture)


class LossSchedule:
    """Which packets (or frames) are lost: a seeded, random-looking pattern whose count tracks
    ``rate`` × n within one item at every point, so short runs show the rate they were given
    (independent coin flips would be off by ±1 pp over 1000 frames one time in three).

    Items are drawn in blocks of ``block``; in each, the number lost brings the running total
    to round(rate × n), at random places in the block."""

    def __init__(self, rate: float, seed: int = 0, block: int = 20) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be within 0..1, not {rate!r}")
        self.rate = rate
        self.block = block
        self.rng = np.random.default_rng(seed)
        self.n = 0
        self.lost = 0
        self._pending: list[bool] = []

    def _refill(self) -> None:
        want = round(self.rate * (self.n + self.block)) - self.lost
        want = max(0, min(self.block, want))
        flags = np.zeros(self.block, dtype=bool)
        flags[self.rng.choice(self.block, size=want, replace=False)] = True
        self.lost += want
        self.n += self.block
        self._pending = list(flags[::-1])

    def next(self) -> bool:
        if not self._pending:
            self._refill()
        return bool(self._pending.pop())

    def take(self, count: int) -> np.ndarray:
        return np.array([self.next() for _ in range(count)], dtype=bool)


#: The network check's metric names for what the model needs.
MEASURES = {"upload_mbps": "upload", "loss_pct": "packet_loss", "jitter_ms": "jitter"}


def conditions_from_metrics(metrics: dict[str, Any]) -> tuple[Conditions | None, list[str]]:
    """Conditions from the network check's metrics (``CheckResult.metrics``), or None and the
    names of the measures that are missing ("could not measure" is never turned into 0)."""

    def number(name: str) -> float | None:
        m = metrics.get(name)
        v = getattr(m, "value", None)
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None

    values = {field: number(name) for field, name in MEASURES.items()}
    missing = [MEASURES[f] for f, v in values.items() if v is None]
    if missing:
        return None, missing
    try:
        return Conditions(rtt_ms=number("latency"), download_mbps=number("download"),
                          **values), []  # type: ignore[arg-type]
    except ValueError:
        return None, [MEASURES[f] for f, v in values.items() if v is None or v < 0]
