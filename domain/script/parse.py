"""The parser's entry point: text and a mode in, a ScriptPlan out, or a domain error."""

from domain.errors import InvalidValue, ScriptUnreadable
from domain.script.cues import is_all_caps
from domain.script.detect import detect_mode
from domain.script.fountain import tokenize
from domain.script.headings import looks_like_heading
from domain.script.input_checks import checked_text
from domain.script.notes import remove_notes_and_boneyard
from domain.script.numbered import tokenize_freeform, tokenize_numbered
from domain.script.plan import ScriptMode, ScriptPlan
from domain.script.scenes import build_scenes
from domain.script.title_page import read_title_page
from domain.script.tokens import Token

PARSED_MODES: tuple[str, ...] = ("auto", "fountain", "screenplay", "numbered", "freeform")


def _plain_title(lines: list[str]) -> tuple[dict[str, str], int]:
    """A plain screenplay's title: a short line in capitals on its own before anything else."""
    first = next((k for k, line in enumerate(lines) if line.strip()), len(lines))
    if first + 1 >= len(lines) or lines[first + 1].strip():
        return {}, 0
    text = lines[first].strip()
    short = len(text.split()) <= 8 and not text.endswith(":")
    if short and is_all_caps(text) and not looks_like_heading(text):
        return {"title": text}, first + 1
    return {}, 0


def parse_script(text: str, mode: str = "auto") -> ScriptPlan:
    """Read `text` in `mode` (`auto` detects it; see detect.py).

    Raises ScriptUnreadable for empty, binary or enormous text (input_checks.py says the limits),
    InvalidValue for a mode this parser does not read (`ai` is read elsewhere, by a model).
    """
    if mode not in PARSED_MODES:
        raise InvalidValue(
            f"the script parser reads the modes {', '.join(PARSED_MODES)}: got {mode!r}"
        )
    text = checked_text(text)
    chosen: ScriptMode = detect_mode(text) if mode == "auto" else mode  # type: ignore[assignment]
    cleaned, warnings = remove_notes_and_boneyard(text)
    if not cleaned.strip():
        raise ScriptUnreadable("the script holds nothing but notes [[ ]] and boneyard /* */")
    lines = cleaned.split("\n")
    title: dict[str, str] = {}
    tokens: list[Token]
    if chosen == "fountain":
        title, start = read_title_page(lines)
        tokens = tokenize(lines, start, markup=True)
    elif chosen == "screenplay":
        title, start = _plain_title(lines)
        tokens = tokenize(lines, start, markup=False)
    elif chosen == "numbered":
        tokens, item_warnings = tokenize_numbered(lines)
        warnings += item_warnings
    else:
        tokens = tokenize_freeform(lines)
    scenes = build_scenes(tokens, lines, title)
    if not any(scene.shots for scene in scenes):
        warnings.append(
            "the script has a title page but no scenes or shots"
            if title
            else f"no shots were found reading the script as {chosen}"
        )
    return ScriptPlan(mode=chosen, title=title, scenes=tuple(scenes), warnings=tuple(warnings))
