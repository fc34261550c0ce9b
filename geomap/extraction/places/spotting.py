"""Find place names in text: every span that may name a gazetteer place, with its candidates.

Two passes over a document:

1. an Aho-Corasick automaton (pyahocorasick) of every normalised gazetteer name, run over the
   folded text (:func:`geomap.extraction.text.fold_text`), with word boundaries; a trailing
   possessive "s"
   whose apostrophe was lost ("Syrias") still counts;
2. capitalised word runs the first pass left alone, looked up by phonetic key and consonant
   skeleton (spellings no source lists: "Salahuddin", "Mushhad").

Longest matches win ("New Aleppo" over "Aleppo"). Names must start with a capital letter in the
text (descriptive names such as "the Syrian capital" excepted), and single words that are
common English words or parts of person names are not taken for villages.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import ahocorasick

from geomap.extraction import budget
from geomap.extraction.places.heads import head_of, head_patterns
from geomap.extraction.spans import DisjointSpans, SpanIndex, longest_first
from geomap.extraction.text import fold_text
from geomap.gazetteer.names import (
    ARABIC_ARTICLES,
    SKELETON_MIN,
    SPACED_ARTICLES,
    name_keys,
    normalize_name,
)
from geomap.gazetteer.store import Gazetteer

#: Words that are never a place name on their own, whatever village bears them.
STOPWORDS = frozenset(
    """
a about above across after again against all almost also although always among an and another
any are around as at away back be because been before being below between both but by can could
day days did do does down during each early earlier east either else even ever every few for from
further had has have he her here him his how however if in into is it its just last late later
least less like long made make many may me might more most much must my near never new next night
no nor north not now of off often on once one only or other our out over own part per rather
said same say says second several she should since so some south still such than that the their
them then there these they this those though through to today too under until up upon very was
way we week well were west what when where whether which while who whom whose why will with
within without would year yet you your
army forces force troops police state security government regime rebels rebel free national
general president minister ministry spokesman officials official observatory group council
coalition front brigade brigades battalion division unit units media news agency reuters afp ap
monday tuesday wednesday thursday friday saturday sunday january february march april june
july august september october november december
syrian syrians arab arabs kurdish kurds turkish russian iranian iraqi lebanese palestinian
jordanian american british french israeli sunni shia shiite alawite christian druze muslim
islamic islam jihadist jihadists
god allah peace hope victory unity freedom martyrs martyr liberation revolution
""".split()
)
#: Directions that begin names ("Eastern Ghouta"), often written in lower case.
_DIRECTIONS = frozenset(
    "east eastern west western north northern south southern central upper lower".split()
)
# A name that is the Arabic article and one word ("Al Bab", "El-Bab", "At Tall")
_ARTICLED = re.compile(r"(?i)(?:al|el|a[dnrstz]|ash)[-\s][^\W\d_]+")
#: English articles and prepositions: a name spelled another way never starts with one ("In
#: Quneitra" is no spelling of the village Ein Elqantara; "The Homs" none of Tat Hims).
_ENGLISH_ARTICLES = frozenset(
    {"the", "a", "an", "in", "at", "on", "from", "near", "to", "of", "by", "for", "into", "with"}
)
#: Generic words of Arabic place names; alone they name no place.
GENERIC = frozenset(
    """
