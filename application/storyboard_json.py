"""A model's storyboard reply made into a validated Storyboard, or the reason it cannot be.

Models wrap JSON in prose and code fences, leave trailing commas, and stop mid-string when they
run out of tokens. The reply is read from its first `{` or `[` to the end of that value; a
truncated one is closed (an open value string ends where it stopped, a dangling key is dropped,
open arrays and objects are closed). The candidates are tried in order — as written, closed,
then closed without the trailing partial item at each depth — and the first that validates
against the schema wins. Correctness comes from the schema, never from trusting the model.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from domain.errors import DomainError
from domain.script.storyboard import Storyboard

_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z]*")
_CLOSER = {"{": "}", "[": "]"}
_SCALAR_CHARS = frozenset("0123456789+-.eEtruefalsn")


class StoryboardUnusable(DomainError):
    """The model's reply could not be read as a storyboard, even after repair."""


@dataclass
class _Frame:
    opener: str
    # object: key | colon | value | comma; array: value | comma ("scalar" while one is read)
    expect: str
    # Where the output ends after the last complete member (or just after the opener).
    last_complete: int


@dataclass
class _Scan:
    out: list[str] = field(default_factory=list)
    stack: list[_Frame] = field(default_factory=list)
    in_string: bool = False
    string_is_key: bool = False
    escaped: bool = False
    done: bool = False
    trailing_commas: int = 0
    # A character outside strings that no JSON number, true, false or null has.
    broken: bool = False


def _end_scalar(scan: _Scan) -> None:
    top = scan.stack[-1] if scan.stack else None
    if top is not None and top.expect == "scalar":
        top.expect, top.last_complete = "comma", len(scan.out)


def _close(scan: _Scan, char: str) -> None:
    _end_scalar(scan)
    while scan.out and scan.out[-1].isspace():
        scan.out.pop()
    if scan.out and scan.out[-1] == ",":
        scan.out.pop()
        scan.trailing_commas += 1
    scan.stack.pop()
    scan.out.append(_CLOSER["{" if char == "}" else "["])
    if scan.stack:
        scan.stack[-1].expect, scan.stack[-1].last_complete = "comma", len(scan.out)
    else:
        scan.done = True


def _step(scan: _Scan, char: str) -> None:
    top = scan.stack[-1] if scan.stack else None
    if scan.in_string:
        scan.out.append(char)
        if scan.escaped:
            scan.escaped = False
        elif char == "\\":
            scan.escaped = True
        elif char == '"':
            scan.in_string = False
            if top is not None and scan.string_is_key:
                top.expect = "colon"
            elif top is not None:
                top.expect, top.last_complete = "comma", len(scan.out)
        elif char == "\n":
            scan.out[-1] = "\\n"  # a raw newline in a string: models write them
        return
    if char in "{[":
        _end_scalar(scan)
        scan.out.append(char)
        scan.stack.append(_Frame(char, "key" if char == "{" else "value", len(scan.out)))
    elif char in "}]":
        _close(scan, char)
    elif char == '"':
        _end_scalar(scan)
        scan.in_string = True
        scan.string_is_key = top is not None and top.opener == "{" and top.expect == "key"
        scan.out.append(char)
    elif char == ":":
        scan.out.append(char)
        if top is not None:
            top.expect = "value"
    elif char == ",":
        _end_scalar(scan)
        scan.out.append(char)
        if top is not None:
            top.expect = "key" if top.opener == "{" else "value"
    elif char.isspace():
        _end_scalar(scan)
        scan.out.append(char)
    else:
        scan.out.append(char)
        scan.broken = scan.broken or char not in _SCALAR_CHARS
        if top is not None and top.expect == "value":
            top.expect = "scalar"


def _scan(text: str) -> tuple[_Scan, str]:
    """The scan of the value `text` starts with, and what follows that value."""
    scan = _Scan()
    for index, char in enumerate(text):
        _step(scan, char)
        if scan.broken:  # read as cut off just before the stray character
            scan.out.pop()
            return scan, text[index:]
        if scan.done:
            return scan, text[index + 1 :]
    return scan, ""


