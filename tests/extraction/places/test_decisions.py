"""Decisions between stages are data: a stage tests a rule id or a field, never another's prose."""

from __future__ import annotations

from geomap.errors import InputError


def test_input_error_keeps_its_message_apart() -> None:
    exc = InputError("bad date: '2016-13-01'", path="dir: with colon/manifest.csv", line=3)
    assert exc.message == "bad date: '2016-13-01'"
    assert str(exc).endswith(":3: bad date: '2016-13-01'")