tal tell tall ain ein bab deir jisr kafr kfar abu umm um sheikh shaykh jabal jebel wadi khirbet
khirbat qasr bir ras beit bayt haret hai hay harat souq suq qalaat qala tel nahr jubb
masaken masakin masakan
""".split()
)
# "Masaken Hanano" (the Hanano housing): a generic word written before a neighbourhood's
# name is part of the mention; the name alone decides the place
_HOUSING_BEFORE = re.compile(r"(?<![\w'\u2019-])(?:Masaken|Masakin|Masakan)\s+$")
_TITLES = re.compile(
    r"(?:President|Mr|Mrs|Ms|Dr|Gen|General|Col|Colonel|Maj|Major|Lt|Capt|Brig|Minister|"
    r"spokesman|leader|commander|Sheikh|Imam|King|Prince|Emir)\.?\s+$"
)
_PERSON_PARTICLE = re.compile(
    r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:al|el|Al|El|bin|ibn|abu|Abu)"
    r"[-\s]$"
)
#: The articles that join a run of capitalised words into one name: some of ARABIC_ARTICLES
#: only, on purpose: with "ez" too, "Deir ez-Zor US" is one run (the dev set has it).
_RUN_ARTICLES = ("al", "el", "ad", "as", "ash", "at", "az", "an", "ar")
_CAP_RUN = re.compile(
    r"[A-Z][\w\u2019'\u2018-]*(?:(?:\s+|-)(?:(?:"
    + "|".join((*_RUN_ARTICLES, "bin", "ibn", "of"))
    + r")(?:\s+|-))?[A-Z][\w\u2019'\u2018-]*)*"
)


# "Syria's second city", "Syrias largest city": a descriptive name owned by the country.
_OWNER_TAIL = re.compile(r"\bSyria(?:['\u2019]s|s)\s+(?P<tail>[a-z]+(?:\s+[a-z]+){0,2})")
# A lower-case word that is part of a name: "Idlib province", "Yarmouk camp".
_CUE_TAIL = re.compile(r" (province|governorate|camp|crossing|border crossing|airport)\b")


#: How many texts' spans :meth:`Spotter.lattice` keeps (those of a group of documents the
#: model reads together, :data:`geomap.pipeline.documents.GROUP`, and a few more).
RECENT_TEXTS = 32


@dataclass(frozen=True, slots=True)
class Spot:
    """A span of text that may name a place."""

    start: int
    end: int
    surface: str
    ids: tuple[str, ...]
    score: float  # how well the span matched the names of ``ids`` (1.0 exact ... 0.8 skeleton)
    how: str  # "name", "key", "skeleton", "short" (a short skeleton: see the resolver)
    descriptive: bool = False
    #: places the span's spelling variant also names (phonetic key), scored lower than ``ids``
    variants: tuple[str, ...] = ()
    #: the id of the head noun of a named feature ("street" of "Quwatli Street"; how "feature")
    head: str = ""
    #: ids of the spotting rules that admitted the span, with their arguments
    rules: tuple[str, ...] = ()


class Spotter:
    """The compiled automaton of a gazetteer's names (build once, reuse for every document)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.automaton: Any = ahocorasick.Automaton()
        index = gaz.name_index()
        for norm in sorted(index):
            if len(norm) < 3 or norm in STOPWORDS or norm in GENERIC:
                continue
            self.automaton.add_word(norm, (norm, index[norm]))
        self.automaton.make_automaton()
        self._recent: dict[str, tuple[tuple[Spot, ...], tuple[Spot, ...]]] = {}
        self.keys = gaz.key_index()
        self.skeletons = gaz.skeleton_index()
        self.short_skeletons = gaz.short_skeleton_index()
        # "US", "UK": a country's acronym, matched as written (in capitals) since in lower case
        # it is a common word
        acronyms: dict[str, list[str]] = {}
        for place in gaz.places:
            if place.kind == "country":
                for name in gaz.names_of(place.id):
                    if 2 <= len(name) <= 3 and name.isascii() and name.isalpha() and name.isupper():
                        acronyms.setdefault(name, []).append(place.id)
        # "Al-Bab", "al-Tal": a town whose name is the article and a generic word ("bab" alone
        # names no place), matched with its article and the word capitalised as written
        articled: dict[str, list[str]] = {}
        for place in gaz.places:
            if place.kind in ("city", "town"):
                for name in gaz.names_of(place.id):
                    norm = normalize_name(name)
                    if (norm in GENERIC or norm in STOPWORDS) and _ARTICLED.fullmatch(name):
                        articled.setdefault(norm, []).append(place.id)
        self.articled = {k: tuple(sorted(set(v))) for k, v in articled.items()}
        self._articled_re = (
            re.compile(
                r"(?<![\w'\u2019-])(?:[Aa]l|[Ee]l|A[dnrstz]|a[dnrstz]|[Aa]sh)[-\s]("
                + "|".join(sorted(w.capitalize() for w in self.articled))
                + r")(?![\w'\u2019-])"
            )
            if self.articled
            else None
        )
        self.acronyms = {k: tuple(sorted(v)) for k, v in acronyms.items()}
        self._acronym_re = (
            re.compile(r"(?<![\w.])(?:" + "|".join(sorted(self.acronyms)) + r")(?![\w])")
            if self.acronyms
            else None
        )

    def spots(self, text: str) -> list[Spot]:
        return self.lattice(text)[0]

    def lattice(self, text: str) -> tuple[list[Spot], list[Spot]]:
        """:meth:`spans_of` ``text``, kept for the last few texts asked (a document's names are
        asked twice when the model reads several documents ahead: which sentences it must
        read, then the mentions)."""
        known = self._recent.get(text)
        if known is None:
            if len(self._recent) >= RECENT_TEXTS:
                self._recent.clear()
            known = self._recent[text] = self.spans_of(text)
        return list(known[0]), list(known[1])

    def spans_of(self, text: str) -> tuple[tuple[Spot, ...], tuple[Spot, ...]]:
        """The chosen spans (longest first, then best matched), and the competing spans kept
        beside them (a lattice): the names a longer span overlapped, a name cued as a
        neighbourhood that a look-alike village took ("al-Sayyed Ali neighborhood"), a named
        feature over a village ("the Tayyiba Road"). A competing span is tried when what it
        overlaps names no place (:func:`geomap.extraction.places.mentions.find_mentions`)."""
        held: list[Spot] = []
        named = [
            *self._automaton_spots(text, held),
            *self._acronym_spots(text),
            *self._articled_spots(text),
        ]
        named += _listed_after_names(text, held, named)
        covered = SpanIndex((s.start, s.end) for s in named)
        pool = named + list(self._key_spots(text, covered))
        chosen = longest_first(pool, _span, rank=_rank)
        taken = DisjointSpans(_span(s) for s in chosen)
        won = {id(s) for s in chosen}
        # the spans that lost to an overlapping longer one: tried where the winner names nothing
        competing = [s for s in pool if id(s) not in won]
        # descriptive and cued spans do not overlap among themselves (one a regex match)
        for extra in (
            list(self._descriptive_spots(text)),
            list(_unknown_spots(text)),
            list(_feature_spots(text)),
        ):
            kept = [s for s in extra if not taken.overlaps(s.start, s.end)]
            kept_ids = {id(s) for s in kept}  # by identity: a list test compares every field
            competing += [s for s in extra if s.how in ("feature", "cue") and id(s) not in kept_ids]
            for s in kept:
                taken.add(s.start, s.end)
            chosen += kept
        return (
            tuple(sorted((_with_prefix(text, s) for s in chosen), key=lambda s: s.start)),
            tuple(sorted((_with_prefix(text, s) for s in competing), key=lambda s: s.start)),
        )

    def _articled_spots(self, text: str) -> Iterator[Spot]:
        if self._articled_re is None:
            return
        for m in self._articled_re.finditer(text):
            ids = self.articled[m.group(1).lower()]
            yield Spot(m.start(), m.end(), m.group(0), ids, 1.0, "name")

    def _acronym_spots(self, text: str) -> Iterator[Spot]:
        if self._acronym_re is None:
            return
        for m in self._acronym_re.finditer(text):
            yield Spot(m.start(), m.end(), m.group(0), self.acronyms[m.group(0)], 1.0, "name")

    def _descriptive_spots(self, text: str) -> Iterator[Spot]:
        """ "Syria's commercial hub": the descriptive name, with the country kept apart."""
        index = self.gaz.name_index()
        for m in _OWNER_TAIL.finditer(text):
            words = m.group("tail").split()
            for n in range(len(words), 0, -1):
                tail = " ".join(words[:n])
                ids = index.get(normalize_name(f"the country's {tail}"))
                if ids:
                    start = m.start("tail")
                    end = start + text[start:].index(words[n - 1]) + len(words[n - 1])
                    yield Spot(start, end, text[start:end], ids, 0.9, "descriptive", True)
                    break

    def _automaton_spots(self, text: str, held: list[Spot] | None = None) -> Iterator[Spot]:
        """Gazetteer names found by the automaton; a one-word name that looks like the end of
        a person's name ("Atman al-Hrak": "X al-" before it) goes to ``held`` instead."""
        folded = fold_text(text)
        ft, idx = folded.text, folded.index
        n = len(ft)
        for end_pos, (norm, ids) in self.automaton.iter(ft):
            budget.check()
            start_pos = end_pos - len(norm) + 1
            if start_pos > 0 and ft[start_pos - 1] != " ":
                continue
            tail = end_pos + 1
            if tail < n and ft[tail] != " ":
                # a possessive whose apostrophe was lost: "Syrias", "Aleppos"
                if not (ft[tail] == "s" and (tail + 1 == n or ft[tail + 1] == " ")):
                    continue
                if text[idx[end_pos] + 1] != "s":  # "Syria's": the surface stops at "Syria"
                    tail = end_pos + 1
                else:
                    tail = end_pos + 2
            start = idx[start_pos]
            end = idx[tail - 1] + 1
            surface = text[start:end]
            descriptive = norm.startswith("the ")
            sink = None
            if not descriptive and not _plausible(text, start, surface, norm, self.gaz, ids):
                if held is None or not _plausible(
                    text, start, surface, norm, self.gaz, ids, particle_ok=True
                ):
                    continue
                sink = held
            variants = (
                ()
                if descriptive
                else tuple(i for i in self.keys.get(name_keys(surface)[0], ()) if i not in ids)
            )
            spot = Spot(
                start,
                end,
                surface,
                ids,
                1.0 if surface.casefold() == norm else 0.95,
                "name",
                descriptive,
                variants,
            )
            if sink is None:
                yield spot
            else:
                sink.append(spot)

    def _key_spots(self, text: str, covered: SpanIndex) -> Iterator[Spot]:
        """Spelling variants among capitalised words; spans inside a name the automaton found
        cannot win (the longer span does) and are not tried."""
        for m in _CAP_RUN.finditer(text):
            budget.check()
            cue = _CUE_TAIL.match(text, m.end())
            run = text[m.start() : cue.end()] if cue else m.group(0)
            words = list(re.finditer(r"[A-Za-z\u00c0-\u024f][\w\u2019'\u2018]*", run))
            for size in range(min(5, len(words)), 0, -1):
                for i in range(len(words) - size + 1):
                    s = m.start() + words[i].start()
                    e = m.start() + words[i + size - 1].end()
                    if covered and covered.contains(s, e):
                        continue
                    surface = text[s:e]
                    if "\n" in surface:
                        continue  # "Online\n\nSyria": a name never runs over a line break
                    if surface.split(maxsplit=1)[0].lower() in _ENGLISH_ARTICLES:
                        continue  # "The US": a spelling variant never starts with "the"
                    if words[i + size - 1].group(0).lower() in ARABIC_ARTICLES:
                        # "Atman al" of "Atman al-Hrak": a name never ends with the article of
                        # the next one; such a span would only crowd out "Atman"
                        continue
                    norm = normalize_name(surface)
                    if not norm or norm in STOPWORDS or norm in GENERIC or len(norm) < 4:
                        continue
                    key, skel = name_keys(surface)
                    by_skeleton = self.skeletons.get(skel, ()) if len(skel) >= SKELETON_MIN else ()
                    # a short skeleton ("Khalsa": hls) names a place only near another one the
                    # sentence names: the resolver keeps those places or drops the span
                    # (never over a name the automaton found: "Syria's" is Syria)
                    short = (
                        self.short_skeletons.get(skel, ())
                        if size == 1
                        and not (
                            covered and (covered.contains(s, s + 1) or covered.contains(e - 1, e))
                        )
                        else ()
                    )
                    if key not in self.keys and not by_skeleton and not short:
                        continue
                    if not surface[:1].isupper() or not _plausible(
                        text, s, surface, norm, self.gaz, ()
                    ):
                        continue
                    if key in self.keys:
                        # the skeleton's places stay in the running: context may prefer them
                        others = tuple(i for i in by_skeleton if i not in self.keys[key])
                        yield Spot(s, e, surface, self.keys[key], 0.9, "key", False, others)
                    elif by_skeleton:
                        yield Spot(s, e, surface, by_skeleton, 0.8, "skeleton")
                    else:
                        yield Spot(s, e, surface, short, 0.8, "short")


