"""Who did a happening, and whether a clause reports one, read off the dependency parse.

The language model's tokens (:class:`geomap.extraction.nlp.Token`: lemma, part of speech,
relation to the head, morphology, negation) give, for a trigger word:

- its **agent** (:func:`agent`): the subject of an active verb ("rebels shelled X"), the "by"
  phrase of a passive one ("X was shelled by regime forces"), the subject of the verb a
  participle or a second verb hangs on ("rebels fired shells, killing four"; "rebels stormed X
  and seized Y"), or the modifiers of a trigger noun ("Russian air strikes", "regime
  shelling", "shelling by rebels", "jets carried out strikes");
- its **patients** (:func:`patients`): the object, the passive subject and the "on/in/at/
  against" phrases: what was hit, never who acted ("attacked an army checkpoint");
- whether its clause is **background** (:func:`background`): negated ("did not shell",
  "denied shelling"), modal or future ("would be", "must stop", "could strike"), an intention
  or a threat ("threatened to storm", "vowed to retake"), habitual ("is regularly targeted",
  "shelled daily", "in recent months"), or dated to an earlier year of its own ("In 2014 X took
  Y", "since 2012").

Every answer carries a rule id with its arguments (``actor:rel=nsubj``,
``background:rule=modal``) that the event records in :attr:`geomap.model.Event.rules`. The words
are data (the sets below), the decisions are the relations: no rule names an article's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from geomap.extraction.nlp import Analysis, Token

#: Relations of an active subject.
_SUBJECTS = frozenset({"nsubj", "csubj"})
#: Relations of a passive subject (the patient).
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
#: Modifiers of a trigger noun that name who acted ("Russian air strikes", "regime shelling",
#: "the army's assault").
_NOUN_AGENTS = frozenset({"poss", "amod", "compound", "nmod"})
#: Relations by which a verb without a subject of its own shares the subject of its head
#: ("continued to pound", "and seized", ", killing four").
_SHARED_SUBJECT = frozenset({"xcomp", "conj", "advcl"})
#: Verbs whose object names the happening their subject did ("jets carried out strikes",
#: "rebels launched an assault").
_SUPPORT_VERBS = frozenset(
    {
        "carry",
        "launch",
        "conduct",
        "stage",
        "mount",
        "wage",
        "unleash",
        "intensify",
        "renew",
        "step",
        "resume",
        "continue",
        "begin",
        "start",
        "fire",
        "drop",
        "perform",
        "execute",
        "open",
    }
)
#: Prepositions whose object is what a verb's agent used ("with mortar rounds").
_INSTRUMENT_PREPS = frozenset({"with", "using"})
#: Prepositions whose object is where the happening took place or what it hit.
_PATIENT_PREPS = frozenset({"on", "in", "at", "against", "near", "inside", "into", "upon"})
#: Modal auxiliaries: the clause says what may, must or will happen, not what did.
_MODALS = frozenset({"will", "would", "could", "should", "may", "might", "must", "shall"})
#: Verbs of perception: "explosions could be heard" reports what was heard, not a possibility.
_PERCEPTION_VERBS = frozenset({"hear", "see", "feel", "smell", "witness"})
#: Verbs whose complement ("threatened to storm X") names an intention, a warning or a demand.
_INTENT_VERBS = frozenset(
    {
        "threaten",
        "warn",
        "vow",
        "plan",
        "intend",
        "prepare",
        "aim",
        "expect",
        "hope",
        "want",
        "seek",
        "try",
        "attempt",
        "fail",
        "demand",
        "urge",
        "call",
        "pledge",
        "promise",
        "need",
        "refuse",
        "fear",
        "deny",
    }
)
#: Verbs that deny their complement ("denied shelling the town", "denied there had been
#: advances").
_DENIAL_VERBS = frozenset({"deny", "refute", "dismiss", "reject"})
#: Verbs of ending: their negation says the happening went on ("did not stop the shelling").
_ENDING_VERBS = frozenset({"stop", "halt", "end", "cease", "suspend", "pause", "interrupt"})
#: Adverbs of habit: the clause tells what keeps happening, not a happening.
_HABITUAL_ADVERBS = frozenset(
    {
        "regularly",
        "routinely",
        "frequently",
        "repeatedly",
        "habitually",
        "daily",
        "often",
        "usually",
        "constantly",
        "continually",
        "periodically",
        "nightly",
        "weekly",
        "typically",
    }
)
#: "in recent months", "for years", "over the past weeks": a stretch of time, not a day.
_STRETCH_NOUNS = frozenset({"week", "month", "year", "decade"})
_STRETCH_MODIFIERS = frozenset({"recent", "past", "last", "several", "many", "few"})
_YEAR = re.compile(r"^(?:(?:mid|early|late)-)?((?:19|20)\d\d)$", re.I)
#: Verbs of going on: "since then" after them is a stretch, not a happening's window.
_CONTINUING_VERBS = frozenset(
    {"continue", "intensify", "escalate", "persist", "increase", "rage", "mount", "worsen"}
)
#: Words whose complement did not happen ("have been unable to complete the encirclement by
#: capturing ...", "failed to storm").
_FAILURE_WORDS = frozenset({"unable", "fail"})
#: Verbs of having or handing over: a weapon as their object is a thing, not its use ("the
#: base holds planes, tanks and artillery").
_HOLDING_VERBS = frozenset(
    {
        "hold",
        "possess",
        "own",
        "store",
        "stockpile",
        "contain",
        "acquire",
        "receive",
        "supply",
        "provide",
        "deliver",
        "sell",
        "buy",
        "smuggle",
        "equip",
    }
)
#: "raised concerns", "sparked fears": what a happening caused, said of one told elsewhere
_CONCERN_VERBS = frozenset({"raise", "spark", "prompt", "fuel", "heighten", "stoke", "deepen"})
_CONCERNS = frozenset({"concern", "fear", "alarm", "worry", "question", "outcry", "anger"})
#: "the cessation of hostilities", "an end to the fighting": the happening's ending, no happening
_ENDING_NOUNS = frozenset({"cessation", "end", "halt", "suspension", "stop", "pause", "lull"})
#: Reporting a happening with a definite article: one told before ("reported the attacks")
_REPORTING_VERBS = frozenset({"report", "confirm", "condemn", "denounce", "blame", "document"})
_DEFINITE_DETS = frozenset({"the", "this", "these", "those", "that"})
#: "battling for survival": a struggle in words, not in arms
_FIGURATIVE_STAKES = frozenset({"survival", "existence", "votes", "attention", "influence"})
#: "prepared for assaults", "called for strikes": a happening to come
_PREPARING_VERBS = frozenset({"prepare", "plan", "call", "mobilize", "mobilise", "brace", "ready"})
#: "The bombings came as ...": a happening told before, set beside another
_FOLLOWING_VERBS = frozenset({"come"})
#: Adverbs that put a participle's happening before the news: "seized earlier", "taken ago"
_PAST_ADVERBS = frozenset({"earlier", "ago", "previously", "before", "formerly", "once"})
#: Nouns of places a side can take ("took the village", "the town was taken")
_PLACE_NOUNS = frozenset(
    {
        "village",
        "town",
        "city",
        "neighbourhood",
        "neighborhood",
        "district",
        "suburb",
        "quarter",
        "hill",
        "hilltop",
        "base",
        "airbase",
        "airport",
        "checkpoint",
        "crossing",
        "road",
        "highway",
        "bridge",
        "dam",
        "oilfield",
        "mountain",
        "farm",
        "area",
        "region",
        "position",
        "post",
        "outpost",
        "station",
        "camp",
    }
)
#: Nouns a weapon names as its modifier without being used: "artillery school".
_UNIT_NOUNS = frozenset(
    {
        "school",
        "academy",
        "college",
        "base",
        "brigade",
        "battalion",
        "regiment",
        "division",
        "unit",
        "factory",
        "battery",
        "barracks",
        "museum",
        "corps",
        "company",
        "depot",
        "zone",
        "deal",
        "agreement",
        "talks",
        "monitor",
        "committee",
        "center",
        "centre",
    }
)
#: Agreements are a happening only when they come into force ("a truce took hold"); named
#: otherwise ("the truce collapsed", "breaches of the ceasefire") they are the news' setting.
_AGREEMENT_NOUNS = frozenset({"ceasefire", "cease-fire", "truce"})
_COMING_INTO_FORCE = frozenset({"take", "begin", "start", "come", "go", "enter", "announce"})


@dataclass(frozen=True, slots=True)
class Agent:
    """The words that name who did a happening: ``text[start:end]``, found by ``rel``."""

    start: int
    end: int
    rel: str  # nsubj, by, shared-nsubj, relcl, modifier, support-nsubj

    def rule(self) -> str:
        return f"actor:rel={self.rel}"


def head_token(analysis: Analysis, start: int, end: int) -> int | None:
    """The token of ``[start, end)`` (document offsets) whose head lies outside the span: the
    head of a multi-word trigger ("air strikes" -> strikes)."""
    tokens = analysis.tokens
    inside = analysis.token_range(start, end)
    for i in inside:
        h = tokens[i].head
        if h == i or not start <= tokens[h].start < end:
            # "mortar" in "mortar rounds", "rocket" in "rocket shells": the noun it modifies
            for _ in range(3):
                if tokens[i].dep != "compound" or tokens[i].head == i:
                    break
                i = tokens[i].head
            return i
    return None


def subtree(analysis: Analysis, i: int) -> tuple[int, int]:
    """The document offsets the token ``i`` and all its dependents cover."""
    lo, hi = analysis.tokens[i].start, analysis.tokens[i].end
    stack = [i]
    while stack:
        j = stack.pop()
        tok = analysis.tokens[j]
        lo, hi = min(lo, tok.start), max(hi, tok.end)
        stack.extend(analysis.children[j])
    return lo, hi


def _children(analysis: Analysis, i: int, deps: frozenset[str]) -> Iterator[int]:
    return (j for j in analysis.children[i] if analysis.tokens[j].dep in deps)


def _is_verb(tok: Token) -> bool:
    return tok.pos in ("VERB", "AUX")


def _passive(analysis: Analysis, i: int) -> bool:
    return any(
        analysis.tokens[j].dep in _PASSIVE_SUBJECTS or analysis.tokens[j].dep == "auxpass"
        for j in analysis.children[i]
    )


def _verb_agent(analysis: Analysis, i: int, depth: int = 0) -> Agent | None:
    tokens = analysis.tokens
    for j in _children(analysis, i, frozenset({"agent"})):
        for k in _children(analysis, j, frozenset({"pobj"})):
            return Agent(*subtree(analysis, k), "by")
    if _passive(analysis, i):
        return None  # "X was shelled": the subject is what was hit
    for j in _children(analysis, i, _SUBJECTS):
        if tokens[j].lemma.lower() in ("who", "which", "that") and tokens[i].dep == "relcl":
            return Agent(*_noun_phrase(analysis, tokens[i].head), "relcl")
        return Agent(*subtree(analysis, j), "nsubj")
    head = tokens[i].head
    if depth < 3 and head != i and tokens[i].dep in _SHARED_SUBJECT and _is_verb(tokens[head]):
        found = _verb_agent(analysis, head, depth + 1)
        if found is not None:
            return Agent(found.start, found.end, "shared-" + found.rel.removeprefix("shared-"))
    return None


#: People who act for no side the report names ("killed by a sniper", "gunmen attacked").
_UNNAMED_AGENT_NOUNS = frozenset(
    {
        "sniper",
        "gunman",
        "gunmen",
        "assailant",
        "attacker",
        "bomber",
        "kidnapper",
        "abductor",
        "shooter",
        "perpetrator",
    }
)
#: Modifiers that say the report does not know who acted ("unidentified gunmen").
_UNKNOWN_MODIFIERS = frozenset({"unidentified", "unknown", "unnamed", "masked", "anonymous"})


def unnamed_agent(analysis: Analysis, start: int, end: int) -> str | None:
    """The head word of an agent in ``[start, end)`` (document offsets) that names someone of
    no side ("was killed by a sniper", "unidentified gunmen attacked"): the clause has an
    agent of its own, so none named before carries over to it."""
    tokens = analysis.tokens
    for i in analysis.token_range(start, end):
        if not _is_verb(tokens[i]):
            continue
        found = _verb_agent(analysis, i)
        if found is None or found.rel.startswith("shared") or found.rel == "relcl":
            continue
        h = head_token(analysis, found.start, found.end)
        if h is None:
            continue
        lemma = tokens[h].lemma.lower()
        if lemma in _UNNAMED_AGENT_NOUNS:
            return lemma
        if any(tokens[k].lemma.lower() in _UNKNOWN_MODIFIERS for k in analysis.children[h]):
            return lemma
    return None


#: Verbs of fighting whose "alongside" phrase names an ally ("rebels are fighting alongside X").
_FIGHT_VERBS = frozenset({"fight", "battle"})


def allies(
    analysis: Analysis, start: int, end: int
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (fighter, ally) spans of the "X fight(s) alongside Y" clauses in ``[start, end)``
    (document offsets): who fights beside whom, whatever the sentence reports of it."""
    tokens = analysis.tokens
    out = []
    for i in analysis.token_range(start, end):
        if not _is_verb(tokens[i]) or tokens[i].lemma.lower() not in _FIGHT_VERBS:
            continue
        who = _verb_agent(analysis, i)
        if who is None:
            continue
        for j in _children(analysis, i, frozenset({"prep"})):
            if tokens[j].lemma.lower() != "alongside":
                continue
            # the words after "alongside", up to a clause of their own (the small model often
            # hangs the ally's name on the clause after it)
            last = j
            for k in range(j + 1, min(j + 9, len(tokens))):
                tok = tokens[k]
                if tok.start >= end or tok.lemma.lower() in ("which", "who", "that", "and"):
                    break
                if tok.pos in ("PUNCT", "AUX") and tok.tag != "HYPH":
                    break
                if tok.pos == "VERB" and tok.dep != "amod":
                    break
                last = k
            if last > j:
                out.append(((who.start, who.end), (tokens[j + 1].start, tokens[last].end)))
    return out


