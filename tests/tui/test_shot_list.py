"""The storyboard's rows: a scene's length is its main track's."""

from tui.labels import excerpt
from tui.widgets.shot_list import rows_of


def shot(shot_id: str, index: int, track: str, frames: int) -> dict[str, object]:
    return {
        "id": shot_id,
        "scene_id": "s1",
        "index": index,
        "track": track,
        "visible_frames": frames,
        "fps": 25,
    }


def test_a_scene_lasts_as_long_as_its_v1_shots() -> None:
    view = {
        "scenes": [{"id": "s1", "index": 0, "name": "Deck"}],
        "shots": [shot("a", 0, "V1", 50), shot("b", 1, "V2", 25), shot("c", 2, "A1", 100)],
    }
    scene, *shots = rows_of(view)
    assert (scene.kind, scene.shots, scene.seconds) == ("scene", 3, 2.0)
    assert [r.label for r in shots] == ["1.1", "1.2", "1.3"]


def test_an_excerpt_is_one_line_cut_with_an_ellipsis() -> None:
    assert excerpt("a  lighthouse\nkeeper", 40) == "a lighthouse keeper"
    assert excerpt("Mara climbs the stairs before the tide turns", 24) == "Mara climbs the stairs …"
    assert len(excerpt("x" * 100, 40)) == 40
