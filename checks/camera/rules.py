"""What each camera measure is held to and what to say about it: one ``Rule`` per measure with
its limits (from the profile), its finding code, the finding's message and fix, and the short
hint the live preview shows. The judge, the live analyser and the check all read this one table,
so the live hint and the report always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from techcheck.checks.camera.limits import CameraLimits
from techcheck.checks.i18n import N_
from techcheck.checks.model import Status

INF = float("inf")
#: Wrong exposure also lowers contrast, shifts colours and adds grain: one fix covers them.
_DARK = ("camera.too_dark", "camera.backlit", "camera.too_bright")


#: The statuses past the first and the second limit (docs/verdicts.md): advice, then something
#: the other side of the call notices; only a picture that shows nothing fails.
TIP_WARN = (Status.TIP, Status.WARN)
WARN_ONLY = (Status.WARN, Status.WARN)
TIP_ONLY = (Status.TIP, Status.TIP)
FAIL_ONLY = (Status.FAIL, Status.FAIL)


@dataclass(frozen=True)
class Side:
    """One way a measure can go wrong (too low or too high), with two limits: past ``first``
    the finding has ``levels[0]``, past ``second`` (further out) ``levels[1]``."""

    code: str
    first: float
    second: float
    message: str  # N_ template: {value}, {threshold}
    fix: str  # N_ template
    hint: str  # N_ short text for the live preview
    levels: tuple[Status, Status] = TIP_WARN

    def status(self, level: Status) -> Status:
        """The finding's status for a crossed limit (``level``: WARN = first, FAIL = second)."""
        if level is Status.PASS:
            return Status.PASS
        return self.levels[0] if level is Status.WARN else self.levels[1]


@dataclass(frozen=True)
class Rule:
    name: str  # metric name in the report and in LiveAnalysis.metrics
    unit: str
    low: Side | None = None  # judged when the value is below the limits
    high: Side | None = None  # judged when the value is above the limits
    margin: float = 0.0  # hysteresis: how far past a limit a value must go to change state
    aggregate: str = "median"  # or "mean" (shares of black or frozen frames)
    needs_face: bool = True
    sticky: bool = False  # the check reports the worst state seen, not the last (stalls)
    ok_hint: str = ""  # N_ short text when it passes
    explained_by: tuple[str, ...] = ()  # codes whose fix also fixes this: report only those
    absent_ok: bool = False  # not measured while a face is seen means fine (no light behind)