# "the Zzyzx district", "the Bustan and Karm Jabal quarters": names the gazetteer may
# lack, made places by the word after them. A list of up to three capitalised words a name
# ("al-", "el-" ... may join them), the names joined by "," "and" "&" (and "the"), then the cue.
# Matched by walking back over tokens from each cue, never by a regex over the names (nested
# quantifiers over the same letters backtrack exponentially on a run of capitalised words).
_CUE_WORD = re.compile(r"(?<=\s)(?:district|neighbou?rhood|quarter|suburb)s?\b")
_TOKEN = re.compile(r"[\w'\u2019-]+|[,&]")
_JOINERS = frozenset({",", "&", "and"})
_PARTICLES = tuple(a + "-" for a in ARABIC_ARTICLES)
#: How far back from a cue a list of names may start (tokens).
_CUE_LOOKBACK = 40


def _is_name_word(tok: str) -> bool:
    return len(tok) >= 2 and "A" <= tok[0] <= "Z"


def _unknown_spots(text: str) -> Iterator[Spot]:
    if not _CUE_WORD.search(text):
        return
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    starts = [a for a, _ in tokens]
    done = 0  # a cue's list never reaches back over an earlier cue's list
    for cue in _CUE_WORD.finditer(text):
        last = bisect.bisect_left(starts, cue.start()) - 1
        if last < done or not _only_space(text, tokens[last][1], cue.start()):
            continue
        names = _cued_names(text, tokens, last, max(done, last - _CUE_LOOKBACK))
        done = last + 1
        for start, end in names:
            surface = text[start:end]
            norm = normalize_name(surface)
            if not norm or norm in STOPWORDS or norm.split()[0] in STOPWORDS or len(norm) < 3:
                continue
            yield Spot(start, end, surface, (), 0.0, "cue")


