"""What in a project refers to a media file: an asset, a take, an element's reference image or
looks, a shot's conditioning or concept art. A file may go only when nothing anywhere does."""

from domain.project.shot import Shot
from domain.project.state import ProjectState


def shot_label(state: ProjectState, shot: Shot) -> str:
    scene = state.scenes.get(shot.scene_id)
    where = f" ({scene.name!r}, shot {shot.index + 1})" if scene else ""
    return f"shot {shot.id[:8]}{where}"


def conditioned_shots(state: ProjectState, path: str, asset_id: str = "") -> list[Shot]:
    """The shots whose conditioning uses the file (named by its path, or by the asset's id)."""
    names = {path, asset_id} - {""}
    return [s for s in state.shots.values() if any(c.asset in names for c in s.conditioning)]


def references(state: ProjectState, path: str, but_asset: str = "") -> list[str]:
    """Everything in `state` that refers to the file at `path`, as a phrase each (the asset
    `but_asset`, the one being deleted, does not count)."""
    project = repr(state.settings.name)
    found = [
        f"asset {a.id[:8]} ({a.name!r}) of project {project}"
        for a in state.assets.values()
        if a.path == path and a.id != but_asset
    ]
    found += [
        f"the reference image of element {e.name!r} in project {project}"
        for e in state.elements.values()
        if e.image == path
    ]
    found += [
        f"a look of element {e.name!r} in project {project}"
        for e in state.elements.values()
        if any(path in (look.path, look.reference) for look in e.looks)
    ]
    for shot in state.shots.values():
        label = f"{shot_label(state, shot)} of project {project}"
        if any(t.path == path for t in shot.takes):
            found.append(f"a take of {label}")
        if any(c.asset in (path, but_asset) for c in shot.conditioning if c.asset):
            found.append(f"the conditioning of {label}")
        if shot.concept_art == path:
            found.append(f"the concept art of {label}")
    return found