def build_rules(lim: CameraLimits) -> list[Rule]:
    a_lo, a_hi = lim.color_a_range
    b_lo, b_hi = lim.color_b_range
    m = lim.color_margin_warn
    h_tip, h_warn = lim.face_height_range_tip, lim.face_height_range_warn
    return [
        Rule("faces", "", margin=0.0, needs_face=False, ok_hint=N_("Face found"),
             low=Side("camera.no_face", 1, 1,
                      N_("No face was found in the picture."),
                      N_("Sit in front of the camera with your whole face in the picture and "
                         "the light on, and take off anything that covers your face."),
                      N_("No face found"), WARN_ONLY),
             high=Side("camera.multiple_faces", 1, INF,
                       N_("{value:.0f} faces are in the picture; the interviewer should see only "
                          "you."),
                       N_("Find a room where you are alone, or turn the camera so that only you "
                          "are in the picture (photos and posters with faces count too)."),
                       N_("More than one face"), WARN_ONLY)),
        Rule("face_light", "", margin=4.0, ok_hint=N_("Light is good"),
             explained_by=("camera.backlit",),
             low=Side("camera.too_dark", lim.face_light_tip, lim.face_light_warn,
                      N_("There is too little light on you: the light level measures "
                         "{value:.0f} of 255 (want at least {threshold:.0f})."),
                      N_("Put a lamp in front of you, behind the screen, pointing at your face, "
                         "or sit facing a window. Ceiling lights alone are rarely enough."),
                      N_("Too dark: add a lamp in front of you"))),
        Rule("face_clipped", "", margin=0.003, ok_hint=N_("No blown-out highlights"),
             high=Side("camera.too_bright", lim.clipped_tip, lim.clipped_warn,
                       N_("{value:.1%} of your face is blown out to white (limit "
                          "{threshold:.1%})."),
                       N_("Move the lamp further away or turn it down, or put a sheet of paper "
                          "in front of it to soften it; avoid direct sunlight on your face."),
                       N_("Too bright: soften the light"))),
        Rule("backlight", "", margin=0.03, ok_hint=N_("No bright light behind you"),
             absent_ok=True,
             low=Side("camera.backlit", lim.backlight_tip, lim.backlight_warn,
                      N_("The background is much brighter than your face (face ÷ background = "
                         "{value:.2f}, want at least {threshold:.2f}): there is probably a "
                         "window or a lamp behind you."),
                      N_("Turn so that the window is in front of you or beside you, draw the "
                         "curtains behind you, or add a lamp in front of you."),
                      N_("Bright light behind you"))),
        Rule("light_balance", "", margin=0.03, ok_hint=N_("Even light"),
             low=Side("camera.uneven_light", lim.light_balance_tip, lim.light_balance_warn,
                      N_("One side of your face is in shadow (dark side ÷ bright side = "
                         "{value:.2f}, want at least {threshold:.2f})."),
                      N_("Move the lamp so that it is in front of you rather than to one side, "
                         "or add a second light or a white surface on the dark side."),
                      N_("One side of your face is in shadow"))),
        Rule("face_contrast", "", margin=0.5, ok_hint=N_("Good contrast"),
             explained_by=_DARK,
             low=Side("camera.low_contrast", lim.contrast_tip, lim.contrast_warn,
                      N_("The picture is flat and washed out (contrast {value:.1f}, want at "
                         "least {threshold:.1f})."),
                      N_("Wipe the camera lens with a soft cloth, and make sure no bright light "
                         "shines straight into the lens."),
                      N_("Washed out: clean the lens"))),
        Rule("color_a", "", margin=1.0, ok_hint=N_("Natural colours"), explained_by=_DARK,
             low=Side("camera.color_cast", a_lo, a_lo - m,
                      N_("The picture has a green cast (skin a* = {value:.1f}, want at least "
                         "{threshold:.1f})."),
                      N_("Fluorescent or green-tinted light: switch to an ordinary warm-white "
                         "lamp, and set the camera's white balance to automatic."),
                      N_("Colours look green")),
             high=Side("camera.color_cast", a_hi, a_hi + m,
                       N_("The picture has a red cast (skin a* = {value:.1f}, want at most "
                          "{threshold:.1f})."),
                       N_("Red or pink light (a coloured lampshade, LED strip or wall): use a "
                          "white lamp, and set the camera's white balance to automatic."),
                       N_("Colours look red"))),
        Rule("color_b", "", margin=1.0, ok_hint=N_("Natural colours"), explained_by=_DARK,
             low=Side("camera.color_cast", b_lo, b_lo - m,
                      N_("The picture has a blue cast (skin b* = {value:.1f}, want at least "
                         "{threshold:.1f})."),
                      N_("Cold light (a window on a grey day, a screen or a cool LED) is "
                         "lighting you: add a warm-white lamp in front of you and set the "
                         "camera's white balance to automatic."),
                      N_("Colours look blue")),
             high=Side("camera.color_cast", b_hi, b_hi + m,
                       N_("The picture has a yellow-orange cast (skin b* = {value:.1f}, want at "
                          "most {threshold:.1f})."),
                       N_("Warm bulbs are lighting you: use a daylight-white lamp (about 5000 "
                          "K) and set the camera's white balance to automatic."),
                       N_("Colours look yellow"))),
        Rule("sharpness", "", margin=0.5, ok_hint=N_("Sharp"),
             low=Side("camera.blurry", lim.sharpness_tip, lim.sharpness_warn,
                      N_("The picture of your face is blurry (sharpness {value:.0f}, want at "
                         "least {threshold:.0f})."),
                      N_("Wipe the lens with a soft cloth, remove any protective film, and sit "
                         "at least an arm's length from the camera so it can focus."),
                      N_("Blurry: clean the lens"))),
        Rule("noise", "", margin=0.3, ok_hint=N_("Clean picture"), explained_by=_DARK,
             high=Side("camera.noisy", lim.noise_tip, lim.noise_warn,
                       N_("The picture is grainy (noise {value:.1f}, limit {threshold:.1f}): the "
                          "camera is short of light."),
                       N_("Add light: a lamp in front of you lets the camera turn its gain down "
                          "and the grain disappears."),
                       N_("Grainy: add light"))),
        Rule("face_size", "", margin=0.01, ok_hint=N_("Good distance"),
             low=Side("camera.too_far", h_tip[0], h_warn[0],
                      N_("You are far from the camera: your face fills {value:.0%} of the "
                         "picture's height (want at least {threshold:.0%})."),
                      N_("Move closer to the camera, about an arm's length away, so that your "
                         "head and shoulders fill the picture."),
                      N_("Move closer")),
             high=Side("camera.too_close", h_tip[1], h_warn[1],
                       N_("You are very close to the camera: your face fills {value:.0%} of the "
                          "picture's height (want at most {threshold:.0%})."),
                       N_("Sit back until your shoulders are in the picture, about an arm's "
                          "length from the camera."),
                       N_("Sit further back"))),
        Rule("eye_line", "", margin=0.01, ok_hint=N_("Eyes at the right height"),
             explained_by=("camera.too_close",),
             high=Side("camera.eyes_too_low", lim.eye_line_tip, lim.eye_line_warn,
                       N_("Your eyes are low in the picture ({value:.0%} from the top, want at "
                          "most {threshold:.0%}): the camera looks up at you and shows a lot "
                          "of ceiling."),
                       N_("Raise the laptop on a stack of books so that the camera is at eye "
                          "level, or tilt the camera down a little."),
                       N_("Raise the camera to eye level"))),
        Rule("headroom", "", margin=0.01, ok_hint=N_("Head fully in the picture"),
             explained_by=("camera.too_close",),
             low=Side("camera.too_little_headroom", lim.headroom_tip, lim.headroom_warn,
                      N_("The top of your head is cut off (space above it: {value:.0%} of the "
                         "picture, want at least {threshold:.0%})."),
                      N_("Tilt the camera up a little or lower your seat, so that there is a "
                         "little space above your head."),
                      N_("Head cut off: tilt the camera up"))),
        Rule("offset", "", margin=0.01, ok_hint=N_("Centred"),
             high=Side("camera.off_center", lim.offset_tip, lim.offset_warn,
                       N_("You are off to the side: your face is {value:.0%} of the picture's "
                          "width from the centre (limit {threshold:.0%})."),
                       N_("Move your chair or turn the camera until your face is between the "
                          "two middle guide lines."),
                       N_("Move to the centre"))),
        Rule("roll", "°", margin=1.0, ok_hint=N_("Level"),
             high=Side("camera.tilted", lim.roll_tip_deg, lim.roll_warn_deg,
                       N_("The picture is tilted by {value:.0f}° (limit {threshold:.0f}°)."),
                       N_("Sit upright with your head straight, and check that the laptop or "
                          "camera stands level."),
                       N_("Straighten your head or the camera"))),
        Rule("yaw", "°", margin=2.0, ok_hint=N_("Facing the camera"),
             high=Side("camera.looking_away", lim.yaw_tip_deg, lim.yaw_warn_deg,
                       N_("You are turned {value:.0f}° away from the camera (limit "
                          "{threshold:.0f}°): the screen is probably beside the camera."),
                       N_("Put the camera straight in front of you, on top of the screen you "
                          "will look at during the interview."),
                       N_("Face the camera"))),
        Rule("clutter", "", margin=0.01, needs_face=False, ok_hint=N_("Calm background"),
             high=Side("camera.busy_background", lim.clutter_tip, INF,
                       N_("The background behind you is busy (edge density {value:.0%}, limit "
                          "{threshold:.0%})."),
                       N_("Sit in front of a plain wall, or tidy what is behind you; most video "
                          "apps can also blur the background."),
                       N_("Busy background"), TIP_ONLY)),
        Rule("background_motion", "", margin=0.5, needs_face=False,
             ok_hint=N_("Nothing moves behind you"),
             high=Side("camera.busy_background", lim.motion_tip, INF,
                       N_("Something moves behind you (change {value:.1f} levels per frame, "
                          "limit {threshold:.1f})."),
                       N_("Find a place where no one walks behind you, and close the door."),
                       N_("Movement behind you"), TIP_ONLY)),
        Rule("black_frames", "", aggregate="mean", needs_face=False, sticky=True,
             ok_hint=N_("Picture is live"),
             high=Side("camera.black_frames", lim.black_fraction_fail, lim.black_fraction_fail,
                       N_("{value:.0%} of the frames are black (limit {threshold:.0%}): the lens "
                          "is covered or the camera delivers no picture."),
                       N_("Open the camera's privacy shutter or remove the cover or tape from "
                          "the lens; some laptops have a camera switch or a key (F8 or F10 "
                          "with a camera symbol)."),
                       N_("Black picture: uncover the lens"), FAIL_ONLY)),
        Rule("frozen_frames", "", aggregate="mean", needs_face=False, sticky=True,
             ok_hint=N_("Picture is live"),
             high=Side("camera.frozen", lim.frozen_fraction_fail, lim.frozen_fraction_fail,
                       N_("The picture freezes: {value:.0%} of the frames repeat the one before "
                          "(limit {threshold:.0%})."),
                       N_("Unplug the camera and plug it in again (try another USB port), close "
                          "other apps that use the camera, and restart the computer if it "
                          "stays frozen."),
                       N_("Picture is frozen"), FAIL_ONLY)),
    ]