def clause_rest(analysis: Analysis, i: int) -> list[tuple[int, int]]:
    """The spans of verb ``i``'s dependents but its subject and the clauses with a subject of
    their own ("took X, leaving dozens of militants dead": the militants; "took X after IS
    retreated": not IS, told of in a clause of its own)."""
    tokens = analysis.tokens
    out = []
    for j in analysis.children[i]:
        tok = tokens[j]
        if tok.dep in _SUBJECTS | _PASSIVE_SUBJECTS or tok.dep in ("punct", "aux", "auxpass"):
            continue
        lo, hi = subtree(analysis, j)
        for k in analysis.token_range(lo, hi):  # a finite clause of its own ends it
            if _finite_clause(analysis, k):
                hi = min(hi, subtree(analysis, k)[0])
        if hi <= lo:
            continue
        out.append((lo, hi))
    return out


def _finite_clause(analysis: Analysis, k: int) -> bool:
    """Whether token ``k`` heads a finite clause with a subject ("after IS retreated", "which
    rebels had besieged"); not a participle ("leaving dozens dead")."""
    tokens = analysis.tokens
    return tokens[k].tag != "VBG" and any(tokens[m].dep in _SUBJECTS for m in analysis.children[k])


def both_sides(analysis: Analysis, start: int, end: int) -> bool:
    """Whether ``[start, end)`` (document offsets) speaks of both sides of a fight ("left
    dozens dead on both sides", "losses on each side", "the two sides")."""
    tokens = analysis.tokens
    return any(
        tokens[i].lemma.lower() == "side"
        and any(tokens[k].lemma.lower() in ("both", "two", "each") for k in analysis.children[i])
        for i in analysis.token_range(start, end)
    )


