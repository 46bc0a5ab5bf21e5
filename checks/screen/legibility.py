"""How tall ordinary text on a shared screen arrives on the interviewer's side: a pure function
of the screen's pixel size, its scale and the call's share resolution.

Why the limits in ``[screen]`` (resources/profiles/generic.toml) are what they are:

- ISO 9241-3:1992 (Visual display requirements), 5.4 "Character format", carried into
  ISO 9241-303:2011, 5.5.x: a character needs a matrix of at least 5x7 pixels to be
  identified at all (numerals, capitals), and at least 7x9 pixels for text read continuously
  (mixed case, as code is). The matrix height is the capital height.
- Coding fonts put the capital height at 0.64-0.73 of the font size (the em): DejaVu Sans
  Mono and Menlo 0.73, Cascadia Code 0.70, Consolas 0.64 (each font's OS/2 ``sCapHeight`` over
  ``unitsPerEm``). At about 0.7, a 9 px capital needs text of about 13 px, a 7 px capital
  about 10 px.

So text that arrives under about 12 px is below the continuous-reading matrix (a tip), and
under 10 px below the 5x7 minimum: the interviewer cannot read the code (a warning).
"""

from __future__ import annotations


def downscale(width_px: int, height_px: int, share_width_px: int, share_height_px: int) -> float:
    """The factor the call shrinks a screen by to fit its share resolution (never enlarges:
    a screen smaller than the share is sent as it is)."""
    if width_px <= 0 or height_px <= 0:
        raise ValueError("a screen has a positive size")
    return min(1.0, share_width_px / width_px, share_height_px / height_px)


def shared_text_px(width_px: int, height_px: int, scale: float, text_px: float,
                   share_width_px: int, share_height_px: int) -> float:
    """The height in the interviewer's pixels of text the person sees at ``text_px`` CSS
    pixels (points on macOS): drawn at ``text_px × scale`` device pixels on the screen, then
    shrunk with the whole screen to the share resolution. A 3840×2160 screen at 100 % shared
    at 1920×1080: 13 px text arrives 6.5 px tall; 1920×1080 at 100 %: 13 px."""
    if scale <= 0:
        raise ValueError("a scale is positive")
    return text_px * scale * downscale(width_px, height_px, share_width_px, share_height_px)


def scale_needed(width_px: int, height_px: int, text_px: float, want_px: float,
                 share_width_px: int, share_height_px: int) -> float:
    """The display scale at which ``text_px`` text arrives at least ``want_px`` tall (for the
    fix: "raise the scale to 200 %")."""
    return want_px / (text_px * downscale(width_px, height_px, share_width_px, share_height_px))