def stream_rules(lim: CameraLimits) -> list[Rule]:
    """The stream's resolution and frame rate: judged once over the whole run (and live over
    what has been seen), not as windowed medians."""
    return [
        Rule("resolution_lines", "px", needs_face=False, ok_hint=N_("Sharp enough (HD)"),
             low=Side("camera.low_resolution", lim.resolution_tip_px, lim.resolution_warn_px,
                      N_("The camera delivers {width}×{height}; a sharp picture needs at least "
                         "{threshold}p."),
                      N_("Choose the camera's HD mode in your video app's settings, close other "
                         "apps that use the camera, or use a better webcam (720p or 1080p)."),
                      N_("Low resolution"))),
        Rule("fps", "fps", needs_face=False, ok_hint=N_("Smooth"),
             low=Side("camera.low_fps", lim.fps_tip, lim.fps_warn,
                      N_("The camera delivers {value:.0f} frames per second (want at least "
                         "{threshold:.0f}); movement will look jerky."),
                      N_("Add light (in dim light cameras slow down to expose longer), close "
                         "other programs, and plug an external camera straight into the "
                         "computer."),
                      N_("Jerky video"))),
    ]


#: Rules the live preview shows as a checklist, in this order (the stream's health comes first).
LIVE_ORDER = ("black_frames", "frozen_frames", "faces", "face_light", "backlight",
              "light_balance", "face_clipped", "color_a", "color_b", "sharpness", "noise",
              "face_contrast", "face_size", "eye_line", "headroom", "offset", "roll", "yaw",
              "clutter", "background_motion")