#: Nouns by which a report names again a group it named before ("the group fired rockets").
_GROUP_NOUNS = frozenset(
    {"group", "movement", "faction", "organisation", "organization", "alliance", "coalition"}
)


#: Verbs of saying: "X said it had begun an offensive": "it" is X.
_SAYING_VERBS = frozenset({"say", "announce", "claim", "state", "declare", "report", "confirm"})


def speaker(analysis: Analysis, found: Agent) -> tuple[int, int] | None:
    """The subject of the verb of saying whose report the pronoun agent ``found`` acts in ("the
    faction said it had begun an offensive", "the army said they shelled X"): who "it" is."""
    tokens = analysis.tokens
    h = head_token(analysis, found.start, found.end)
    if h is None or tokens[h].pos != "PRON" or tokens[h].lemma.lower() not in ("it", "they"):
        return None
    v = tokens[h].head
    for _ in range(3):
        if tokens[v].dep not in ("conj", "xcomp") or tokens[v].head == v:
            break
        v = tokens[v].head
    said = tokens[v].head
    if tokens[v].dep != "ccomp" or tokens[said].lemma.lower() not in _SAYING_VERBS:
        return None
    for j in _children(analysis, said, _SUBJECTS):
        return phrase(analysis, j)
    return None


def refers_back(analysis: Analysis, found: Agent) -> bool:
    """Whether the agent ``found`` names again a group told before: "it", or "the group",
    "the movement", "the faction" ("The group has fired rockets before, when it ...")."""
    tokens = analysis.tokens
    h = head_token(analysis, found.start, found.end)
    if h is None:
        return False
    tok = tokens[h]
    lemma = tok.lemma.lower()
    if tok.pos == "PRON":
        return lemma == "it"
    return (
        lemma in _GROUP_NOUNS
        and any(
            tokens[k].dep == "det" and tokens[k].lemma.lower() == "the"
            for k in analysis.children[h]
        )
        and not any(tokens[k].dep in ("compound", "amod", "poss") for k in analysis.children[h])
    )


