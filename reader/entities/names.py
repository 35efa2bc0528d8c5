"""Names: capitalised chunks found by one regex, cut at titles and connectors, then typed.

Each mention comes out with a label and a strength: strong when a cue decides it (a title,
a head word such as "Forces", a country), weak when only a default or context does. The
article-wide pass in ``consistency`` lets strong readings overrule weak ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from . import lexicon as lx
from . import patterns
from .classify import by_context, by_words, is_acronym, outer_context

Token = tuple[int, int, str]
#: A chunk's mentions as (start, end, label, strong, text, initial), offsets from the chunk.
Plan = tuple[tuple[int, int, str, bool, str, bool], ...]

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
#: What follows a capital in a capitalised word: runs of letters and digits matched at C
#: speed, joined by an apostrophe before two letters ("O'Brien") or a hyphen before a
#: capital or digit.
_CAPWORD_REST = rf"[^\W_]*(?:(?:['’](?=[^\W\d_]{{2}})|[-‐](?=[{_UPPER}\d]))[^\W_]*)*"
_CAPWORD = rf"[{_UPPER}]{_CAPWORD_REST}"
#: Particles joined to the name they open ("al-Assad").
_PARTICLE_PREFIXES = ("al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "abu", "bin", "ibn")
_PREFIXED = rf"(?:{'|'.join(_PARTICLE_PREFIXES)})[-‐](?=[{_UPPER}]){_CAPWORD}"
_DOTTED = rf"(?:[{_UPPER}]\.)+"
#: Abbreviated titles and name parts, each written with a full stop, in the order tried.
_ABBREVIATIONS = (
    *("Gen", "Brig", "Col", "Lt", "Maj", "Capt", "Cmdr", "Cdr", "Sgt", "Spc", "Pfc", "Cpl"),
    *("Pvt", "Adm", "Dr", "Mr", "Mrs", "Ms", "Prof", "Rev", "Sen", "Rep", "Gov", "Amb", "Hon"),
    *("St", "Mt", "Ft", "Jr", "Sr"),
)
_ABBREVIATION = rf"(?:{'|'.join(_ABBREVIATIONS)})\."
_TOKEN = rf"(?:{_ABBREVIATION}|{_DOTTED}|{_PREFIXED}|{_CAPWORD})"
#: ``_TOKEN`` after its first character, a capital, is read: the same forms in the same
#: order, each abbreviation reading its other letters, then looking back for the whole
#: (a letter first lets the engine pass over the abbreviations that cannot match).
_TOKEN_AFTER_CAPITAL = (
    rf"(?:(?:{'|'.join(f'{a[1:]}(?<={a})' for a in _ABBREVIATIONS)})\."
    rf"|\.(?:[{_UPPER}]\.)*|{_CAPWORD_REST})"
)
#: Words that may stand between two capitalised words of one chunk, in the order tried.
_CONNECTORS = (
    *("al", "el", "ad", "ar", "ash", "az", "bin", "ibn", "bint", "de", "del", "della"),
    *("van", "von", "der", "den", "of", "of the", "for", "for the", "and", "and the", "&"),
)
_CONNECT = rf"(?:(?:{'|'.join(_CONNECTORS)}) )"
_NICKNAME = r"(?:[\"“][A-Z][\w.]{0,15}[\"”] )"
#: What can follow the space inside a chunk; checked first, so that a chunk's last word
#: costs one character test instead of a try of every connector and token form.
_NEXT_FIRST = "".join(sorted({w[0] for w in (*_CONNECTORS, *_PARTICLE_PREFIXES)}))
_CHUNK_TAIL = rf"(?:[  ](?=[{_UPPER}\"“{_NEXT_FIRST}])(?:{_CONNECT}|{_NICKNAME})?{_TOKEN})*"
_CHUNK = patterns.compile(rf"(?<![\w.-]){_TOKEN}{_CHUNK_TAIL}")
#: Chunks opening with a capital. The capital is read first, so the engine skips to
#: capitals in C; a pattern opening with a look-ahead is tried at every character.
_CAPITAL_CHUNK = patterns.compile(rf"[{_UPPER}](?<![\w.-].){_TOKEN_AFTER_CAPITAL}{_CHUNK_TAIL}")
_PREFIXES = frozenset(_PARTICLE_PREFIXES)
_TOKEN_OR_CONNECTOR = patterns.compile(rf"{_TOKEN}|[a-z&]+")
_SENTENCE_END = ".!?:;\n•·|"
_OPENERS = " \t\"“‘'(["
_DATELINE = (" - ", " – ", " — ")

#: Titles that, met right before a name, make it a person ("General", not "Foreign").
_CORE_TITLES = lx.words(
    "President Minister Ministers Secretary Secretary-General Chancellor King Queen Prince "
    "Princess Emir Sultan Ayatollah Imam Pope Cardinal Bishop Archbishop Rev. Dr. Dr Mr. Mr "
    "Mrs. Mrs Ms. Ms Sir Dame Lord Lady Sen. Senator Rep. Representative Congressman "
    "Congresswoman Gov. Governor Mayor Judge Ambassador Envoy Commissioner Spokesman "
    "Spokeswoman Spokesperson Chairman Chairwoman Director Chief Commander Gen. General Lt. "
    "Lieutenant Col. Colonel Maj. Major Capt. Captain Cmdr. Cdr. Sgt. Sergeant Cpl. Corporal "
    "Pvt. Brig. Brigadier Adm. Admiral Marshal Premier Speaker Attorney Inspector Professor "
    "Prof. Officer Leader Advisor Adviser Class Spc. Pfc. Amb."
)
_TITLE_GLUE = frozenset(("of", "for", "of the", "for the", "the"))


@dataclass(slots=True)
class Mention:
    """A typed name mention; ``strong`` marks a decision made by a cue, not a default."""

    start: int
    end: int
    label: str
    strong: bool
    text: str
    initial: bool = False


def _sentence_initial(text: str, start: int) -> bool:
    """True where only quotes, brackets and spaces stand between a sentence end (or the
    text's start) and ``start``."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _is_connector(word: str) -> bool:
    return (word.islower() and word.isalpha()) or word == "&"


def _segments(tokens: list[Token]) -> Iterator[list[Token]]:
    """Cut a raw chunk at connectors that do not belong inside one name."""
    if len(tokens) == 1 or not any(_is_connector(t[2]) for t in tokens):
        yield tokens
        return
    current: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        if not _is_connector(tokens[i][2]):
            current.append(tokens[i])
            i += 1
            continue
        j = i
        while j < n and _is_connector(tokens[j][2]):
            j += 1
        glue = " ".join(t[2] for t in tokens[i:j])
        left = current[-1][2] if current else ""
        if glue in ("of", "of the", "for", "for the"):
            keep = left in lx.ORG_HEADS or left in lx.TITLE_WORDS or left in lx.PLACE_HEADS
        elif glue in ("and", "and the", "&"):
            whole = " ".join(t[2] for t in [*current, *tokens[i : j + 1]])
            keep = lx.norm(whole) in lx.countries() or (
                any(t[2] in ("of", "for") for t in current) and current[0][2] not in lx.TITLE_WORDS
            )
        else:
            keep = bool(current)  # name particles: "Dayr az Zawr", "Osama bin Laden"
        if keep and j < n:
            current.extend(tokens[i:j])
        else:
            if current:
                yield current
            current = []
            if glue in lx.PARTICLES and j < n:
                current.extend(tokens[i:j])  # "de Mistura": a particle may open a name
        i = j
    if current:
        yield current


def _trim(tokens: list[Token], initial: bool) -> list[Token]:
    """Drop capitalised function words and, at a sentence start, an "-ing"/"-ly" word."""
    while tokens and tokens[0][2] in lx.FUNCTION_WORDS:
        tokens, initial = tokens[1:], False
    if initial and len(tokens) > 1 and tokens[0][2].endswith(("ing", "ly")):
        tokens = tokens[1:]
    while tokens and _is_connector(tokens[-1][2]):
        tokens = tokens[:-1]
    if len(tokens) == 1 and len(tokens[0][2]) < 3 and sum(c.isalpha() for c in tokens[0][2]) < 2:
        return []  # a lone letter: coordinates, list markers
    return tokens


def _split_title(tokens: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """``[Pentagon Press] Secretary [Peter Cook]``: (before the title, the named person)."""
    cut = -1
    for k, tok in enumerate(tokens[:-1]):
        word = tok[2]
        if word in _CORE_TITLES:
            cut = k
        elif k > 0 and lx.norm(word) in lx.given_names() and is_acronym(tokens[k - 1][2]):
            cut = k - 1  # "to Counter ISIL Brett McGurk"
    if cut < 0:
        return None
    end = cut + 1
    while end < len(tokens) - 1 and (
        tokens[end][2] in lx.TITLE_WORDS or tokens[end][2] in _TITLE_GLUE
    ):
        end += 1
    name = tokens[end:]
    if not name or (_is_connector(name[0][2]) and name[0][2] not in lx.PARTICLES):
        return None
    begin = cut
    while begin > 0 and (
        tokens[begin - 1][2] in lx.TITLE_WORDS or tokens[begin - 1][2] in _TITLE_GLUE
    ):
        begin -= 1
    return tokens[:begin], name


def _classify(
    words: list[str], text: str, start: int, end: int, probe: list[bool]
) -> tuple[str, bool]:
    """``classify``, noting in ``probe`` whether the words around the name were read."""
    decided = by_words(tuple(words))
    if decided is not None:
        return decided
    probe.append(True)
    return by_context(words, text, start, end)


def _emit(tokens: list[Token], text: str, initial: bool, probe: list[bool]) -> Iterator[Mention]:
    tokens = _trim(tokens, initial)
    if not tokens:
        return
    split = _split_title(tokens)
    if split is not None:
        before, name = split
        label, strong = _classify([t[2] for t in name], text, name[0][0], name[-1][1], probe)
        if label == "PERSON" or not strong:
            if before:
                yield from _emit(before, text, initial, probe)
            yield Mention(name[0][0], name[-1][1], "PERSON", True, text[name[0][0] : name[-1][1]])
            return
    words = [t[2] for t in tokens]
    if all(w in lx.TITLE_WORDS or _is_connector(w) for w in words) and not any(
        w in lx.ORG_HEADS for w in words[-1:]
    ):
        return  # "the Foreign Secretary": a role, not a name
    start, end = tokens[0][0], tokens[-1][1]
    label, strong = _classify(words, text, start, end, probe)
    if initial and len(words) == 1 and words[0] in lx.ORG_HEADS:
        strong = False  # "Government forces have...": a common noun opening a sentence
    if len(words) > 1 and lx.norm(words[0]) in lx.groups() and not strong:
        yield Mention(start, tokens[0][1], "GROUP", True, words[0])
        yield from _emit(tokens[1:], text, False, probe)
        return
    yield Mention(start, end, label, strong, text[start:end], initial and len(words) == 1)


#: Per sentence-initial or not: chunk, or (chunk, *outer context), -> its mentions, offsets
#: relative to the chunk; ``_NEEDS_CONTEXT`` marks chunks read by the words around them.
_plans: tuple[dict[object, Plan], dict[object, Plan]] = ({}, {})
_NEEDS_CONTEXT: Plan = ((-1, -1, "", False, "", False),)  # compared by identity
#: Cleared when it grows past this many entries: enough for a long article's chunks and the
#: names common to many articles (half as many made the pass over 10,000 articles a few per
#: cent slower); that pass meets some 17,000, which held 6 MB.
PLAN_CACHE_SIZE = 4_096


def _chunk_mentions(
    text: str,
    chunk: str,
    cstart: int,
    initial: bool,
    blocked: list[tuple[int, int]],
    bi: int,
    probe: list[bool],
) -> Iterator[Mention]:
    """The mentions of one capitalised chunk, worked out from scratch."""
    cend = cstart + len(chunk)
    if " " in chunk or "\u00a0" in chunk:
        tokens = [
            (cstart + t.start(), cstart + t.end(), t.group())
            for t in _TOKEN_OR_CONNECTOR.finditer(chunk)
        ]
    else:
        tokens = [(cstart, cend, chunk)]
    inside = bi < len(blocked) and blocked[bi][0] < cend
    runs = _cut_blocked(tokens, blocked, bi) if inside else [tokens]
    for run in runs:
        for seg in _segments(run):
            yield from _emit(seg, text, initial and seg[0][0] == cstart, probe)


def _plan(text: str, chunk: str, cstart: int, initial: bool) -> Plan:
    """The chunk's mentions relative to its start, computed once per chunk and context.

    Names repeat within an article and across articles, and most are decided by their
    words alone (a country, "Forces", an acronym); those are keyed by the chunk only.
    """
    plans = _plans[initial]
    key: object = chunk
    plan = plans.get(key)
    if plan is _NEEDS_CONTEXT:
        key = (chunk, *outer_context(text, cstart, cstart + len(chunk)))
        plan = plans.get(key)
    if plan is not None:
        return plan
    probe: list[bool] = []
    plan = tuple(
        # most chunks are one mention: its text is kept once, as the chunk
        (
            m.start - cstart,
            m.end - cstart,
            m.label,
            m.strong,
            chunk if m.text == chunk else m.text,
            m.initial,
        )
        for m in _chunk_mentions(text, chunk, cstart, initial, [], 0, probe)
    )
    if len(plans) >= PLAN_CACHE_SIZE:
        plans.clear()
    if probe and key is chunk:
        plans[key] = _NEEDS_CONTEXT
        key = (chunk, *outer_context(text, cstart, cstart + len(chunk)))
    plans[key] = plan
    return plan


def _chunk_spans(text: str) -> list[tuple[int, int]]:
    """The spans ``_CHUNK.finditer`` gives, found by two cheaper scans."""
    particle_first: list[tuple[int, int]] = []
    for hyphen in "-‐":  # a chunk may open with a particle ("al-Assad") before a hyphen
        at = text.find(hyphen, 2)
        while at >= 0:
            for begin in (at - 2, at - 3):
                if begin >= 0 and text[begin:at] in _PREFIXES:
                    m = _CHUNK.match(text, begin)
                    if m is not None:
                        particle_first.append(m.span())
            at = text.find(hyphen, at + 1)
    spans = [m.span() for m in _CAPITAL_CHUNK.finditer(text)]
    if not particle_first:
        return spans
    out: list[tuple[int, int]] = []
    last_end = 0
    for start, end in sorted(spans + particle_first):
        if start >= last_end:  # a chunk inside another is part of it
            out.append((start, end))
            last_end = end
    return out


def find_names(text: str, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Typed name mentions outside the ``blocked`` spans (dates and figures)."""
    out: list[Mention] = []
    bi, nb = 0, len(blocked)
    function_words = lx.FUNCTION_WORDS
    for cstart, cend in _chunk_spans(text):
        while bi < nb and blocked[bi][1] <= cstart:
            bi += 1
        chunk = text[cstart:cend]
        if chunk in function_words:
            continue  # "The", "In", "It": most capitalised words open a sentence
        # a capitalised word opening a sentence, unless a dateline or source: "BAGHDAD - "
        initial = _sentence_initial(text, cstart) and not text.startswith(_DATELINE, cend)
        if bi < nb and blocked[bi][0] < cend:
            out.extend(_chunk_mentions(text, chunk, cstart, initial, blocked, bi, []))
            continue
        plan = _plans[initial].get(chunk)
        if plan is None or plan is _NEEDS_CONTEXT:
            plan = _plan(text, chunk, cstart, initial)
        for rs, re_, label, strong, surface, first in plan:
            out.append(Mention(cstart + rs, cstart + re_, label, strong, surface, first))
    return out


def _cut_blocked(tokens: list[Token], blocked: list[tuple[int, int]], bi: int) -> list[list[Token]]:
    """Split a chunk where a date or figure sits inside it ("Monday", "May 2016")."""
    runs: list[list[Token]] = [[]]
    for tok in tokens:
        if _overlaps(tok, blocked, bi):
            runs.append([])
        else:
            runs[-1].append(tok)
    return [r for r in runs if r]


def _overlaps(tok: Token, blocked: list[tuple[int, int]], bi: int) -> bool:
    for s, e in blocked[bi:]:
        if s >= tok[1]:
            return False
        if e > tok[0]:
            return True
    return False
