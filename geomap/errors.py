"""The error hierarchy: one root, subclasses that also inherit a builtin.

An ambiguous place name is data (candidates with scores), never an exception.
"""

from __future__ import annotations


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """Bad user input: a corpus file, a manifest row, a CLI argument.

    ``path`` and ``line`` (1-based, or None) name where the problem is.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
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