def _noun_phrase(analysis: Analysis, i: int) -> tuple[int, int]:
    """A noun with its modifiers before it (not its relative clause or its phrases after)."""
    tok = analysis.tokens[i]
    lo = tok.start
    for j in analysis.children[i]:
        if analysis.tokens[j].start < tok.start:
            lo = min(lo, subtree(analysis, j)[0])
    return lo, tok.end


def agent(
    analysis: Analysis,
    i: int,
    trigger: tuple[int, int] | None = None,
    *,
    modifiers: bool = True,
) -> Agent | None:
    """Who did the happening the token ``i`` names, if the parse says (see the module).
    ``trigger``: the offsets of the trigger's words (their own modifiers, "mortar" of "mortar
    rounds", name no agent). ``modifiers=False``: not a trigger noun's modifiers (for when
    they name no one: "such barrages", "heavy shelling")."""
    tokens = analysis.tokens
    tok = tokens[i]
    first = trigger[0] if trigger else tok.start
    if _is_verb(tok):
        governor = tokens[tok.head]
        before = analysis.token_range(0, first)
        if (
            tok.tag == "VBG"
            and tok.dep == "acl"
            and governor.pos in ("NOUN", "PROPN")
            and len(before) > 0
            and before[-1] == tok.head
        ):  # "regime shelling" read as a noun and a participle: the noun is a modifier
            return Agent(*_noun_phrase(analysis, tok.head), "modifier")
        return _verb_agent(analysis, i)
    for j in analysis.children[i]:
        child = tokens[j]
        if child.dep == "prep" and child.lemma.lower() == "by":
            for k in _children(analysis, j, frozenset({"pobj"})):
                return Agent(*subtree(analysis, k), "by")
        if child.dep == "acl" and _is_verb(child):  # "shells fired by rebels"
            found = _verb_agent(analysis, j)
            if found is not None and found.rel == "by":
                return found
    mods = [j for j in _children(analysis, i, _NOUN_AGENTS) if tokens[j].start < first]
    if mods and modifiers:
        return Agent(min(subtree(analysis, j)[0] for j in mods), tok.end, "modifier")
    head = tok.head
    of = tokens[head]
    if tok.dep == "pobj" and of.lemma.lower() == "of" and tokens[of.head].dep == "dobj":
        # "fired dozens of rockets": the rockets' verb is the one of their quantity
        tok, head = tokens[of.head], tokens[of.head].head
    if tok.dep == "dobj" and tokens[head].lemma.lower() in _SUPPORT_VERBS:
        found = _verb_agent(analysis, head)
        if found is not None:
            return Agent(found.start, found.end, "support-" + found.rel)
    if tok.dep == "nsubjpass" and tokens[head].lemma.lower() in _SUPPORT_VERBS:
        found = _verb_agent(analysis, head)  # "the raids were carried out by jets"
        if found is not None:
            return Agent(found.start, found.end, "support-" + found.rel)
    verb = tokens[head].head
    if (
        tok.dep == "pobj"
        and tokens[head].lemma.lower() in _INSTRUMENT_PREPS
        and _is_verb(tokens[verb])
    ):  # "attacked the post with mortar rounds": who used them
        found = _verb_agent(analysis, verb)
        if found is not None:
            return Agent(found.start, found.end, "instrument-" + found.rel)
    return None


