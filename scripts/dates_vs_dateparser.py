"""Measure dateparser 1.5 against geomap's date grammar on the table of
tests/extraction/events/test_dates.py.

    .venv/bin/python scripts/dates_vs_dateparser.py

Prints a Markdown table (right answers and time a parse); the figures are in docs/DATES.md.
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.extraction.events.dates import find_time_expressions  # noqa: E402
from tests.extraction.events.test_dates import CASES  # noqa: E402


def main() -> None:
    warnings.simplefilter("ignore")
    import dateparser
    from dateparser.search import search_dates

    ours = dp_past = dp_current = 0
    t_ours = t_dp = 0.0
    for text, pub, _surface, start, end, _precision in CASES:
        published = date.fromisoformat(pub)
        s, e = date.fromisoformat(start), date.fromisoformat(end)
        t0 = time.perf_counter()
        found = find_time_expressions(f"Fighting was reported {text}.", published)
        t_ours += time.perf_counter() - t0
        ours += bool(found) and found[0].date_start == s and found[0].date_end == e
        base = datetime.combine(published, datetime.min.time())
        for prefer in ("past", "current_period"):
            t0 = time.perf_counter()
            got = dateparser.parse(text, settings={"RELATIVE_BASE": base,
                                                   "PREFER_DATES_FROM": prefer})
            t_dp += time.perf_counter() - t0
            right = got is not None and s <= got.date() <= e
            if prefer == "past":
                dp_past += right
            else:
                dp_current += right
    n = len(CASES)
    print(f"| parser | right of {n} | ms a parse |")
    print("|---|---|---|")
    print(f"| geomap.extraction.events.dates | {ours} | {1000 * t_ours / n:.2f} |")
    print(f"| dateparser.parse, PREFER_DATES_FROM=past | {dp_past} | {1000 * t_dp / (2 * n):.2f} |")
    print(f"| dateparser.parse, PREFER_DATES_FROM=current_period | {dp_current} | |")
    article = (Path(__file__).resolve().parent.parent / "corpus" / "seeds" /
               "000_a20a687b110743f1.txt").read_text(encoding="utf-8")
    hits = search_dates(article, settings={"RELATIVE_BASE": datetime(2012, 7, 26)}) or []
    print(f"\nsearch_dates on the first example article: {len(hits)} hits: "
          + "; ".join(f"{h[0]!r}->{h[1].date()}" for h in hits[:15]))


if __name__ == "__main__":
    main()
