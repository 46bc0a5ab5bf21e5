"""The ``screen`` check: the screens, whether the desktop can share one, and how legible shared
text will be for the interviewer."""

from techcheck.checks.screen.check import ScreenCheck, ScreenLimits

__all__ = ["ScreenCheck", "ScreenLimits"]