def prenominal(analysis: Analysis, start: int) -> Agent | None:
    """The nouns and adjectives right before a trigger noun that starts at ``start`` ("died
    in rebel shelling", "regime barrel bombs"), whatever the parse made of them: the small
    model often attaches such a word elsewhere."""
    tokens = analysis.tokens
    before = analysis.token_range(0, start)
    words: list[int] = []
    for j in reversed(before):
        if len(words) == 3 or tokens[j].pos not in ("NOUN", "PROPN", "ADJ"):
            break
        if words and tokens[j].end != tokens[words[-1]].start - 1:
            break  # not one run of words
        words.append(j)
    if not words:
        return None
    return Agent(tokens[words[-1]].start, start, "prenominal")


#: Relations of a clause inside a phrase ("in X, where insurgents opened fire"): its words are
#: no part of what the phrase names.
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp"})


def phrase(analysis: Analysis, i: int) -> tuple[int, int]:
    """The offsets of the token ``i`` and its dependents, less a clause that hangs in it
    ("the village of X where militants opened fire": the village, not the militants) and what
    follows that clause."""
    tokens = analysis.tokens
    lo, hi = subtree(analysis, i)
    end = hi
    for j in analysis.token_range(lo, hi):
        if j != i and tokens[j].dep in _CLAUSES and _is_verb(tokens[j]):
            c0 = subtree(analysis, j)[0]
            if tokens[i].start < c0 < end:
                end = max(tokens[i].end, c0)
    return lo, end


def patients(analysis: Analysis, i: int) -> list[tuple[int, int]]:
    """The spans that name what the happening of token ``i`` hit: its object, its passive
    subject, the objects of its "on/in/at/against" phrases after it ("attacked an army
    checkpoint", "air strikes on government positions"); a phrase before a verb sets the scene
    ("In a statement, IS fighters attacked"), and a clause inside a phrase is no part of it
    ("in X, where militants opened fire")."""
    tokens = analysis.tokens
    out: list[tuple[int, int]] = []
    for j in analysis.children[i]:
        child = tokens[j]
        if child.dep in ("dobj", "nsubjpass", "attr"):
            out.append(phrase(analysis, j))
        elif (
            child.dep == "prep"
            and child.lemma.lower() in _PATIENT_PREPS
            and (child.start > tokens[i].start or not _is_verb(tokens[i]))
        ):
            out.append(phrase(analysis, j))
    return out


#: Prepositions whose object is the other side of a battle ("clashed with X", "fighting
#: against X", "clashes between A and B", "captured the village from X").
_OPPONENT_PREPS = frozenset({"with", "against", "between", "from"})


def opponents(analysis: Analysis, i: int) -> list[tuple[int, int]]:
    """The spans that name the other side of the battle token ``i`` names: its "with",
    "against", "between" and "from" phrases (not its object: "killed ten fighters" names
    victims, not a side)."""
    tokens = analysis.tokens
    out: list[tuple[int, int]] = []
    heads = [i]
    if tokens[i].lemma.lower() in _SUPPORT_VERBS:  # "launched an assault against X"
        heads += [j for j in analysis.children[i] if tokens[j].dep == "dobj"]
    for h in heads:
        for j in analysis.children[h]:
            child = tokens[j]
            if child.dep == "prep" and child.lemma.lower() in _OPPONENT_PREPS:
                out.append(phrase(analysis, j))
    head = tokens[i].head
    if tokens[i].dep == "dobj" and tokens[head].lemma.lower() in _DEFENCE_VERBS:
        # "troops repelled an attack by IS": who repelled it fought it
        out.extend(subtree(analysis, j) for j in _children(analysis, head, _SUBJECTS))
    return out


#: Verbs whose subject fought off the happening their object names ("repelled an attack").
_DEFENCE_VERBS = frozenset(
    {"repel", "repulse", "thwart", "foil", "fend", "resist", "counter", "confront", "block"}
)


