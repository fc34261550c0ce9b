"""The error hierarchy: one root, subclasses that also inherit a builtin.

An ambiguous place name is data (candidates with scores), never an exception.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Characters escaped in messages: controls (newline, carriage return, escape...), line and
#: paragraph separators, and the bidirectional overrides that reorder what a terminal shows.
_UNSAFE = {"Cc", "Zl", "Zp"}
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def safe(text: object) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``, ``\\u2028``...).

    Every file name and input string that reaches a message goes through this, so that a
    newline in a file name cannot forge a line of the summary or a log.
    """
    s = str(text)
    if all(ch.isprintable() or ch == " " for ch in s):
        return s
    out = []
    for ch in s:
        if ch == "\\" or (ch not in _BIDI and unicodedata.category(ch) not in _UNSAFE):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line (counted by ``\\n`` only) of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def decode_utf8(data: bytes, path: str, *, error: type[InputError] | None = None) -> str:
    """Strict UTF-8 (a BOM is dropped), or an InputError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        cls = error or InputError
        raise cls(
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8",
            path=path,
            line=line_of(data, exc.start),
        ) from None


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """Bad user input: a corpus file, a manifest row, a CLI argument.

    ``path`` and ``line`` (1-based, or None) name where the problem is.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        #: The message without where it is (``str(exc)`` has both).
        self.message = message
        where = ""
        if path is not None:
            where = f"{safe(path)}:{line}: " if line is not None else f"{safe(path)}: "
        super().__init__(f"{where}{message}")


class GazetteerError(InputError):
    """A problem in gazetteer data (a malformed row, a bad coordinate, a duplicate id)."""


class UnknownPlace(GeomapError, LookupError):
    """No gazetteer entry matches a name."""


class UnknownName(GeomapError, KeyError):
    """A name looked up in a registry (event type, layer, format) does not exist.

    The message lists the valid names.
    """

    def __init__(self, what: str, name: str, valid: list[str] | tuple[str, ...]) -> None:
        self.what = what
        self.name = name
        self.valid = tuple(valid)
        super().__init__(f"unknown {what} {name!r}; valid: {', '.join(self.valid)}")

    def __str__(self) -> str:  # KeyError quotes its argument otherwise
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one input: where, and why."""

    path: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error": the document was not processed; "warning": it was

    def __str__(self) -> str:
        path = safe(self.path)
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.severity}: {safe(self.message)}"