def storyboard_done(reply: str) -> bool:
    """Whether a reply being written is over: its JSON is complete, or can no longer be JSON
    (the model writes garbage). Generation stops there instead of at its token cap."""
    start = min((i for i in (reply.find("{"), reply.find("[")) if i >= 0), default=-1)
    if start < 0:
        return False
    scan, _ = _scan(reply[start:])
    return scan.done or scan.broken


def _closed(out: list[str], frames: list[_Frame]) -> str:
    text = "".join(out).rstrip()
    text = text.removesuffix(",").rstrip()
    return text + "".join(_CLOSER[f.opener] for f in reversed(frames))


def _candidates(scan: _Scan) -> list[tuple[str, str | None]]:
    """(JSON text, the repair it needed), best first: a reply cut between two items is closed
    as it is; one cut inside an item loses that item, and keeps its cut-off text only when
    nothing else fits."""
    if scan.done:
        return [("".join(scan.out), None)]
    stack, top = scan.stack, scan.stack[-1]
    depth = len(stack)
    closing = f"closed {depth} open bracket(s)"
    dangling = top.opener == "{" and top.expect in ("colon", "value")
    partial = scan.in_string or dangling or top.expect == "scalar"
    found: list[tuple[str, str | None]] = [] if partial else [(_closed(scan.out, stack), closing)]
    for k in range(depth - 1, 0, -1):
        if stack[k - 1].opener == "[":
            kept = stack[:k]
            found.append(
                (
                    _closed(scan.out[: stack[k - 1].last_complete], kept),
                    f"dropped the cut-off last item and closed {len(kept)} open bracket(s)",
                )
            )
    if scan.in_string and not scan.string_is_key:
        out = scan.out[:-1] if scan.escaped else list(scan.out)
        found.append((_closed([*out, '"'], stack), f"closed a cut-off string and {closing}"))
    elif partial:
        dropped = f"dropped a dangling key or value and {closing}"
        found.append((_closed(scan.out[: top.last_complete], stack), dropped))
    return found


def _as_storyboard(data: Any) -> Any:
    if isinstance(data, list):  # the scenes alone
        return {"scenes": data}
    if isinstance(data, dict) and "scenes" not in data and len(data) == 1:
        inner = next(iter(data.values()))  # {"storyboard": {...}} or {"plan": [...]}
        if isinstance(inner, dict | list):
            return _as_storyboard(inner)
    return data


def _why(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"]) or "the storyboard"
        problems.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(problems)
    return "; ".join(problems) + (f" (and {more} more)" if more > 0 else "")


def read_storyboard(reply: str) -> tuple[Storyboard, list[str]]:
    """The storyboard in `reply` and the repairs it needed, or StoryboardUnusable saying why."""
    text = _THINKING.sub("", reply)
    repairs: list[str] = []
    if "```" in text:
        text = _FENCE.sub("", text)
        repairs.append("removed code fences")
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if not starts:
        shown = " ".join(reply.split())[:80]
        raise StoryboardUnusable(f"the reply held no JSON (it began: {shown!r})")
    start = min(starts)
    if text[:start].strip():
        repairs.append("removed the text before the JSON")
    scan, rest = _scan(text[start:])
    if scan.broken:
        repairs.append(f"cut the reply where it stopped being JSON ({rest[:20]!r})")
    elif rest.strip():
        repairs.append("removed the text after the JSON")
    if scan.trailing_commas:
        repairs.append(f"removed {scan.trailing_commas} trailing comma(s)")
    first_reason = ""
    for candidate, repair in _candidates(scan):
        try:
            data = json.loads(candidate)
            board = Storyboard.model_validate(_as_storyboard(data))
        except json.JSONDecodeError as error:
            reason = f"it is not valid JSON ({error.msg} at character {error.pos})"
        except ValidationError as error:
            reason = f"it does not fit the storyboard schema ({_why(error)})"
        else:
            return board, repairs + ([repair] if repair else [])
        first_reason = first_reason or reason
    if scan.broken:
        first_reason += f" (it stops being JSON at {rest[:20]!r}; repairing it did not help)"
    elif not scan.done:
        first_reason += " (the reply was cut off; repairing it did not help)"
    raise StoryboardUnusable(first_reason)