#: Verbs whose object (or passive subject) is a victim ("killed ten fighters", "fighters
#: were killed"), never who acted.
_VICTIM_VERBS = frozenset(
    {
        "kill",
        "injure",
        "wound",
        "eliminate",
        "execute",
        "behead",
        "slay",
        "massacre",
        "abduct",
        "kidnap",
        "detain",
        "arrest",
        "capture",
        "target",
        "hit",
        "strike",
        "destroy",
    }
)


def one_sided(trigger_id: str) -> bool:
    """Whether a battle trigger (its id, "destroy-v") names a blow one side dealt ("destroyed
    a bulldozer", "targeted gatherings of militants"), whose target is what was hit, not a
    side that fought; also a killing that named no happening (no trigger id)."""
    return not trigger_id or trigger_id.split("-")[0] in _VICTIM_VERBS


def hit_spans(analysis: Analysis, i: int) -> list[tuple[int, int]]:
    """What the happening of the trigger token ``i`` hit (:func:`patients`), also the object
    of the verb it is the subject of ("jets hit an army post": the post)."""
    out = patients(analysis, i)
    tok = analysis.tokens[i]
    if tok.dep in _SUBJECTS and tok.head != i and _is_verb(analysis.tokens[tok.head]):
        for j in analysis.children[tok.head]:
            if analysis.tokens[j].dep == "dobj":
                out.append(phrase(analysis, j))
    return out


def victim_spans(analysis: Analysis, start: int, end: int) -> list[tuple[int, int]]:
    """The objects and passive subjects of the killing and hitting verbs in ``[start, end)``
    ("10 fighters were killed in air strikes": the fighters are victims)."""
    tokens = analysis.tokens
    out: list[tuple[int, int]] = []
    for i in analysis.token_range(start, end):
        if _is_verb(tokens[i]) and tokens[i].lemma.lower() in _VICTIM_VERBS:
            for j in analysis.children[i]:
                if tokens[j].dep in ("dobj", "nsubjpass"):
                    out.append(phrase(analysis, j))
    return out


def _clause_verb(analysis: Analysis, i: int) -> int:
    """The verb whose clause holds the token ``i`` (itself if a verb; for a noun, the verb it
    hangs on, through at most four heads)."""
    tokens = analysis.tokens
    j = i
    for _ in range(4):
        # a gerund used as a noun: "shelling has continued", "air strikes and shelling"
        nominal = tokens[j].tag == "VBG" and (
            tokens[j].dep in ("nsubj", "nsubjpass", "dobj", "pobj")
            or (tokens[j].dep == "conj" and tokens[tokens[j].head].pos == "NOUN")
        )
        if _is_verb(tokens[j]) and not nominal:
            return j
        if tokens[j].head == j:
            break
        j = tokens[j].head
    return j


def place_object(analysis: Analysis, i: int) -> bool:
    """Whether verb ``i`` takes a place: its object ("took X", "took the village of X"),
    or its subject when passive ("the village of X was taken"), is a proper name or a noun of
    place."""
    tokens = analysis.tokens
    deps = ("nsubjpass",) if _passive(analysis, i) else ("dobj",)
    for k in analysis.children[i]:
        tok = tokens[k]
        if tok.dep in deps and (
            (tok.pos == "PROPN" and tok.tag in ("NNP", "NNPS")) or tok.lemma.lower() in _PLACE_NOUNS
        ):
            return True
    return False


def definite(analysis: Analysis, start: int, end: int) -> bool:
    """Whether the trigger noun at ``[start, end)`` (document offsets) has a definite
    determiner ("the two explosions", "these attacks"): a happening told before."""
    i = head_token(analysis, start, end)
    return i is not None and any(
        analysis.tokens[k].dep == "det" and analysis.tokens[k].lemma.lower() in _DEFINITE_DETS
        for k in analysis.children[i]
    )


def governing_verbs(analysis: Analysis, v: int) -> list[int]:
    """The verbs whose clause the clause of verb ``v`` hangs on, nearest first, through a
    coordination, a complement or an adverbial clause ("died on Tuesday after the strike
    dropped ...": dropped -> died), at most three steps; a relative clause stops it."""
    tokens = analysis.tokens
    out = []
    cur = v
    for _ in range(3):
        if tokens[cur].dep not in ("conj", "xcomp", "advcl", "ccomp") or tokens[cur].head == cur:
            break
        cur = _clause_verb(analysis, tokens[cur].head)
        out.append(cur)
    return out


def clause_verb(analysis: Analysis, i: int) -> int:
    """The verb whose clause holds the token ``i`` (see :func:`_clause_verb`)."""
    return _clause_verb(analysis, i)


