"""Pairing an edited line of the script with the shot its earlier version became.

A beat's key comes from its text, so an edited line arrives with a new key. Such a beat is the
earlier beat edited when a beat of the same scene is gone from the script, has the same
character and a similar text (difflib's ratio at least SIMILAR), and the pair crosses no other
pair in the scene's order. The most similar pairs are made first.
"""

from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher

from domain.project.script_beat import ScriptBeat
from domain.script.keys import normalised
from domain.script.plan import PlannedShot

SIMILAR = 0.6


def pair_edited_beats(
    new: Mapping[int, PlannedShot],
    gone: Mapping[str, tuple[ScriptBeat, Sequence[int]]],
    anchors: Sequence[tuple[int, int]],
) -> dict[int, str]:
    """Plan index of a new beat → key of the gone beat it edits.

    `new`: the scene's beats with no shot, by their index in the plan's scene; `gone`: the
    scene's beats gone from the script, with the positions of their shots in the scene;
    `anchors`: (plan index, position) of each shot that kept its beat's key.
    """
    candidates = sorted(
        (-ratio, n, min(places), key)
        for n, beat in new.items()
        for key, (old, places) in gone.items()
        if places
        and normalised(old.character) == normalised(beat.character)
        and (ratio := _similarity(old, beat)) >= SIMILAR
    )
    pairs: dict[int, str] = {}
    taken = list(anchors)
    for _, n, _, key in candidates:
        places = gone[key][1]
        if n in pairs or key in pairs.values():
            continue
        if all((n < m) == (p < q) for m, q in taken for p in places):
            pairs[n] = key
            taken.extend((n, p) for p in places)
    return pairs


def _similarity(old: ScriptBeat, beat: PlannedShot) -> float:
    before = normalised(f"{old.action} {old.dialogue}")
    after = normalised(f"{beat.action} {beat.dialogue}")
    return SequenceMatcher(None, before, after, autojunk=False).ratio()
