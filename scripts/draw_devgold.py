"""Draw the development-gold sample: a fixed random draw from ../shared/devset/fakes_dev,
stratified by outlet (proportional allocation, at least one article per outlet).

The draw depends only on the manifest and the seed, never on how the code does on an article.
Usage: python scripts/draw_devgold.py [--n 44] [--seed 20261201] > tests/devgold/SAMPLE.txt
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from pathlib import Path

DEFAULT_MANIFEST = (
    Path(__file__).resolve().parents[1] / ".." / "shared/devset/fakes_dev/manifest.csv"
)


def draw(manifest: Path, n: int, seed: int) -> list[tuple[str, str]]:
    by_outlet: dict[str, list[str]] = defaultdict(list)
    with manifest.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_outlet[row["outlet"]].append(row["file"])
    total = sum(len(v) for v in by_outlet.values())
    rng = random.Random(seed)
    chosen: list[tuple[str, str]] = []
    # Largest-remainder proportional allocation, at least one per outlet.
    quotas = {o: max(1, n * len(files) / total) for o, files in by_outlet.items()}
    alloc = {o: int(q) for o, q in quotas.items()}
    rest = n - sum(alloc.values())
    for o in sorted(quotas, key=lambda o: (-(quotas[o] - alloc[o]), o))[: max(rest, 0)]:
        alloc[o] += 1
    for outlet in sorted(by_outlet):
        files = sorted(by_outlet[outlet])
        for f in rng.sample(files, min(alloc[outlet], len(files))):
            chosen.append((outlet, f))
    return sorted(chosen, key=lambda t: t[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    ap.add_argument("--n", type=int, default=44)
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()
    for outlet, f in draw(args.manifest, args.n, args.seed):
        print(f"{f.removesuffix('.txt')},{outlet}")


if __name__ == "__main__":
    main()