def background(analysis: Analysis, i: int, year: int | None = None) -> str | None:
    """Why the clause of the trigger token ``i`` reports no happening, as a rule id
    ("background:rule=negated"), or None when it reports one. ``year``: the year of the
    report (a clause dated to an earlier year of its own is background)."""
    tokens = analysis.tokens
    if tokens[i].negated:
        return "background:rule=negated"
    v = _clause_verb(analysis, i)
    chain = [v]  # the clause's verb and the verbs it is the complement of
    while len(chain) < 4:
        cur = chain[-1]
        head = tokens[cur].head
        if head == cur or tokens[cur].dep not in ("xcomp", "ccomp", "pcomp"):
            break
        chain.append(head)
    # "the shelling did not stop": a subject is not what its verb's negation denies
    subject = v != i and tokens[i].dep in _SUBJECTS | _PASSIVE_SUBJECTS
    # "did not halt its shelling": not ending a happening is its going on
    subject = subject or (v != i and tokens[v].lemma.lower() in _ENDING_VERBS)
    for n, c in enumerate(chain):
        tok = tokens[c]
        if (tok.negated and n < 2 and not (subject and n == 0)) or (
            n > 0 and tok.lemma.lower() in _DENIAL_VERBS
        ):
            return "background:rule=negated"
        if n > 0 and tok.lemma.lower() in _INTENT_VERBS and tokens[chain[n - 1]].dep == "xcomp":
            return f"background:rule=intent,verb={tok.lemma.lower()}"
        if n == 1:  # "have said in the past (that) their attacks ...": the saying's time
            for j in _children(analysis, c, frozenset({"prep"})):
                why = _time_phrase(analysis, j, year)
                if why:
                    return why
    why = _not_a_happening(analysis, i, v)
    if why:
        return why
    perfect = any(
        tokens[j].dep == "aux" and tokens[j].lemma.lower() == "have" for j in analysis.children[v]
    )
    for j in analysis.children[v]:
        child = tokens[j]
        lemma = child.lemma.lower()
        if perfect and _since_clause(analysis, j, tokens[v].lemma.lower()):
            return "background:rule=since"
        if (
            child.dep == "aux"
            and child.tag == "MD"
            and lemma in _MODALS
            and tokens[v].lemma.lower() not in _PERCEPTION_VERBS
        ):
            return f"background:rule=modal,aux={lemma}"
        if child.dep in ("advmod", "npadvmod") and lemma in _HABITUAL_ADVERBS:
            return f"background:rule=habitual,adv={lemma}"
        if child.dep == "prep":
            why = _time_phrase(analysis, j, year)
            if why:
                return why
    return None


def _not_a_happening(analysis: Analysis, i: int, v: int) -> str | None:
    """Constructions that name a happening without reporting one: a participle describing
    someone ("a rebel alliance battling to take the city"), the complement of a failure
    ("unable to ... by capturing the corridor"), a weapon held ("holds tanks and artillery"),
    an agreement that does not come into force here ("the truce collapsed")."""
    tokens = analysis.tokens
    tok = tokens[i]
    head = tokens[tok.head]
    seen = head.dep == "dobj" and tokens[head.head].lemma.lower() in _PERCEPTION_VERBS
    if tok.dep == "acl" and tok.tag == "VBG" and head.pos in ("NOUN", "PROPN") and not seen:
        # ("a reporter saw gunmen storming a checkpoint" is a happening seen)
        return "background:rule=described"
    if tok.dep == "acl" and tok.tag == "VBN" and not seen:
        for k in analysis.children[i]:
            kid = tokens[k]
            if kid.dep == "npadvmod" or (
                kid.dep == "advmod" and kid.lemma.lower() in _PAST_ADVERBS
            ):
                # "the district of X, taken by rebels earlier this month"
                return "background:rule=described,when=own"
    verb = tokens[v]
    j = i
    for _ in range(6):
        up = tokens[j].head
        if up == j:
            break
        if tokens[up].lemma.lower() in _FAILURE_WORDS and tokens[j].dep == "xcomp":
            return f"background:rule=failed,word={tokens[up].lemma.lower()}"
        j = up
    if tok.lemma.lower() in _UNIT_NOUNS and any(
        tokens[k].dep == "compound" for k in analysis.children[i]
    ):
        # "an artillery school", "the rocket battalion": a unit or a place named by a weapon
        # (:func:`head_token` took the trigger to the noun it modifies)
        return f"background:rule=unit,noun={tok.lemma.lower()}"
    if tok.pos == "NOUN" and tok.dep == "nsubj" and v != i:
        kids = [tokens[k] for k in analysis.children[v]]
        bare = not any(tokens[k].dep == "det" for k in analysis.children[i])
        if (
            bare
            and verb.lemma.lower() == "be"
            and verb.dep == "ROOT"
            and verb.tag in ("VBZ", "VBP")
            and any(k.dep == "attr" for k in kids)
        ):
            return "background:rule=definition"  # "barrel bombs are crude weapons"
        if verb.lemma.lower() in _CONCERN_VERBS and any(
            k.dep == "dobj" and k.lemma.lower() in _CONCERNS for k in kids
        ):
            return f"background:rule=reaction,verb={verb.lemma.lower()}"
    if tok.dep == "pcomp" and head.lemma.lower() == "than":
        return "background:rule=negated,by=rather-than"  # "rather than fighting it"
    if tok.pos == "NOUN" and tok.dep == "pobj" and head.lemma.lower() == "for":
        if tokens[head.head].lemma.lower() in _PREPARING_VERBS:
            # "prepared for fresh assaults", "called for strikes": one to come
            return f"background:rule=prospective,verb={tokens[head.head].lemma.lower()}"
    if (
        tok.pos == "NOUN"
        and tok.dep == "nsubj"
        and verb.lemma.lower() in _FOLLOWING_VERBS
        and any(
            tokens[k].dep == "det" and tokens[k].lemma.lower() in _DEFINITE_DETS
            for k in analysis.children[i]
        )
    ):
        # "The bombings came as rebels prepared ...": the happening told before, set in time
        return f"background:rule=reported-again,verb={verb.lemma.lower()}"
    if tok.pos == "NOUN" and tok.dep == "pobj" and head.lemma.lower() in ("of", "in", "to"):
        # "the cessation of hostilities", "pauses in the fighting", "an end to the shelling"
        owner = tokens[head.head]
        if owner.lemma.lower() in _ENDING_NOUNS:
            return f"background:rule=ended,noun={owner.lemma.lower()}"
    if tok.pos == "NOUN" and tok.dep == "dobj" and verb.lemma.lower() in _REPORTING_VERBS:
        if any(
            tokens[k].dep == "det" and tokens[k].lemma.lower() in _DEFINITE_DETS
            for k in analysis.children[i]
        ):
            # "both reported the late June attacks": a happening named before
            return f"background:rule=reported-again,verb={verb.lemma.lower()}"
    if _is_verb(tok) and any(
        tokens[k].dep == "prep"
        and tokens[k].lemma.lower() == "for"
        and any(tokens[o].lemma.lower() in _FIGURATIVE_STAKES for o in analysis.children[k])
        for k in analysis.children[i]
    ):
        return "background:rule=figurative"  # "battling for survival"
    if tok.pos == "NOUN":
        j = i
        while tokens[j].dep == "conj" and tokens[j].head != j:
            j = tokens[j].head
        if tokens[j].dep == "dobj" and tokens[tokens[j].head].lemma.lower() in _HOLDING_VERBS:
            return f"background:rule=held,verb={tokens[tokens[j].head].lemma.lower()}"
        if tok.lemma.lower() in _AGREEMENT_NOUNS and tokens[v].lemma.lower() not in (
            _COMING_INTO_FORCE
        ):
            return "background:rule=agreement-named"
    return None


