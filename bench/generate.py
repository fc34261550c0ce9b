"""A generated corpus of war reports for benchmarks and tests.

Articles are built from sentence templates (clashes, shelling, air strikes, captures, protests,
executions, deployments, defections, tolls, quotes with attribution, datelines and date
expressions) filled with real places from the gazetteer: neighbourhoods with their cities,
towns and villages with their governorates, crossings, camps, and spelling variants taken from
the gazetteer's alternate names or made by common transliteration changes.

The output is deterministic: article ``i`` depends only on ``seed`` and ``i``, so
``generate_corpus(n + 10, ...)`` writes the same first ``n`` articles plus ten new ones.

    python -m bench.generate 10000 /tmp/corpus
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rapidfuzz import fuzz

from geomap.gazetteer.store import Gazetteer
from geomap.model import Place
from geomap.writing import atomic_write

log = logging.getLogger(__name__)

FIRST_DAY = date(2011, 3, 15)
LAST_DAY = date(2020, 12, 31)
REWRITE_SHARE = 0.2  # share of articles that rewrite an earlier story
MANIFEST_COLUMNS = ("file", "published", "dateline", "outlet", "wire", "language")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
OUTLETS = ("Reuters", "AFP", "Al Jazeera English", "The Guardian", "Arab News", "Daily Star")
WIRES = ("AFP", "Reuters", "AP", "")
DATELINES = ("BEIRUT", "DAMASCUS", "AMMAN", "ISTANBUL", "ANTAKYA, Turkey", "")
REBELS = ("rebels", "rebel fighters", "the Free Syrian Army", "opposition fighters", "insurgents")
REGIME = ("regime forces", "government troops", "the army", "pro-Assad militiamen", "troops")
OTHERS = ("Islamic State fighters", "Kurdish forces", "Nusra Front fighters", "Hezbollah fighters")
SOURCES = (
    "the Syrian Observatory for Human Rights said",
    "the Britain-based Observatory said",
    "activists said",
    "state media reported",
    "a rebel commander told Reuters",
    "residents said",
    "the monitoring group reported",
    "SANA said",
)
AIRCRAFT = ("warplanes", "helicopters", "jets", "Russian warplanes", "coalition warplanes")

#: One sentence each. Slots: {nb} neighbourhood and {nbcity} its city; {city}; {town} and {tgov}
#: its governorate; {village} and {vgov}; {crossing}; {camp}; {gov}; {when}; {n}, {n2} counts;
#: {reb}, {reg}, {oth} actors; {src} attribution; {air} aircraft.
TEMPLATES: tuple[str, ...] = (
    "Heavy clashes broke out {when} between {reb} and {reg} in the {nb} neighbourhood of {nbcity}, "
    "{src}.",
    "{Reb} and {reg} clashed {when} in {town}, in {tgov} province.",
    "Fighting raged {when} around the {nb} district of {nbcity}, {src}.",
    "Street battles were being fought {when} in {nb}, in the south of {nbcity}.",
    "{Reg} shelled the {nb} and {nb2} neighbourhoods of {nbcity} {when}, killing {n} people.",
    "Artillery fire hit {town} {when}, {src}.",
    "Mortar rounds slammed into the {nb} area of {nbcity} {when}, wounding {n} civilians.",
    "{Air} struck {town} {when}, killing {n} civilians including {n2} children, {src}.",
    "Air strikes on the village of {village} in {vgov} province killed {n} people {when}.",
    "Barrel bombs were dropped on {town} {when}, {src}.",
    "{Air} bombed rebel positions near {town} {when}.",
    "A car bomb exploded {when} in the {nb} neighbourhood of {nbcity}, killing {n} people.",
    "{Reb} captured the {crossing} border crossing {when} after days of fighting.",
    "{Reg} recaptured {town} from {reb} {when}, {src}.",
    "{Oth} seized the village of {village} {when}, {src}.",
    "{Reb} took control of the {nb} district of {nbcity} {when}.",
    "Hundreds of protesters took to the streets of {town} {when}, calling for the fall of the "
    "regime.",
    "There were mass demonstrations {when} in the {nb} and {nb2} districts of {nbcity}, {src}.",
    "Protesters rallied {when} in {city} despite a heavy security presence.",
    "{Reg} executed {n} men in {village} {when}, {src}.",
    "A massacre in {town} {when} left {n} dead, according to the Observatory.",
    "{Reg} arrested dozens of people in raids on {nb} in {nbcity} {when}.",
    "The army deployed tanks and reinforcements around {city} {when}.",
    "{Reg} sent more troops to {town} {when} ahead of an expected offensive.",
    "{N} soldiers defected {when} near {town} and joined the rebels, {src}.",
    "A senior officer defected {when} and crossed into Turkey through {crossing}.",
    "{Reb} withdrew from {town} {when} after a week of bombardment.",
    "The Observatory reported {n} civilians and {n2} rebels killed in {gov} province {when}.",
    "At least {n} people were killed across Syria {when}, {n2} of them in {city}, {src}.",
    "The death toll in {town} rose to {n}, {src}.",
    '"There are clashes in {nb} and shelling on {nb2}," {src}.',
    '"The regime is shelling {town} with everything it has," a resident told AFP by telephone.',
    '"We have retaken {village}," a spokesman for {reb} said {when}.',
    "Fighting also flared {when} in the {camp} camp, {src}.",
    "Gunfire was heard {when} near the {crossing} crossing.",
    "{Oth} ambushed a convoy on the road between {town} and {city} {when}.",
    "Thousands of residents fled {town} for the {crossing} crossing {when}.",
    "The UN said aid convoys had reached {city} for the first time since the siege began.",
    "The conflict, which began in March 2011 with peaceful protests, has killed more than "
    "{big} people.",
    "{city} has been divided between rebels and the regime since mid-2012.",
)
#: Background sentences that pad an article to a real length (no event, a place now and then).
BACKGROUND: tuple[str, ...] = (
    "The conflict, now in its second year, began with protests against the government.",
    "Diplomats at the United Nations have failed to agree on a resolution.",
    "Aid agencies say they cannot reach many of those in need.",
    "The figures could not be independently verified because of restrictions on the media.",
    "Residents described long queues for bread and fuel in recent weeks.",
    "Officials in Damascus did not respond to requests for comment.",
    "Thousands of families have fled to neighbouring Turkey and Lebanon.",
    "Analysts said the fighting could last for months.",
    "The opposition has called for a no-fly zone, which Western powers have resisted.",
    "Prices of basic goods have more than doubled since the start of the year.",
    "The Red Crescent said its volunteers were working around the clock.",
    "A spokesman said talks would resume next week in Geneva.",
)

HEADLINES = (
    "Fighting rages in {city}",
    "Regime pounds {town} as rebels advance",
    "Dozens killed in air strikes on {gov}",
    "Rebels seize {crossing} crossing",
    "Protests spread to {city}",
    "Syria: battle for {nbcity} intensifies",
)


@dataclass(frozen=True, slots=True)
class _Pools:
    cities: tuple[Place, ...]
    neighbourhoods: dict[str, tuple[Place, ...]]  # city id -> its neighbourhoods
    towns: dict[str, tuple[Place, ...]]  # governorate -> towns
    villages: dict[str, tuple[Place, ...]]
    crossings: tuple[Place, ...]
    camps: tuple[Place, ...]
    governorates: tuple[str, ...]
    variants: dict[str, tuple[str, ...]]  # place id -> Latin-script alternate names


def _latin(name: str) -> bool:
    return bool(name) and all(ord(ch) < 0x250 for ch in name) and not any(c.isdigit() for c in name)


def build_pools(gaz: Gazetteer) -> _Pools:
    """Place pools for the templates, from the gazetteer (sorted: deterministic)."""
    by_kind: dict[str, list[Place]] = defaultdict(list)
    for p in gaz.places:
        if p.country == "SY" or p.kind in ("crossing", "camp"):
            by_kind[p.kind].append(p)
    nbs: dict[str, list[Place]] = defaultdict(list)
    for p in by_kind["neighbourhood"]:
        if p.city_id and p.city_id in gaz and _latin(p.name):
            nbs[p.city_id].append(p)
    towns: dict[str, list[Place]] = defaultdict(list)
    villages: dict[str, list[Place]] = defaultdict(list)
    for kind, pool in (("town", towns), ("village", villages)):
        for p in by_kind[kind]:
            if p.governorate and _latin(p.name) and len(p.name) > 3:
                pool[p.governorate].append(p)
    variants: dict[str, tuple[str, ...]] = {}
    for p in gaz.places:
        alts = sorted(
            {
                n
                for n in gaz.names_of(p.id)
                if _latin(n) and len(n) > 4 and fuzz.ratio(n.casefold(), p.name.casefold()) >= 70
            }
            - {p.name}
        )
        if alts:
            variants[p.id] = tuple(alts[:6])
    govs = tuple(sorted(set(towns) & set(villages)))
    return _Pools(
        cities=tuple(gaz.get(c) for c in sorted(nbs) if len(nbs[c]) >= 2),
        neighbourhoods={c: tuple(v) for c, v in sorted(nbs.items()) if len(v) >= 2},
        towns={g: tuple(v) for g, v in sorted(towns.items())},
        villages={g: tuple(v) for g, v in sorted(villages.items())},
        crossings=tuple(by_kind["crossing"]),
        camps=tuple(by_kind["camp"]) or tuple(by_kind["neighbourhood"][:3]),
        governorates=govs,
        variants=variants,
    )


_TRANSLIT = (
    (re.compile(r"\bAl-"), "Al "),
    (re.compile(r"\bal-"), "el-"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"-"), " "),
)


def spelling(place: Place, pools: _Pools, rng: random.Random) -> str:
    """The display name mostly; sometimes a gazetteer alias or a transliteration variant."""
    r = rng.random()
    if r < 0.15 and place.id in pools.variants:
        return rng.choice(pools.variants[place.id])
    if r < 0.25:
        for pattern, repl in _TRANSLIT:
            changed = pattern.sub(repl, place.name, count=1)
            if changed != place.name:
                return changed
    return place.name


def count_phrase(rng: random.Random) -> str:
    n = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 17, 19, 21, 24, 30, 35, 42, 60, 100))
    style = rng.random()
    word = NUMBER_WORDS[n] if n <= 20 else str(n)
    if style < 0.2:
        return f"at least {word}"
    if style < 0.3 and n >= 10:
        return f"more than {word}"
    return word if style < 0.7 else str(n)


def when_phrase(published: date, rng: random.Random) -> str:
    """A date expression for an event up to a week before publication."""
    back = rng.choice((0, 0, 1, 1, 1, 2, 3, 5))
    day = published - timedelta(days=back)
    style = rng.randrange(9)
    if style == 0:
        return "overnight"
    if style == 1:
        return f"on {WEEKDAYS[day.weekday()]} night"
    if style == 2:
        return f"early on {WEEKDAYS[day.weekday()]}"
    if style == 3:
        return f"on {MONTHS[day.month - 1]} {day.day}"
    if style == 4:
        return f"on {day.day} {MONTHS[day.month - 1]}"
    if style == 5:
        return "yesterday" if back == 1 else "today"
    if style == 6:
        return "last week"
    return f"on {WEEKDAYS[day.weekday()]}"


@dataclass(frozen=True, slots=True)
class _Story:
    published: date
    dateline: str
    headline: str
    sentences: tuple[str, ...]


def _story(i: int, seed: int, pools: _Pools) -> _Story:
    """The original report numbered ``i``: a dated story about one city and its province."""
    rng = random.Random(f"{seed}:{i}")
    published = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    city = rng.choice(pools.cities)
    gov = city.governorate if city.governorate in pools.towns else rng.choice(pools.governorates)
    vgov = gov if gov in pools.villages else rng.choice(pools.governorates)
    nbs = pools.neighbourhoods[city.id]

    def fill(template: str) -> str:
        nb, nb2 = rng.sample(nbs, 2)
        town = rng.choice(pools.towns[gov])
        values = {
            "nb": spelling(nb, pools, rng),
            "nb2": spelling(nb2, pools, rng),
            "nbcity": spelling(city, pools, rng),
            "city": spelling(rng.choice(pools.cities) if rng.random() < 0.2 else city, pools, rng),
            "town": spelling(town, pools, rng),
            "tgov": gov,
            "village": spelling(rng.choice(pools.villages[vgov]), pools, rng),
            "vgov": vgov,
            "crossing": spelling(rng.choice(pools.crossings), pools, rng),
            "camp": spelling(rng.choice(pools.camps), pools, rng),
            "gov": gov,
            "when": when_phrase(published, rng),
            "n": count_phrase(rng),
            "n2": count_phrase(rng),
            "big": f"{rng.randrange(10, 500) * 1000:,}",
            "reb": rng.choice(REBELS),
            "reg": rng.choice(REGIME),
            "oth": rng.choice(OTHERS),
            "src": rng.choice(SOURCES),
            "air": rng.choice(AIRCRAFT),
        }
        values.update({k.capitalize(): v[:1].upper() + v[1:] for k, v in list(values.items())})
        return template.format(**values)

    dateline = rng.choice(DATELINES)
    sentences = tuple(fill(t) for t in rng.sample(TEMPLATES, rng.randrange(5, 16)))
    return _Story(published, dateline, fill(rng.choice(HEADLINES)), sentences)


def _article(i: int, seed: int, pools: _Pools, length: int = 0) -> tuple[str, dict[str, str]]:
    """Article ``i``: an original story or, one time in five, another outlet's rewrite of a
    story from a few articles before (same or next day), so that reports of one event are spread
    over the corpus and merging has work to do."""
    rng = random.Random(f"{seed}:{i}:article")
    if i > 0 and rng.random() < REWRITE_SHARE:
        original = _story(i - rng.randrange(1, min(i, 8) + 1), seed, pools)
        keep = sorted(rng.sample(range(len(original.sentences)), rng.randrange(3, 6)))
        story = _Story(
            original.published + timedelta(days=rng.randrange(2)),
            rng.choice(DATELINES),
            original.headline,
            tuple(original.sentences[k] for k in keep),
        )
    else:
        story = _story(i, seed, pools)
    sentences = list(story.sentences)
    if story.dateline:
        sentences[0] = f"{story.dateline.split(',')[0]} - {sentences[0]}"
    paragraphs: list[str] = []
    while sentences:
        k = rng.randrange(1, 4)
        paragraphs.append(" ".join(sentences[:k]))
        sentences = sentences[k:]
    words = sum(len(p.split()) for p in paragraphs)
    while words < length:  # a real-length article: background paragraphs after the news
        k = rng.randrange(2, 5)
        paragraph = " ".join(rng.choice(BACKGROUND) for _ in range(k))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    text = story.headline + "\n\n" + "\n".join(paragraphs) + "\n"
    row = {
        "published": story.published.isoformat(),
        "dateline": story.dateline,
        "outlet": rng.choice(OUTLETS),
        "wire": rng.choice(WIRES),
        "language": "en",
    }
    return text, row


def generate_corpus(
    n: int,
    out_dir: Path,
    *,
    seed: int = 2012,
    gaz: Gazetteer | None = None,
    gazetteer: Gazetteer | None = None,
    words: int = 0,
) -> Path:
    """Write ``n`` articles ``gen000000.txt``... and ``manifest.csv`` into ``out_dir``.

    ``words``: pad each article with background paragraphs to at least this many words (real
    news articles have ~600; 0 keeps the short templated reports).

    ``gazetteer`` is another name for ``gaz``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    pools = build_pools(gaz or gazetteer or Gazetteer.load())
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, str]] = []
    for i in range(n):
        name = f"gen{i:06d}.txt"
        text, row = _article(i, seed, pools, words)
        path = out_dir / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:  # keep mtimes of unchanged files
            atomic_write(path, data)
        rows.append({"file": name, **row})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(out_dir / "manifest.csv", buf.getvalue())
    log.info("wrote %d articles to %s", n, out_dir)
    return out_dir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    generate_corpus(args.n, args.out, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
