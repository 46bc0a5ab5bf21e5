"""What each camera measure is held to and what to say about it: one declaration per measure
(``techcheck.checks.measure.Measure``) with the profile keys of its limits, its finding code,
the finding's message and fix, and the short hint the live preview shows. The judge, the live
analyser and the check all read this one table, so the live hint and the report always agree.
"""

from __future__ import annotations

from techcheck.checks.camera.limits import CameraLimits
from techcheck.checks.i18n import N_
from techcheck.checks.measure import (
    FAIL_ONLY,
    INF,
    PERCENT,
    SIZE,
    TIP_ONLY,
    TIP_WARN,
    WARN_ONLY,
    Measure,
    Side,
    table,
)

#: A camera measure bound to one run's limits (``Measure.bind``): what the judge grades by.
Rule = Measure
#: Wrong exposure also lowers contrast, shifts colours and adds grain: one fix covers them.
_DARK = ("camera.too_dark", "camera.backlit", "camera.too_bright")

__all__ = ["FAIL_ONLY", "INF", "LIVE_ORDER", "MEASURES", "TIP_ONLY", "TIP_WARN", "WARN_ONLY",
           "Rule", "Side", "build_rules", "stream_rules"]


def _a_low_warn(lim: CameraLimits) -> float:
    return lim.color_a_range[0] - lim.color_margin_warn


def _a_high_warn(lim: CameraLimits) -> float:
    return lim.color_a_range[1] + lim.color_margin_warn


def _b_low_warn(lim: CameraLimits) -> float:
    return lim.color_b_range[0] - lim.color_margin_warn


def _b_high_warn(lim: CameraLimits) -> float:
    return lim.color_b_range[1] + lim.color_margin_warn


#: Angles are written in whole degrees, as the findings say them ("tilted by 12°"): the
#: picture's roll reads within 2° of the truth on real rooms (docs/benchmarks.md, the rolled
#: cameras), so "0.42°" would claim a precision the measure does not have.
ANGLE_DECIMALS = 0

#: Shares of the picture, of the face or of the frames (``PERCENT``) are written in whole
#: percent, as the findings say them ("fills 84 % of the picture's height"); the blown-out
#: share of the face to a tenth, as its finding says it: its limits are 1 % and 5 %
#: (resources/profiles/generic.toml), and a limit moved by the live margin (0.3 %) is not
#: a whole percent.
PERCENT_DECIMALS = 0
CLIPPED_DECIMALS = 1

