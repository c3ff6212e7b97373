"""Pairing what a re-imported script changed with what its earlier version became.

A beat's key comes from its text, so an edited line arrives with a new key. Such a beat is the
earlier beat edited when a beat of the same scene is gone from the script, has the same
character and a similar text (difflib's ratio at least SIMILAR), and the pair crosses no other
pair in the scene's order. The most similar pairs are made first.

A scene's key comes from its heading, so a scene whose heading the writer changed arrives with a
new key too. Such a scene is the earlier scene when that one is gone from the script and the two
are clearly the same: similar headings (ratio at least SAME_HEADING), or at least half of the new
scene's beats (SAME_BEATS) have a beat of the earlier scene with the same character and a nearly
equal text (ratio at least SAME_LINE); and the pair crosses no scene matched by its key nor
another pair. Pairs keeping half their lines unchanged are made first, then pairs with similar
headings, then pairs whose lines were edited; within each, the highest scores (heading ratio +
share of beats) first. The cheap signals first keep a re-import with every heading changed fast.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from difflib import SequenceMatcher

from domain.project.script_beat import ScriptBeat
from domain.script.headings import split_scene_number
from domain.script.keys import normalised
from domain.script.plan import PlannedScene, PlannedShot

SIMILAR = 0.6
SAME_HEADING = 0.6
SAME_BEATS = 0.5
SAME_LINE = 0.8


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
    places = {key: places for key, (_, places) in gone.items() if places}
    texts = {n: (normalised(b.character), _text(b)) for n, b in new.items()}
    old_texts = {key: (normalised(b.character), _text(b)) for key, (b, _) in gone.items()}
    # Unchanged lines (ratio 1.0) first, as the ratio's order wants; then, with those made, the
    # edited ones: so that no ratio is computed for a line already paired.
    unchanged = sorted(
        (n, min(places[key]), key)
        for n, text in texts.items()
        for key in places
        if old_texts[key] == text
    )
    pairs = _in_order(((n, key) for n, _, key in unchanged), places, anchors)
    edited = sorted(
        (-ratio, n, min(places[key]), key)
        for n, (character, text) in texts.items()
        if n not in pairs
        for key in places
        if key not in pairs.values()
        and old_texts[key][0] == character
        and (ratio := _ratio_at_least(old_texts[key][1], text, SIMILAR)) is not None
    )
    return _in_order(((n, key) for _, n, _, key in edited), places, anchors, pairs)


def pair_renamed_scenes(
    new: Mapping[int, PlannedScene],
    gone: Mapping[str, tuple[str, Sequence[ScriptBeat], int]],
    anchors: Sequence[tuple[int, int]],
) -> dict[int, str]:
    """Plan index of a new scene → id of the gone scene it is, its heading changed.

    `new`: the plan's scenes that matched no scene, by their index in the plan; `gone`: the
    earlier import's scenes that no planned scene matched, by id, with their heading, the beats
    their shots were imported from and their position among the project's scenes; `anchors`:
    (plan index, position) of each scene matched by its key or heading.
    """
    places = {scene_id: [place] for scene_id, (_, _, place) in gone.items()}
    headings = {n: _heading(p.heading) for n, p in new.items()}
    old_headings = {scene_id: _heading(h) for scene_id, (h, _, _) in gone.items()}
    verbatim = _verbatim_shares(new, gone)
    pairs: dict[int, str] = {}

    def score(n: int, scene_id: str, share: float) -> tuple[float, int, int, str]:
        ratio = _ratio(headings[n], old_headings[scene_id]) if headings[n] else 0.0
        return (-(ratio + share), n, places[scene_id][0], scene_id)

    def stage(qualified: Callable[[int, str], tuple[float, int, int, str] | None]) -> None:
        taken = [*anchors, *((n, places[key][0]) for n, key in pairs.items())]
        candidates = sorted(
            found
            for n in new
            if n not in pairs
            for scene_id, (_, _, place) in gone.items()
            if scene_id not in pairs.values()
            and all((n < m) == (place < q) for m, q in taken)
            and (found := qualified(n, scene_id)) is not None
        )
        pairs.update(_in_order(((n, key) for _, n, _, key in candidates), places, taken))

    def by_verbatim_lines(n: int, scene_id: str) -> tuple[float, int, int, str] | None:
        share = verbatim.get((n, scene_id), 0.0)
        return score(n, scene_id, share) if share >= SAME_BEATS else None

    def by_heading(n: int, scene_id: str) -> tuple[float, int, int, str] | None:
        if not _at_least(headings[n], old_headings[scene_id], SAME_HEADING):
            return None
        return score(n, scene_id, verbatim.get((n, scene_id), 0.0))

    def by_edited_lines(n: int, scene_id: str) -> tuple[float, int, int, str] | None:
        share = _shared_beats(new[n].shots, gone[scene_id][1])
        return score(n, scene_id, share) if share >= SAME_BEATS else None

    for qualified in (by_verbatim_lines, by_heading, by_edited_lines):
        stage(qualified)
    return pairs


def _in_order(
    candidates: Iterable[tuple[int, str]],
    places: Mapping[str, Sequence[int]],
    anchors: Sequence[tuple[int, int]],
    made: Mapping[int, str] | None = None,
) -> dict[int, str]:
    """`made` and the candidates, best first, that cross neither an anchor nor a pair made before
    them."""
    pairs = dict(made or {})
    taken = [*anchors, *((n, p) for n, key in pairs.items() for p in places[key])]
    for n, key in candidates:
        if n in pairs or key in pairs.values():
            continue
        if all((n < m) == (p < q) for m, q in taken for p in places[key]):
            pairs[n] = key
            taken.extend((n, p) for p in places[key])
    return pairs


def _heading(heading: str) -> str:
    return normalised(split_scene_number(heading)[0])


def _ratio(before: str, after: str) -> float:
    return SequenceMatcher(None, before, after, autojunk=False).ratio()


def _text(beat: ScriptBeat | PlannedShot) -> str:
    return normalised(f"{beat.action} {beat.dialogue}")


def _verbatim_shares(
    new: Mapping[int, PlannedScene], gone: Mapping[str, tuple[str, Sequence[ScriptBeat], int]]
) -> dict[tuple[int, str], float]:
    """(plan index, scene id) → the share of the new scene's beats found unchanged in the old."""
    holders: dict[tuple[str, str], set[str]] = {}
    for scene_id, (_, beats, _) in gone.items():
        for old in beats:
            holders.setdefault((normalised(old.character), _text(old)), set()).add(scene_id)
    shares: dict[tuple[int, str], float] = {}
    for n, planned in new.items():
        for beat in planned.shots:
            for scene_id in holders.get((normalised(beat.character), _text(beat)), ()):
                shares[n, scene_id] = shares.get((n, scene_id), 0.0) + 1 / len(planned.shots)
    return shares


def _ratio_at_least(before: str, after: str, least: float) -> float | None:
    """difflib's ratio of the two texts when it is at least `least` (checked cheaply first)."""
    if before == after:
        return 1.0
    if not before or not after:
        return None
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    if matcher.real_quick_ratio() < least or matcher.quick_ratio() < least:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= least else None


def _at_least(before: str, after: str, least: float) -> bool:
    return _ratio_at_least(before, after, least) is not None


def _shared_beats(planned: Sequence[PlannedShot], old: Sequence[ScriptBeat]) -> float:
    """The share of `planned` beats with a nearly equal beat (same character) among `old`."""
    if not planned or not old:
        return 0.0
    by_character: dict[str, list[str]] = {}
    for earlier in old:
        by_character.setdefault(normalised(earlier.character), []).append(_text(earlier))
    found, needed = 0, SAME_BEATS * len(planned)
    for tried, beat in enumerate(planned):
        if found + len(planned) - tried < needed:
            return 0.0  # it can no longer reach SAME_BEATS
        text = _text(beat)
        others = by_character.get(normalised(beat.character), [])
        if text in others or any(_at_least(other, text, SAME_LINE) for other in others):
            found += 1
    return found / len(planned)