#: A feature's name after its head ("the Faculty of Dentistry"): up to three capitalised words.
_NAME_AFTER = re.compile(
    r"(?:(?:al|el|Al|El)[-\s])?[A-Z][\w'\u2019-]*(?:\s+(?:(?:al|el)[-\s])?[A-Z][\w'\u2019-]*){0,2}"
)
#: "base 46 km north": a number followed by a unit is a distance, not a feature's number.
_UNIT_AFTER = re.compile(r"\s*(?:km|kms|kilomet|mi\b|miles|m\b|met(?:er|re)s|%|percent)", re.I)
_ACRONYM_WORD = re.compile(r"[A-Z]{2,6}s?")


def _feature_name_ok(name: str) -> bool:
    """Whether the name part of a feature can be a proper name ("Quwatli"): not a common
    word, a weekday, a group's adjective ("Russian base") or an acronym ("ISIS checkpoint")."""
    norm = normalize_name(name)
    if not norm or len(norm) < 3 or any(_ACRONYM_WORD.fullmatch(w) for w in name.split()):
        return False
    return norm not in STOPWORDS and norm.split()[0] not in STOPWORDS


def _feature_spots(text: str) -> Iterator[Spot]:
    """Named features no list may have, by their head noun (:mod:`.heads`): "Quwatli Street",
    "the Rahmoun and Jazmati farms", "the Faculty of Dentistry", "Base 46", "the 46th
    Regiment". The span covers the name and the head; its candidates are found later."""
    patterns = head_patterns()
    tokens: list[tuple[int, int]] | None = None
    starts: list[int] = []
    pat = patterns.get("name-head")
    for m in pat.finditer(text) if pat is not None else ():
        budget.check()
        head = head_of(m.group("head"), "name-head")
        if head is None or not head.written_right(m.group("head")):
            continue
        if tokens is None:
            tokens = [(t.start(), t.end()) for t in _TOKEN.finditer(text)]
            starts = [a for a, _ in tokens]
        last = bisect.bisect_left(starts, m.start()) - 1
        if last < 0 or not _only_space(text, tokens[last][1], m.start()):
            continue
        names = _cued_names(text, tokens, last, max(0, last - 12))
        for i, (start, end) in enumerate(names):
            if not _feature_name_ok(text[start:end]):
                continue
            if i < len(names) - 1 and (
                m.group("head").lower() == head.words[0]
                or any(
                    head_of(text[start:end].split()[-1], f) for f in ("name-head", "head-number")
                )
            ):
                # "the X and Y streets" lists two; "X and Y crossroad" names one by Y, and in
                # "the X Farms and the Y Road", "X Farms" is a feature of its own
                continue
            end = m.end() if i == len(names) - 1 else end
            yield Spot(start, end, text[start:end], (), 0.0, "feature", head=head.id)
    pat = patterns.get("head-of-name")
    for m in pat.finditer(text) if pat is not None else ():
        head = head_of(m.group("head"), "head-of-name")
        name = _NAME_AFTER.match(text, m.end())
        if head is None or name is None or not head.written_right(m.group("head")):
            continue
        if not _feature_name_ok(name.group(0)):
            continue
        yield Spot(
            m.start(), name.end(), text[m.start() : name.end()], (), 0.0, "feature", head=head.id
        )
    for form in ("head-number", "ordinal-head"):
        pat = patterns.get(form)
        for m in pat.finditer(text) if pat is not None else ():
            head = head_of(m.group("head"), form)
            if head is None or not head.written_right(m.group("head")):
                continue
            if _UNIT_AFTER.match(text, m.end()):
                continue
            yield Spot(m.start(), m.end(), m.group(0), (), 0.0, "feature", head=head.id)


