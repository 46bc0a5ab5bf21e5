"""The ``system`` check: is the computer itself ready (load, memory, power, disk, VPN, Wi-Fi)?"""

from techcheck.checks.system.check import SystemCheck, SystemLimits

__all__ = ["SystemCheck", "SystemLimits"]
