"""Notes `[[ ]]` and boneyard `/* */` are the writer's private text: removed before anything else.

An opener with no closer hides everything after it (with a warning): text a writer meant to hide
must never reach a shot or a model because a closing mark was forgotten.
"""

_GONE = "\x00"  # the input has no NUL (input_checks refuses it), so it marks what was removed


def _remove_spans(text: str, opener: str, closer: str, what: str, warnings: list[str]) -> str:
    parts: list[str] = []
    position = 0
    while True:
        start = text.find(opener, position)
        if start < 0:
            parts.append(text[position:])
            break
        parts.append(text[position:start])
        parts.append(_GONE)
        end = text.find(closer, start + len(opener))
        if end < 0:
            line = text.count("\n", 0, start) + 1
            warnings.append(
                f"line {line}: {what} {opener} is never closed with {closer};"
                " everything after it was left out"
            )
            break
        position = end + len(closer)
    return "".join(parts)


def remove_notes_and_boneyard(text: str) -> tuple[str, list[str]]:
    """The text without notes and boneyard, and warnings about unclosed ones.

    A line that held nothing but removed text disappears, so a note between a character cue and
    its dialogue does not break the dialogue block.
    """
    warnings: list[str] = []
    text = _remove_spans(text, "/*", "*/", "boneyard", warnings)
    text = _remove_spans(text, "[[", "]]", "note", warnings)
    if _GONE not in text:
        return text, warnings
    lines = [
        line.replace(_GONE, "")
        for line in text.split("\n")
        if _GONE not in line or line.replace(_GONE, "").strip()
    ]
    return "\n".join(lines), warnings