def _only_space(text: str, a: int, b: int) -> bool:
    return a < b and not text[a:b].strip()


def _particle_cap(tok: str) -> int:
    """Where the capitalised part of "al-Sayyed" starts (0 when ``tok`` is no such token)."""
    if tok.lower().startswith(_PARTICLES):
        cut = tok.index("-") + 1
        if _is_name_word(tok[cut:]):
            return cut
    return 0


def _cued_names(
    text: str, tokens: list[tuple[int, int]], last: int, floor: int
) -> list[tuple[int, int]]:
    """The names of the list that ends with token ``last``, in text order. Walking backwards: a
    name is up to three capitalised words ("al-"/"el-" words and a spaced "al"/"el" may join
    them); names are joined by "," "and" "&" (and "the"); a list stops where a name cannot start
    (a lower-case word, or a run of capitals longer than three words)."""

    def tok(k: int) -> str:
        return text[tokens[k][0] : tokens[k][1]]

    names: list[tuple[int, int]] = []
    i = last
    while i >= floor:
        words: list[int] = []
        j = i
        while j >= floor and len(words) < 3:
            word = tok(j)
            if not (_is_name_word(word) or _particle_cap(word)):
                break
            words.append(j)
            j -= 1
            if (
                j - 1 >= floor
                and tok(j) in SPACED_ARTICLES
                and _is_name_word(word)
                and (_is_name_word(tok(j - 1)) or _particle_cap(tok(j - 1)))
            ):
                j -= 1  # "Tall al Sayyed": the particle joins two words of one name
        first = words[-1] if words else -1
        if not words:
            break
        cap = _particle_cap(tok(first))
        names.append((tokens[first][0] + cap, tokens[words[0]][1]))
        if cap:
            break  # a name that starts inside "al-Sayyed" cannot follow a joiner
        k = first - 1
        if k >= floor and tok(k) == "the":
            k -= 1
        if k < floor or tok(k) not in _JOINERS:
            break
        i = k - 1
    return names[::-1]


