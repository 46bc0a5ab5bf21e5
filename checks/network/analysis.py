"""Pure functions from raw probe samples to the numbers a call depends on, and from those
numbers to a verdict in plain words. No I/O, so tests feed them exact inputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from techcheck.checks.i18n import N_


@dataclass
class LatencyStats:
    sent: int
    answered: int
    loss_pct: float | None
    median_ms: float | None
    min_ms: float | None
    p95_ms: float | None
    jitter_ms: float | None  # mean |difference| between consecutive answered probes

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def latency_stats(rtts: list[float | None]) -> LatencyStats:
    """``rtts`` in send order, None for a probe never answered."""
    sent = len(rtts)
    got = np.array([r for r in rtts if r is not None], dtype=float)
    if sent == 0:
        return LatencyStats(0, 0, None, None, None, None, None)
    loss = 100.0 * (sent - got.size) / sent
    if got.size == 0:
        return LatencyStats(sent, 0, loss, None, None, None, None)
    jitter = float(np.mean(np.abs(np.diff(got)))) if got.size > 1 else 0.0
    return LatencyStats(sent, int(got.size), loss, float(np.median(got)), float(got.min()),
                        float(np.percentile(got, 95)), jitter)


@dataclass(frozen=True)
class Tier:
    name: str
    up_mbps: float
    down_mbps: float


def tiers_from(names: Sequence[str], ups: Sequence[float],
               downs: Sequence[float]) -> list[Tier]:
    return sorted((Tier(n, u, d) for n, u, d in zip(names, ups, downs, strict=False)),
                  key=lambda t: (t.up_mbps, t.down_mbps))


def best_tier(tiers: list[Tier], up: float | None, down: float | None) -> tuple[Tier | None,
                                                                                 Tier | None]:
    """(highest tier both directions carry, the next one up). Unknown speeds carry nothing."""
    best = None
    for t in tiers:
        if up is not None and down is not None and up >= t.up_mbps and down >= t.down_mbps:
            best = t
        else:
            return best, t
    return best, None


def verdict(platform: str, tiers: list[Tier], up: float | None, down: float | None,
            quality_ok: bool = True) -> tuple[str, dict[str, Any]]:
    """A sentence for the candidate and its parameters, e.g. "Good enough for Microsoft Teams in
    720p, not in 1080p: that needs 1.5 Mbit/s upload, you have 1.3."

    ``quality_ok`` false (delay, jitter or loss beyond the limits) turns a "good enough" into
    "fast enough, but": speed alone does not make a call work.
    """
    params: dict[str, Any] = {"platform": platform}
    if up is None or down is None:
        return N_("The speed could not be measured, so we cannot say which video quality "
                  "{platform} will manage."), params
    best, nxt = best_tier(tiers, up, down)
    short_up = nxt is not None and up < nxt.up_mbps
    if nxt is not None:
        params.update(next=nxt.name, need=nxt.up_mbps if short_up else nxt.down_mbps,
                      have=up if short_up else down)
    if best is not None:
        params["tier"] = best.name
    if best is None:
        text = (N_("Not good enough for video in {platform}: even {next} needs {need:.1f} Mbit/s "
                   "upload, you have {have:.1f}.") if short_up else
                N_("Not good enough for video in {platform}: even {next} needs {need:.1f} Mbit/s "
                   "download, you have {have:.1f}."))
    elif not quality_ok:
        text = N_("Fast enough for {platform} in {tier}, but the delay, jitter or loss listed "
                  "below will make sound choppy and video freeze.")
    elif nxt is None:
        text = N_("Good enough for {platform} in {tier}.")
    else:
        text = (N_("Good enough for {platform} in {tier}, not in {next}: that needs {need:.1f} "
                   "Mbit/s upload, you have {have:.1f}.") if short_up else
                N_("Good enough for {platform} in {tier}, not in {next}: that needs {need:.1f} "
                   "Mbit/s download, you have {have:.1f}."))
    return text, params
