"""Reading a screenplay file safely: a clear refusal for anything that is not text."""

import codecs
import hashlib
from pathlib import Path
from typing import Any

# Far above the parser's own limit in characters, so that the parser says what is too much;
# this only keeps a huge file from being read into memory at all.
MAX_FILE_BYTES = 64 * 1024 * 1024
# Without a byte-order mark, UTF-16 shows as NUL bytes on one side of most character pairs.
_UTF16_NUL_SHARE = 0.3


def read_script(path_text: str) -> tuple[str, dict[str, Any]]:
    """The file's text and where it came from: name, path, sha256 of its bytes, encoding."""
    from domain.errors import NotFound, ScriptUnreadable

    path = Path(path_text).expanduser().absolute()
    try:
        if not path.exists():
            raise NotFound(f"no file {path}")
        if path.is_dir():
            raise ScriptUnreadable(f"{path} is a directory, not a script file")
        if not path.is_file():
            raise ScriptUnreadable(f"{path} is not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScriptUnreadable(
                f"{path} is {path.stat().st_size:,} bytes; a screenplay is text of a few hundred"
                f" KB and Milimo reads at most {MAX_FILE_BYTES // 2**20} MiB"
            )
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise ScriptUnreadable(f"cannot read {path}: permission denied") from None
    except OSError as error:
        raise ScriptUnreadable(f"cannot read {path}: {error.strerror or error}") from None
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ScriptUnreadable(
            f"{path.name} is not UTF-8 or UTF-16 text (undecodable byte at offset {error.start});"
            " save it as UTF-8 text"
        ) from None
    source = {
        "file": path.name,
        "path": str(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "encoding": encoding,
        "bytes": len(data),
    }
    return text, source


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(data) // 2
    if pairs and len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if odd > _UTF16_NUL_SHARE * pairs and even == 0:
            return "utf-16-le"
        if even > _UTF16_NUL_SHARE * pairs and odd == 0:
            return "utf-16-be"
    return "utf-8"