#: "Atman al-Hrak", "al-Rashidin al-Ramouseh": the article before a name, after a name.
_ARTICLE_BEFORE = re.compile(
    r"(?<=\s)(?:" + "|".join(_RUN_ARTICLES) + r")[-\s]$",
    re.I,
)
_ARTICLED_WORD_BEFORE = re.compile(
    r"(?<![\w'\u2019-])(?:" + "|".join(_RUN_ARTICLES) + r")-[A-Z][\w'\u2019-]+\s$",
    re.I,
)
#: "... al-Rashdiyeh and al-Hweiqa": the held name is followed by "and" (or a comma) and a name
#: with the article: a list, not a person's surname
_ARTICLED_WORD_AFTER = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:" + "|".join(_RUN_ARTICLES) + r")-[A-Z]",
    re.I,
)
#: Rule id of a name taken in a list whose commas were lost ("Atman al-Hrak"), where "X al-"
#: before it would otherwise read as a person's name.
LISTED_AFTER_NAME_RULE = "listed-after-name"


def _listed_after_names(text: str, held: list[Spot], named: list[Spot]) -> list[Spot]:
    """The held names ("Hrak" of "Atman al-Hrak") that follow, article between, a name that is
    a place ("Atman") or itself carries the article ("al-Rashidin al-Ramouseh"), or that another
    name with the article follows after "and" ("X al-Hrak and al-Y"): a list whose commas were
    lost, not a person (a person's first name has no article)."""
    ends = {s.end for s in named}
    out: list[Spot] = []
    for spot in sorted(held, key=lambda s: s.start):
        article = _ARTICLE_BEFORE.search(text, max(0, spot.start - 4), spot.start)
        if article is None:
            continue
        p = article.start()
        if (
            p - 1 in ends
            or _ARTICLED_WORD_BEFORE.search(text, max(0, p - 40), p)
            or _ARTICLED_WORD_AFTER.match(text, spot.end)
        ):
            rule = f"{LISTED_AFTER_NAME_RULE}:article={article.group(0)[:-1].lower()}"
            out.append(replace(spot, rules=(*spot.rules, rule)))
            ends.add(spot.end)
    return out


