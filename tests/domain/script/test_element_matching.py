"""Characters and locations of a script matched to a project's elements, or proposed as new."""

from domain.project.element import Element
from domain.script import match_elements, parse_script
from domain.script.element_matching import name_confidence

SCRIPT = """EXT. LIGHTHOUSE - DUSK

Mara climbs. @Gull circles overhead.

MARA
Forty years.

INT. HARBOUR OFFICE - DAY

OLD TOM
Nothing but bills.

TOM (V.O.)
I said bills.

GUARD
(nods)

INT. LIGHTHOUSE - NIGHT

MARA (CONT'D)
And the light never failed.
"""


def element(id: str, name: str, trigger: str, type: str = "character") -> Element:
    return Element(id=id, name=name, trigger_word=trigger, type=type)  # type: ignore[arg-type]


def test_names_and_triggers_match_with_their_confidence() -> None:
    mara = element("e1", "Mara Quinn", "@Mara")
    lighthouse = element("e2", "Lighthouse", "@Lighthouse", "location")
    gull = element("e3", "Herring Gull", "@Gull", "object")
    plan = match_elements(parse_script(SCRIPT), [mara, lighthouse, gull])
    found = {(m.text, m.element_id): m.confidence for m in plan.element_matches}
    assert found == {("@Gull", "e3"): 1.0, ("LIGHTHOUSE", "e2"): 1.0, ("MARA", "e1"): 1.0}


def test_a_first_name_a_partial_name_and_a_close_spelling_match_with_less_confidence() -> None:
    quinn = element("e1", "Mara Quinn", "@Keeper")
    assert name_confidence("MARA", quinn) == 0.8
    assert name_confidence("QUINN", quinn) == 0.7
    assert 0.6 <= name_confidence("MARRA QUINN", quinn) < 0.85
    assert name_confidence("TOM", quinn) == 0.0
    assert name_confidence("mara quinn", quinn) == 1.0
    assert name_confidence("KEEPER", quinn) == 1.0


def test_unmatched_speakers_and_heading_locations_are_proposed_once_each() -> None:
    plan = match_elements(parse_script(SCRIPT), [])
    proposed = [(p.name, p.type, p.trigger_word, p.occurrences) for p in plan.elements_proposed]
    assert proposed == [
        ("Lighthouse", "location", "@Lighthouse", 2),
        ("Mara", "character", "@Mara", 2),
        ("Harbour Office", "location", "@HarbourOffice", 1),
        ("Old Tom", "character", "@OldTom", 1),
        ("Tom", "character", "@Tom", 1),
    ]


def test_a_silent_character_seen_once_is_not_proposed() -> None:
    plan = match_elements(parse_script(SCRIPT), [])
    assert "Guard" not in {p.name for p in plan.elements_proposed}


def test_a_proposed_trigger_word_never_collides_with_an_existing_one() -> None:
    other = element("e9", "Tomato", "@Tom", "object")
    plan = match_elements(parse_script(SCRIPT), [other])
    triggers = [p.trigger_word for p in plan.elements_proposed]
    assert "@Tom2" in triggers
    assert len({t.casefold() for t in triggers} | {"@tom"}) == len(triggers) + 1


def test_a_matched_character_is_not_proposed_and_types_do_not_cross() -> None:
    plan = match_elements(
        parse_script(SCRIPT),
        [element("e1", "Tom", "@Tom"), element("e2", "Mara", "@MaraPlace", "location")],
    )
    names = {p.name for p in plan.elements_proposed}
    assert "Tom" not in names and "Mara" in names
    assert {(m.text, m.element_id) for m in plan.element_matches} >= {
        ("TOM", "e1"),
        ("OLD TOM", "e1"),
    }


def test_a_forced_headings_place_is_proposed_like_any_other() -> None:
    plan = match_elements(parse_script(".THE ATTIC\n\nDust everywhere.\n"), [])
    assert [(e.name, e.type) for e in plan.elements_proposed] == [("The Attic", "location")]
