"""Runtime hook: let sounddevice find the PortAudio library the bundle carries on Linux.

sounddevice locates PortAudio with ``ctypes.util.find_library("portaudio")``, which on Linux
asks ``ldconfig`` about system paths only, never the bundle's folder (PyInstaller patches this
on Windows alone). The system's own ``libportaudio2`` is preferred when it is installed (it
matches the system's ALSA/JACK); the bundled copy is the fallback, so the frozen app works on
a machine without it.
"""

import ctypes.util
import glob
import os
import sys


def _install() -> None:
    if not sys.platform.startswith("linux"):
        return
    here = getattr(sys, "_MEIPASS", None)
    if not here:
        return
    original = ctypes.util.find_library

    def find_library(name):
        found = original(name)
        if found is not None:
            return found
        for pattern in (f"lib{name}.so.*", f"lib{name}.so"):
            matches = sorted(glob.glob(os.path.join(here, pattern)))
            if matches:
                return matches[0]
        return None

    ctypes.util.find_library = find_library


_install()
