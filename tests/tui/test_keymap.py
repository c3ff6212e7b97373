"""The keymap file: remaps that take, and the ones refused with a reason (the defaults stay)."""

from pathlib import Path

from tui.app import binding_scopes
from tui.keymap import load_keymap


def loaded(tmp_path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    path = tmp_path / "keymap.toml"
    path.write_text(text)
    return load_keymap(path, binding_scopes())


def test_free_keys_are_taken(tmp_path: Path) -> None:
    keymap, warnings = loaded(tmp_path, 'undo = "z, ctrl+z"\n"timeline.split" = "ctrl+k"\n')
    assert keymap == {"undo": "z,ctrl+z", "timeline.split": "ctrl+k"} and warnings == []


def test_a_key_another_binding_answers_on_the_same_screen_is_refused(tmp_path: Path) -> None:
    keymap, warnings = loaded(tmp_path, 'undo = "1"\n')
    assert keymap == {}
    (warning,) = warnings
    assert "undo = '1' is refused: 1 is already screen.projects's key on every screen" in warning


def test_a_screen_key_may_clash_with_another_screen_only(tmp_path: Path) -> None:
    keymap, warnings = loaded(tmp_path, '"timeline.split" = "ctrl+g"\n')  # the Storyboard's
    assert keymap == {"timeline.split": "ctrl+g"} and warnings == []
    _, warnings = loaded(tmp_path, '"timeline.split" = "x"\n')
    assert "x is already timeline.delete's key on the Timeline screen" in warnings[0]
    keymap, warnings = loaded(tmp_path, '"timeline.split" = "ctrl+q"\n')  # quit, everywhere
    assert keymap == {} and "already quit's key" in warnings[0]


def test_keys_freed_by_an_earlier_line_can_be_taken(tmp_path: Path) -> None:
    keymap, warnings = loaded(tmp_path, '"timeline.delete" = "delete"\n"timeline.split" = "x"\n')
    assert keymap == {"timeline.delete": "delete", "timeline.split": "x"} and warnings == []
    _, warnings = loaded(tmp_path, 'redo = "u"\n')  # Projects' own undo answers u there
    assert "u is already undo's key on every screen" in warnings[0]


def test_a_missing_file_is_said_only_when_the_user_named_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert load_keymap(missing, binding_scopes()) == ({}, [])
    _, (warning,) = load_keymap(missing, binding_scopes(), named=True)
    assert "no such file; using the default keys" in warning
