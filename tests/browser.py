"""Playwright with Debian's chromium for the tests: network refused, console errors collected."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from geomap.render.browser import browser, offline_page


def need_chromium() -> None:
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run `make browser` (make test does)")


@contextlib.contextmanager
def page_with_log() -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page, the console errors and page errors it logs, and the requests it tried."""
    need_chromium()
    errors: list[str] = []
    requests: list[str] = []
    with browser() as b:
        page = offline_page(b)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        yield page, errors, requests
        page.context.close()
