"""The screenplays in tests/fixtures/screenplays, each a hard case read end to end."""

from domain.script import parse_script
from tests.domain.script.conftest import every_text, screenplay, shots


def test_the_full_fountain_script_reads_every_element() -> None:
    plan = parse_script(screenplay("full_fountain.fountain"))
    assert plan.mode == "fountain"
    assert plan.title["title"] == "THE LAST KEEPER\nA short film"
    assert plan.title["contact"] == "Ana Costa\nRua do Farol 12\nLisbon"
    assert [s.name for s in plan.scenes] == [
        "Lighthouse - Dusk",
        "Lighthouse - Lamp Room - Night",
        "Flashback - The Storm",
        "Lighthouse - Dawn",
    ]
    assert plan.scenes[0].synopsis == "The keeper's last night before the light goes automatic."
    assert plan.scenes[1].synopsis == "Mara meets the engineer."
    found = shots(plan)
    characters = {s.character for s in found if s.character}
    assert characters == {"MARA", "TOM", "BRICK", "STEEL", "McCLANE"}
    assert [s.shot_type for s in plan.scenes[0].shots] == ["establishing", "medium"]
    assert plan.scenes[2].shots[0].shot_type == "tracking"
    assert plan.scenes[2].shots[0].duration_seconds == 10.0
    assert plan.scenes[3].shots[0].duration_seconds == 12.0
    assert "soft cloth" in plan.scenes[1].shots[0].action
    assert "*automation*" in every_text(plan)
    text = every_text(plan)
    for never in ("CUT TO", "THE END", "ACT ONE", "FADE IN", "#1#", "**", "==="):
        assert never not in "".join(s.action + s.dialogue for s in found), never
    assert "ACT ONE" not in text


def test_dual_dialogue_pairs_are_both_dual_and_framed_medium() -> None:
    found = shots(parse_script(screenplay("dual_dialogue.fountain")))
    assert [(s.character, s.dual) for s in found] == [
        ("BRICK", True),
        ("STEEL", True),
        ("BRICK", True),
        ("STEEL", True),
    ]
    assert {s.shot_type for s in found} == {"medium"}
    assert found[3].parenthetical == "together"


def test_nothing_of_a_note_or_the_boneyard_reaches_the_plan() -> None:
    plan = parse_script(screenplay("notes_and_boneyard.fountain"))
    assert "SECRET" not in every_text(plan)
    assert [(s.character, s.dialogue or s.action) for s in shots(plan)] == [
        ("", "Mara opens the vault. It is empty."),
        ("TOM", "Where did it go?"),
        ("", "She shrugs. He sighs."),
        ("MARA", "Gone. All of it."),
    ]
    assert plan.scenes[0].synopsis == "A synopsis kept."
    assert plan.title == {"title": "Secrets"}


def test_an_unclosed_boneyard_hides_the_rest_and_says_so() -> None:
    plan = parse_script(screenplay("unclosed_boneyard.fountain"))
    assert "SECRET" not in every_text(plan).replace(plan.warnings[0], "")
    assert [s.action for s in shots(plan)] == ["Mara waits."]
    assert plan.warnings == (
        "line 5: boneyard /* is never closed with */; everything after it was left out",
    )


def test_a_title_page_alone_gives_no_scenes_and_says_so() -> None:
    plan = parse_script(screenplay("title_page_only.fountain"))
    assert plan.title["title"] == "Nothing Yet"
    assert plan.scenes == ()
    assert plan.warnings == ("the script has a title page but no scenes or shots",)


def test_forced_elements_do_what_they_force() -> None:
    plan = parse_script(screenplay("forced_elements.fountain"))
    assert [s.name for s in plan.scenes] == ["Sniper Scope Pov"]
    assert [(s.character, s.dialogue or s.action) for s in shots(plan)] == [
        ("", "INT. THIS IS ACTION, NOT A HEADING."),
        ("McCLANE", "Yippie ki-yay."),
        ("Mara", "Not all caps, still a cue."),
        ("", "...and an ellipsis is not a heading."),
    ]


def test_crlf_tabs_and_unicode_read_like_plain_newlines() -> None:
    plan = parse_script(screenplay("crlf_unicode.fountain"))
    assert plan.title == {"title": "Café Étoile"}
    assert plan.scenes[0].name == "Café Étoile - Nuit"
    assert [(s.character, s.dialogue or s.action) for s in shots(plan)] == [
        ("", "ÉLODIE sirote un café. La pluie tombe."),
        ("ÉLODIE", "Il ne viendra pas."),
        ("JOSÉ", "Je suis là."),
        ("", "李雷 她看着雨。"),  # a script without letter case has no cues to find
    ]
    assert "\r" not in every_text(plan)


def test_malformed_fountain_still_reads_without_error() -> None:
    plan = parse_script(screenplay("malformed.fountain"))
    assert plan.mode == "fountain"
    assert shots(plan)
    assert all(s.action or s.dialogue for s in shots(plan))