#: The per-frame measures, judged over a window (checks/camera/judge.py).
FRAME: tuple[Measure, ...] = (
    Measure("faces", "", label=N_("Faces in view"), decimals=0,  # a count (median of counts)
            margin=0.0, needs_face=False, ok_hint=N_("Face found"),
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
    Measure("face_light", "", label=N_("Light on the face"),
            margin=4.0, ok_hint=N_("Light is good"),
            explained_by=("camera.backlit",),
            low=Side("camera.too_dark", "face_light_tip", "face_light_warn",
                     N_("There is too little light on you: the light level measures "
                        "{value:.0f} of 255 (want at least {threshold:.0f})."),
                     N_("Put a lamp in front of you, behind the screen, pointing at your face, "
                        "or sit facing a window. Ceiling lights alone are rarely enough."),
                     N_("Too dark: add a lamp in front of you"), TIP_WARN)),
    Measure("face_clipped", "", label=N_("Blown-out face area"),
            shown_as=PERCENT, decimals=CLIPPED_DECIMALS,
            margin=0.003, ok_hint=N_("No blown-out highlights"),
            high=Side("camera.too_bright", "clipped_tip", "clipped_warn",
                      N_("{value:.1%} of your face is blown out to white (limit "
                         "{threshold:.1%})."),
                      N_("Move the lamp further away or turn it down, or put a sheet of paper "
                         "in front of it to soften it; avoid direct sunlight on your face."),
                      N_("Too bright: soften the light"), TIP_WARN)),
    Measure("backlight", "", label=N_("Face against background"),
            margin=0.03, ok_hint=N_("No bright light behind you"),
            absent_ok=True,
            low=Side("camera.backlit", "backlight_tip", "backlight_warn",
                     N_("The background is much brighter than your face (face ÷ background = "
                        "{value:.2f}, want at least {threshold:.2f}): there is probably a "
                        "window or a lamp behind you."),
                     N_("Turn so that the window is in front of you or beside you, draw the "
                        "curtains behind you, or add a lamp in front of you."),
                     N_("Bright light behind you"), TIP_WARN)),
    Measure("light_balance", "", label=N_("Light balance across the face"),
            margin=0.03, ok_hint=N_("Even light"),
            low=Side("camera.uneven_light", "light_balance_tip", "light_balance_warn",
                     N_("One side of your face is in shadow (dark side ÷ bright side = "
                        "{value:.2f}, want at least {threshold:.2f})."),
                     N_("Move the lamp so that it is in front of you rather than to one side, "
                        "or add a second light or a white surface on the dark side."),
                     N_("One side of your face is in shadow"), TIP_WARN)),
    Measure("face_contrast", "", label=N_("Face contrast"),
            margin=0.5, ok_hint=N_("Good contrast"),
            explained_by=_DARK,
            low=Side("camera.low_contrast", "contrast_tip", "contrast_warn",
                     N_("The picture is flat and washed out (contrast {value:.1f}, want at "
                        "least {threshold:.1f})."),
                     N_("Wipe the camera lens with a soft cloth, and make sure no bright light "
                        "shines straight into the lens."),
                     N_("Washed out: clean the lens"), TIP_WARN)),
    Measure("color_a", "", label=N_("Colour tint (green–red)"),
            margin=1.0, ok_hint=N_("Natural colours"), explained_by=_DARK,
            low=Side("camera.color_cast", "color_a_range[0]", _a_low_warn,
                     N_("The picture has a green cast (skin a* = {value:.1f}, want at least "
                        "{threshold:.1f})."),
                     N_("Fluorescent or green-tinted light: switch to an ordinary warm-white "
                        "lamp, and set the camera's white balance to automatic."),
                     N_("Colours look green"), TIP_WARN),
            high=Side("camera.color_cast", "color_a_range[1]", _a_high_warn,
                      N_("The picture has a red cast (skin a* = {value:.1f}, want at most "
                         "{threshold:.1f})."),
                      N_("Red or pink light (a coloured lampshade, LED strip or wall): use a "
                         "white lamp, and set the camera's white balance to automatic."),
                      N_("Colours look red"), TIP_WARN)),
    Measure("color_b", "", label=N_("Colour tint (blue–yellow)"),
            margin=1.0, ok_hint=N_("Natural colours"), explained_by=_DARK,
            low=Side("camera.color_cast", "color_b_range[0]", _b_low_warn,
                     N_("The picture has a blue cast (skin b* = {value:.1f}, want at least "
                        "{threshold:.1f})."),
                     N_("Cold light (a window on a grey day, a screen or a cool LED) is "
                        "lighting you: add a warm-white lamp in front of you and set the "
                        "camera's white balance to automatic."),
                     N_("Colours look blue"), TIP_WARN),
            high=Side("camera.color_cast", "color_b_range[1]", _b_high_warn,
                      N_("The picture has a yellow-orange cast (skin b* = {value:.1f}, want at "
                         "most {threshold:.1f})."),
                      N_("Warm bulbs are lighting you: use a daylight-white lamp (about 5000 "
                         "K) and set the camera's white balance to automatic."),
                      N_("Colours look yellow"), TIP_WARN)),
    Measure("sharpness", "", label=N_("Sharpness"),
            margin=0.5, ok_hint=N_("Sharp"),
            low=Side("camera.blurry", "sharpness_tip", "sharpness_warn",
                     N_("The picture of your face is blurry (sharpness {value:.0f}, want at "
                        "least {threshold:.0f})."),
                     N_("Wipe the lens with a soft cloth, remove any protective film, and sit "
                        "at least an arm's length from the camera so it can focus."),
                     N_("Blurry: clean the lens"), TIP_WARN)),
    Measure("noise", "", label=N_("Picture noise"),
            margin=0.3, ok_hint=N_("Clean picture"), explained_by=_DARK,
            high=Side("camera.noisy", "noise_tip", "noise_warn",
                      N_("The picture is grainy (noise {value:.1f}, limit {threshold:.1f}): the "
                         "camera is short of light."),
                      N_("Add light: a lamp in front of you lets the camera turn its gain down "
                         "and the grain disappears."),
                      N_("Grainy: add light"), TIP_WARN)),
    # How close the person sits, read as what the other side sees: the head's height (chin to
    # the estimated crown, a high hair style not counted: Face.head_height) over the picture's
    # height. Past head_height_max_warn (80 %) the head fills almost the whole picture, which
    # the interviewer notices (issue 25); below it the framing is a close but ordinary one, so
    # there is no tip before the warning.
    Measure("head_size", "", label=N_("Head height in picture"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            margin=0.01, ok_hint=N_("Good distance"),
            low=Side("camera.too_far", "head_height_min_tip", "head_height_min_warn",
                     N_("You are far from the camera: your head fills {value:.0%} of the "
                        "picture's height (want at least {threshold:.0%})."),
                     N_("Move closer to the camera, about an arm's length away, so that your "
                        "head and shoulders fill the picture."),
                     N_("Move closer"), TIP_WARN),
            high=Side("camera.too_close", "head_height_max_warn", None,
                      N_("Your head fills almost the whole picture: {value:.0%} of its height "
                         "from the chin to the top of the head (want at most {threshold:.0%}). "
                         "You are very close to the camera."),
                      N_("Sit back a little, until your shoulders are in the picture: about an "
                         "arm's length from the camera."),
                      N_("Head fills the picture: sit back a little"), WARN_ONLY)),
    Measure("eye_line", "", label=N_("Eye line from the top"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            margin=0.01, ok_hint=N_("Eyes at the right height"),
            # A head bowed over a phone lowers the eyes too; its fix is to look up (issue 25).
            explained_by=("camera.too_close", "camera.looking_away"),
            high=Side("camera.eyes_too_low", "eye_line_tip", "eye_line_warn",
                      N_("Your eyes are low in the picture ({value:.0%} from the top, want at "
                         "most {threshold:.0%}): the camera looks up at you and shows a lot "
                         "of ceiling."),
                      N_("Raise the laptop on a stack of books so that the camera is at eye "
                         "level, or tilt the camera down a little."),
                      N_("Raise the camera to eye level"), TIP_WARN)),
    Measure("headroom", "", label=N_("Space above the head"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            margin=0.01, ok_hint=N_("Head fully in the picture"),
            explained_by=("camera.too_close",),
            low=Side("camera.too_little_headroom", "headroom_tip", "headroom_warn",
                     N_("The top of your head is cut off (space above it: {value:.0%} of the "
                        "picture, want at least {threshold:.0%})."),
                     N_("Tilt the camera up a little or lower your seat, so that there is a "
                        "little space above your head."),
                     N_("Head cut off: tilt the camera up"), TIP_WARN)),
    Measure("offset", "", label=N_("Off centre"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            margin=0.01, ok_hint=N_("Centred"),
            high=Side("camera.off_center", "offset_tip", "offset_warn",
                      N_("You are off to the side: your face is {value:.0%} of the picture's "
                         "width from the centre (limit {threshold:.0%})."),
                      N_("Move your chair or turn the camera until your face is between the "
                         "two middle guide lines."),
                      N_("Move to the centre"), TIP_WARN)),
    Measure("roll", "°", label=N_("Head tilt"),
            decimals=ANGLE_DECIMALS,
            margin=1.0, ok_hint=N_("Head level"),
            high=Side("camera.tilted", "roll_tip_deg", None,
                      N_("Your head is tilted by {value:.0f}° (advice from {threshold:.0f}°)."),
                      N_("Sit upright with your head straight; people tilt their heads while "
                         "they talk, so this is only advice."),
                      N_("Straighten your head"), TIP_ONLY)),
    # The picture's roll: the camera's, from the room's straight edges behind the person, or
    # where the room shows no level (a plain wall) the eyes' line against the frame, which then
    # stands for a camera and a head tilt alike. Past roll_warn_deg it is noticed. A head
    # tilted against a level room is advice at most (issue 25: a person laughing with the head
    # to one side on a level camera was warned).
    Measure("camera_roll", "°", label=N_("Picture tilt"),
            decimals=ANGLE_DECIMALS,
            margin=1.0, needs_face=False, ok_hint=N_("Level"),
            absent_ok=True,
            high=Side("camera.tilted", "roll_tip_deg", "roll_warn_deg",
                      N_("The picture is tilted by {value:.0f}° (limit {threshold:.0f}°)."),
                      N_("Sit upright with your head straight, and check that the laptop or "
                         "camera stands level."),
                      N_("Straighten your head or the camera"), TIP_WARN)),
    Measure("yaw", "°", label=N_("Head turned away"),
            decimals=ANGLE_DECIMALS,
            margin=2.0, ok_hint=N_("Facing the camera"),
            high=Side("camera.looking_away", "yaw_tip_deg", "yaw_warn_deg",
                      N_("You are turned {value:.0f}° away from the camera (limit "
                         "{threshold:.0f}°): the screen is probably beside the camera."),
                      N_("Put the camera straight in front of you, on top of the screen you "
                         "will look at during the interview."),
                      N_("Face the camera"), TIP_WARN)),
    # The head bowed: over a phone, notes or a screen below the camera (issue 25). Judged
    # like the turn to the side, as the window's median, so a glance down is not a finding;
    # only a bowed head counts (a raised one is a camera below the eyes, which the eye line
    # judges).
    Measure("pitch", "°", label=N_("Head bowed"), decimals=ANGLE_DECIMALS,
            margin=2.0, ok_hint=N_("Facing the camera"),
            high=Side("camera.looking_away", "pitch_tip_deg", "pitch_warn_deg",
                      N_("Your head is bowed {value:.0f}° (limit {threshold:.0f}°): you seem "
                         "to be looking down, at a phone, notes or a screen below the camera."),
                      N_("Look at the camera, not down: put your phone and notes away, and "
                         "place the camera at eye level on top of the screen you look at."),
                      N_("Look up at the camera"), TIP_WARN)),
    # The eyes turned aside with the head straight: at notes, a second screen or a phone beside
    # the camera (issue 25). The irises' shift between the eye corners read as the eyes' turn
    # (Face.eyes_turn_deg), plus the head's turn (Face.gaze_deg): judged like the head's turn,
    # as the window's median, so a glance aside is not a finding.
    Measure("gaze", "°", label=N_("Eyes turned aside"), decimals=ANGLE_DECIMALS,
            margin=2.0, ok_hint=N_("Looking at the camera"),
            high=Side("camera.looking_away", "gaze_tip_deg", "gaze_warn_deg",
                      N_("Your eyes look {value:.0f}° aside of the camera (limit "
                         "{threshold:.0f}°): you seem to be reading or watching something "
                         "beside it."),
                      N_("Look at the camera while you speak: put your notes away, and move "
                         "the window with the interviewer's picture just under the camera."),
                      N_("Look at the camera"), TIP_WARN)),
    Measure("clutter", "", label=N_("Busy background"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            margin=0.01, needs_face=False, ok_hint=N_("Calm background"),
            high=Side("camera.busy_background", "clutter_tip", None,
                      N_("The background behind you is busy (edge density {value:.0%}, limit "
                         "{threshold:.0%})."),
                      N_("Sit in front of a plain wall, or tidy what is behind you; most video "
                         "apps can also blur the background."),
                      N_("Busy background"), TIP_ONLY)),
    Measure("background_motion", "", label=N_("Movement behind you"),
            margin=0.5, needs_face=False,
            ok_hint=N_("Nothing moves behind you"),
            high=Side("camera.busy_background", "motion_tip", None,
                      N_("Something moves behind you (change {value:.1f} levels per frame, "
                         "limit {threshold:.1f})."),
                      N_("Find a place where no one walks behind you, and close the door."),
                      N_("Movement behind you"), TIP_ONLY)),
    Measure("black_frames", "", label=N_("Black frames"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            aggregate="mean", needs_face=False, sticky=True,
            ok_hint=N_("Picture is live"),
            high=Side("camera.black_frames", "black_fraction_fail", None,
                      N_("{value:.0%} of the frames are black (limit {threshold:.0%}): the lens "
                         "is covered or the camera delivers no picture."),
                      N_("Open the camera's privacy shutter or remove the cover or tape from "
                         "the lens; some laptops have a camera switch or a key (F8 or F10 "
                         "with a camera symbol)."),
                      N_("Black picture: uncover the lens"), FAIL_ONLY)),
    Measure("frozen_frames", "", label=N_("Frozen frames"),
            shown_as=PERCENT, decimals=PERCENT_DECIMALS,
            aggregate="mean", needs_face=False, sticky=True,
            ok_hint=N_("Picture is live"),
            high=Side("camera.frozen", "frozen_fraction_fail", None,
                      N_("The picture freezes: {value:.0%} of the frames repeat the one before "
                         "(limit {threshold:.0%})."),
                      N_("Unplug the camera and plug it in again (try another USB port), close "
                         "other apps that use the camera, and restart the computer if it "
                         "stays frozen."),
                      N_("Picture is frozen"), FAIL_ONLY)),
)


#: The stream's resolution and frame rate: judged once over the whole run (and live over what
#: has been seen), not as windowed medians.
STREAM: tuple[Measure, ...] = (
    Measure("resolution_lines", "px", label=N_("Picture lines"),
            needs_face=False, ok_hint=N_("Sharp enough (HD)"),
            low=Side("camera.low_resolution", "resolution_tip_px", "resolution_warn_px",
                     N_("The camera delivers {width}×{height}; a sharp picture needs at least "
                        "{threshold}p."),
                     N_("Choose the camera's HD mode in your video app's settings, close other "
                        "apps that use the camera, or use a better webcam (720p or 1080p)."),
                     N_("Low resolution"), TIP_WARN)),
    Measure("fps", "fps", label=N_("Frame rate"),
            needs_face=False, ok_hint=N_("Smooth"),
            low=Side("camera.low_fps", "fps_tip", "fps_warn",
                     N_("The camera delivers {value:.0f} frames per second (want at least "
                        "{threshold:.0f}); movement will look jerky."),
                     N_("Add light (in dim light cameras slow down to expose longer), close "
                        "other programs, and plug an external camera straight into the "
                        "computer."),
                     N_("Jerky video"), TIP_WARN)),
)


#: Recorded, not graded.
OTHER: tuple[Measure, ...] = (
    Measure("frames", "", label=N_("Frames analysed")),
    Measure("resolution", "", label=N_("Resolution"), shown_as=SIZE),
)

MEASURES = {"camera": table((*FRAME, *STREAM, *OTHER))}


def build_rules(lim: CameraLimits) -> list[Rule]:
    """The per-frame measures with this run's limits."""
    return [m.bind(lim) for m in FRAME]


def stream_rules(lim: CameraLimits) -> list[Rule]:
    """The stream's measures with this run's limits."""
    return [m.bind(lim) for m in STREAM]


#: Rules the live preview shows as a checklist, in this order (the stream's health comes first).
LIVE_ORDER = ("black_frames", "frozen_frames", "faces", "face_light", "backlight",
              "light_balance", "face_clipped", "color_a", "color_b", "sharpness", "noise",
              "face_contrast", "head_size", "eye_line", "headroom", "offset", "camera_roll",
              "roll", "yaw", "pitch", "gaze",
              "clutter", "background_motion")