def _plausible(
    text: str,
    start: int,
    surface: str,
    norm: str,
    gaz: Gazetteer,
    ids: tuple[str, ...],
    *,
    particle_ok: bool = False,
) -> bool:
    if not surface[:1].isupper():
        # "eastern Ghouta", "western Aleppo" written in lower case: the name is the rest
        first, _, rest = surface.partition(" ")
        if not (first.lower() in _DIRECTIONS and rest[:1].isupper()):
            return False
    if " " not in norm:
        if norm in STOPWORDS or norm in GENERIC:
            return False
        before = text[max(0, start - 40) : start]
        if (not particle_ok and _PERSON_PARTICLE.search(before)) or _TITLES.search(before):
            return False
        if ids and len(norm) < 4 and all(gaz.get(i).kind == "village" for i in ids):
            return False
    return True


# The Arabic article written before a name is part of it ("al-Ramouseh", "al Mallah Farms"), and
# so is "province of" before a governorate's name: the mention's span starts there.
_PREFIX = re.compile(
    r"(?:(?<![\w'\u2019-])(?:"
    + "|".join(f"[{a[0].upper()}{a[0]}]{a[1:]}" for a in ARABIC_ARTICLES)
    + r")-|(?<![\w'\u2019-])(?:"
    + "|".join(sorted(SPACED_ARTICLES))
    + r") |\b(?:province|governorate) of )$"
)


def _with_prefix(text: str, spot: Spot) -> Spot:
    if spot.descriptive or spot.start == 0:
        return spot
    housing = _HOUSING_BEFORE.search(text, max(0, spot.start - 12), spot.start)
    if housing is not None:
        return replace(spot, start=housing.start(), surface=text[housing.start() : spot.end])
    m = _PREFIX.search(text, max(0, spot.start - 20), spot.start)
    if m is None:
        return spot
    return replace(spot, start=m.start(), surface=text[m.start() : spot.end])


def _span(spot: Spot) -> tuple[int, int]:
    return spot.start, spot.end


def _rank(spot: Spot) -> tuple[float, ...]:
    return (-spot.score,)


def spotter_for(gaz: Gazetteer) -> Spotter:
    """The spotter of a gazetteer, built once per gazetteer (by identity and data version)."""
    return _spotter(gaz, gaz.version)


@lru_cache(maxsize=4)
def _spotter(gaz: Gazetteer, version: str) -> Spotter:
    # keyed by the gazetteer itself (hashed by identity: Gazetteer defines no __eq__) and its
    # version; the cache holds the gazetteer, so its identity cannot be reused while cached
    return Spotter(gaz)
