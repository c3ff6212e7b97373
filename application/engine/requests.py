"""From a shot to the fully resolved request a job records (GenerationRequested)."""

from typing import Any

from application.engine.continuation import continued
from application.engine.enhancement import enhanced_fields
from application.engine.lora_stack import resolved_loras
from application.engine.ports import BackendCatalog, MediaStore, MediaTools, PromptEnhancer
from application.engine.prompts import compose
from application.engine.segments import plan
from domain.project.shot import Shot
from domain.project.state import ProjectState


def resolve_pipeline(shot: Shot) -> str:
    """As Milimo Video chooses: video conditioning → ic_lora; images at the first and last
    frames → keyframe; otherwise text/image to video."""
    if shot.pipeline_override != "auto":
        return shot.pipeline_override
    if any(c.type == "video" for c in shot.conditioning):
        return "ic_lora"
    frames = {c.frame_index for c in shot.conditioning if c.type == "image"}
    if 0 in frames and shot.num_frames - 1 in frames:
        return "keyframe"
    return "ti2vid"


def storyboard(state: ProjectState, shot: Shot) -> dict[str, Any]:
    """What the animatic card shows of a shot; a model ignores it."""
    scene = state.scenes.get(shot.scene_id)
    return {
        "scene": scene.name if scene else "",
        "scene_index": scene.index if scene else 0,
        "shot_index": shot.index,
        "heading": scene.heading if scene else "",
        "action": shot.action,
        "dialogue": shot.dialogue,
        "character": shot.character,
        "shot_type": shot.shot_type,
    }


def apply_preset(request: dict[str, Any], shot: Shot, catalog: BackendCatalog) -> None:
    """A chosen preset replaces the shot's own steps, cfg and upscale (two-stage) in the
    request, all three, whatever the shot holds; `preset` records which one. A backend without
    that preset runs the shot's own values and records no preset."""
    if shot.preset is None:
        return
    values = catalog.preset(request["backend"], shot.preset)
    if values is None:
        return
    request.update(
        num_inference_steps=int(values["num_inference_steps"]),
        cfg_scale=float(values["cfg_scale"]),
        upscale=bool(values["two_stage"]),
        preset=shot.preset,
    )


def video_request(
    state: ProjectState,
    shot: Shot,
    catalog: BackendCatalog,
    media: MediaStore,
    enhancer: PromptEnhancer | None = None,
    tools: MediaTools | None = None,
    batch: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`batch`: the jobs already requested in this command, by shot id (auto_continue)."""
    prompt, negative, elements = compose(shot, state)
    pipeline = resolve_pipeline(shot)
    backend, model = catalog.choose("video", pipeline)
    request: dict[str, Any] = {
        "kind": "video",
        "shot_id": shot.id,
        **enhanced_fields(prompt, shot, state, enhancer),
        "original_prompt": shot.prompt or shot.action,
        "negative_prompt": negative,
        "seed": shot.seed,
        "width": shot.width,
        "height": shot.height,
        "num_frames": shot.num_frames,
        "fps": shot.fps,
        "cfg_scale": shot.cfg_scale,
        "num_inference_steps": shot.num_inference_steps,
        "enhance_prompt": shot.enhance_prompt,
        "upscale": shot.upscale,
        "pipeline": pipeline,
        "conditioning": [
            {**c.model_dump(), "sha256": media.sha256(c.asset)} for c in shot.conditioning
        ],
        "backend": backend,
        "model": model,
        "element_versions": elements,
        "storyboard": storyboard(state, shot),
    }
    apply_preset(request, shot, catalog)
    loras = resolved_loras(state, shot, elements, media)
    if loras:
        request["loras"] = loras
    # Longer than one call of the backend makes: a chain of segments (application/engine/chain.py).
    segments = plan(shot.num_frames, catalog.max_frames(backend))
    if len(segments) > 1:
        request["segments"] = [s.as_dict() for s in segments]
    return continued(request, state, shot, media, tools, batch or {})
