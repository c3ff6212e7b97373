"""A Shot: the generation spec of seed 000's ShotConfig and a clip on the timeline, in one."""

from typing import Any, Literal

from domain.errors import InvalidTrim, InvalidValue
from domain.project.lora import Lora, check_lora
from domain.project.rules import (
    MAX_CFG,
    MAX_STEPS,
    MIN_CFG,
    MIN_STEPS,
    check_choice,
    check_fps,
    check_num_frames,
    check_range,
    check_seed,
    check_size,
)
from domain.project.script_beat import ScriptBeat
from domain.project.track import TRACKS, TrackName
from domain.project.value import Value

Pipeline = Literal["auto", "ti2vid", "ic_lora", "keyframe"]
PIPELINES: tuple[str, ...] = ("auto", "ti2vid", "ic_lora", "keyframe")
ShotType = Literal["close_up", "medium", "wide", "establishing", "insert", "tracking"]
SHOT_TYPES: tuple[str, ...] = ("close_up", "medium", "wide", "establishing", "insert", "tracking")
CONDITIONING_TYPES: tuple[str, ...] = ("image", "video")
# StoryCanvas's inference configurations: each model has a quality and a speed preset (steps,
# cfg, two-stage); the numbers are the model's own (models/presets.py), the choice the shot's.
Preset = Literal["quality", "speed"]
PRESETS: tuple[str, ...] = ("quality", "speed")

DEFAULT_NUM_FRAMES = 121
DEFAULT_CFG_SCALE = 3.0
DEFAULT_STEPS = 40


class ConditioningItem(Value):
    asset: str
    frame_index: int = 0
    strength: float = 1.0
    type: Literal["image", "video"] = "image"


class Take(Value):
    """One generated result of a shot; the engine adds them, undo never removes them."""

    id: str
    job_id: str
    path: str
    sha256: str
    num_frames: int
    width: int
    height: int
    quality: dict[str, Any] | None = None
    element_versions: dict[str, int] = {}
    thumbnail: str | None = None  # a small JPEG of its middle frame, when one could be made
    seed: int | None = None
    group: str | None = None  # the variants group its job ran in (domain/job/variants.py)
    variant: int | None = None


class Shot(Value):
    id: str
    scene_id: str
    index: int
    track: TrackName = "V1"
    start_frame: int = 0
    trim_in: int = 0
    trim_out: int = 0
    prompt: str = ""
    negative_prompt: str = ""
    seed: int = 42
    width: int = 768
    height: int = 512
    num_frames: int = DEFAULT_NUM_FRAMES
    fps: int = 25
    cfg_scale: float = DEFAULT_CFG_SCALE
    num_inference_steps: int = DEFAULT_STEPS
    enhance_prompt: bool = True
    upscale: bool = False
    # None: the shot's own steps, cfg and upscale; a preset replaces all three in the request.
    preset: Preset | None = None
    pipeline_override: Pipeline = "auto"
    auto_continue: bool = False
    conditioning: tuple[ConditioningItem, ...] = ()
    # The shot's own LoRAs; the elements it uses add theirs in the request.
    loras: tuple[Lora, ...] = ()
    action: str = ""
    dialogue: str = ""
    character: str = ""
    shot_type: ShotType = "medium"
    takes: tuple[Take, ...] = ()
    active_take: str | None = None
    # True once the user chose the active take; until then the newest take becomes active.
    take_pinned: bool = False
    # A still for the storyboard, set by a concept job; like takes, undo never removes it.
    concept_art: str | None = None
    # Set by a script import: which beat the shot is and what the import gave it.
    beat: ScriptBeat | None = None

    @property
    def visible_length(self) -> int:
        return self.num_frames - self.trim_in - self.trim_out


# The keys `shot set` may change; placement has its own commands (trim, move, split).
SPEC_FIELDS: tuple[str, ...] = (
    "prompt",
    "negative_prompt",
    "seed",
    "width",
    "height",
    "num_frames",
    "fps",
    "preset",
    "cfg_scale",
    "num_inference_steps",
    "enhance_prompt",
    "upscale",
    "pipeline_override",
    "auto_continue",
    "conditioning",
    "action",
    "dialogue",
    "character",
    "shot_type",
    "active_take",
)
SHORT_FORMS = {
    "frames": "num_frames",
    "cfg": "cfg_scale",
    "steps": "num_inference_steps",
    "pipeline": "pipeline_override",
}


def check_trims(trim_in: int, trim_out: int, num_frames: int) -> None:
    if trim_in < 0 or trim_out < 0:
        raise InvalidTrim(f"trims cannot be negative: in={trim_in}, out={trim_out}")
    if trim_in + trim_out >= num_frames:
        raise InvalidTrim(
            f"trim in + out must leave at least one frame of the shot's {num_frames}: "
            f"in={trim_in} + out={trim_out} = {trim_in + trim_out}"
        )


def check_shot(shot: Shot) -> None:
    """Every rule a shot's spec must satisfy, in the order a user would fix them."""
    check_choice("track", shot.track, TRACKS)
    if shot.start_frame < 0:
        raise InvalidValue(f"start frame cannot be negative: got {shot.start_frame}")
    check_num_frames(shot.num_frames)
    check_size("width", shot.width)
    check_size("height", shot.height)
    check_fps(shot.fps)
    check_seed(shot.seed)
    check_range("cfg_scale", shot.cfg_scale, MIN_CFG, MAX_CFG)
    check_range("num_inference_steps", shot.num_inference_steps, MIN_STEPS, MAX_STEPS)
    check_choice("pipeline_override", shot.pipeline_override, PIPELINES)
    check_choice("shot_type", shot.shot_type, SHOT_TYPES)
    if shot.preset is not None:
        check_choice("preset", shot.preset, PRESETS)
    for lora in shot.loras:
        check_lora(lora)
    check_trims(shot.trim_in, shot.trim_out, shot.num_frames)
    for item in shot.conditioning:
        check_conditioning(item, shot.num_frames)
    if shot.active_take is not None and shot.active_take not in {t.id for t in shot.takes}:
        raise InvalidValue(f"shot has no take {shot.active_take!r}")


def check_conditioning(item: ConditioningItem, num_frames: int) -> None:
    if not item.asset.strip():
        raise InvalidValue("a conditioning item needs an asset")
    check_choice("conditioning type", item.type, CONDITIONING_TYPES)
    check_range("conditioning strength", item.strength, 0.0, 1.0)
    if not 0 <= item.frame_index < num_frames:
        raise InvalidValue(
            f"conditioning frame_index must be within the shot's {num_frames} frames: "
            f"got {item.frame_index}"
        )