def there_of(analysis: Analysis, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of "there" that a verb of ``[start, end)`` takes as its place ("Militants
    seized an artillery school there"): the place is one named before."""
    tokens = analysis.tokens
    out = []
    for k in analysis.token_range(start, end):
        tok = tokens[k]
        if (
            tok.lemma.lower() == "there"
            and tok.dep == "advmod"
            and tokens[tok.head].pos == "VERB"
            and start <= tokens[tok.head].start < end
        ):
            out.append((tok.start, tok.end))
    return out


def _since_clause(analysis: Analysis, j: int, verb: str) -> bool:
    """Whether the child ``j`` of a perfect ``verb`` is "since X happened", or "since then"
    after a verb of going on: the clause tells a stretch of time ("have been killed since talks
    broke off", "shelling has continued since then"), not a day. ("Since then, troops have
    retaken X" is a happening within that stretch.)"""
    tokens = analysis.tokens
    child = tokens[j]
    if child.dep == "prep" and child.lemma.lower() == "since":
        return verb in _CONTINUING_VERBS and any(
            tokens[k].lemma.lower() == "then" for k in analysis.children[j]
        )
    if child.dep == "advcl":
        return any(
            tokens[k].dep == "mark" and tokens[k].lemma.lower() == "since"
            for k in analysis.children[j]
        )
    return False


def _time_phrase(analysis: Analysis, prep: int, year: int | None) -> str | None:
    """Whether a prepositional phrase of the clause puts it in the past or over a stretch of
    time: "since 2012", "in 2014" (before ``year``), "in recent months", "for years"."""
    tokens = analysis.tokens
    p = tokens[prep].lemma.lower()
    for k in _children(analysis, prep, frozenset({"pobj"})):
        obj = tokens[k]
        lemma = obj.lemma.lower()
        words = [tokens[m].lemma.lower() for m in analysis.children[k]]
        text_year = _YEAR.match(obj.lemma) or any(
            _YEAR.match(tokens[m].lemma) for m in analysis.children[k]
        )
        if p == "since" and (text_year or lemma in ("start", "beginning", "outbreak")):
            return "background:rule=since"
        dated = _YEAR.match(obj.lemma)
        if p in ("in", "during") and year is not None and dated:
            if int(dated.group(1)) < year:
                return f"background:rule=past-year,year={dated.group(1)}"
        if p == "in" and lemma == "past" and "the" in words:
            return "background:rule=stretch,prep=in"  # "have said in the past"
        if p in ("in", "for", "over", "during") and lemma in _STRETCH_NOUNS and obj.tag == "NNS":
            if p == "for" or any(w in _STRETCH_MODIFIERS for w in words):
                return f"background:rule=stretch,prep={p}"
    return None
