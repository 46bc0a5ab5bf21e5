"""The ``microphone`` and ``speaker`` checks, and the live audio API the GUI uses.

- ``techcheck.checks.audio.source.open_input``: a sound device or a WAV/FLAC file, blocks to a callback
  or a queue.
- ``techcheck.checks.audio.meter.LevelMeter``: RMS/peak dBFS per block.
- ``techcheck.checks.audio.playback``: ``play``, ``playrec`` (echo test) and ``record_and_play_back``.
- ``techcheck.checks.audio.analysis``: pure measurements over numpy arrays.

``sounddevice`` (PortAudio) is imported only when a device is used, so a missing PortAudio is a
finding, not an import error.
"""

from techcheck.checks.audio.microphone import MicrophoneCheck, MicrophoneLimits
from techcheck.checks.audio.speaker import SpeakerCheck, SpeakerLimits

__all__ = ["MicrophoneCheck", "MicrophoneLimits", "SpeakerCheck", "SpeakerLimits"]
