"""Names: capitalised chunks found by one regex, cut at titles and connectors, then typed.

Each mention comes out with a label and a strength: strong when a cue decides it (a title,
a head word such as "Forces", a country), weak when only a default or context does. The
article-wide pass in ``consistency`` lets strong readings overrule weak ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import lexicon as lx

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_CAPWORD = (
    rf"[{_UPPER}](?:[^\W_]|['’](?=[^\W\d_]{{2}})|[-‐](?=[{_UPPER}\d]))*"
)
_PREFIXED = rf"(?:al|el|ad|an|ar|as|ash|at|az|abu|bin|ibn)[-‐](?=[{_UPPER}]){_CAPWORD}"
_DOTTED = rf"(?:[{_UPPER}]\.)+"
_TOKEN = rf"(?:{_DOTTED}|{_PREFIXED}|{_CAPWORD})"
_CONNECT = (
    r"(?:(?:al|el|ad|an|ar|as|ash|at|az|bin|ibn|bint|de|del|della|di|da|du|dos|van|von|der|"
    r"den|la|le|of|of the|for|for the|and|and the|&) )"
)
_CHUNK = re.compile(rf"(?<![\w.-]){_TOKEN}(?:[  ]{_CONNECT}?{_TOKEN})*")
_TOKEN_OR_CONNECTOR = re.compile(rf"{_TOKEN}|[a-z&]+")
_ACRONYM = re.compile(rf"^(?:[{_UPPER}\d]+(?:[-‐][{_UPPER}\d]+)*|{_DOTTED})$")
_SENTENCE_END = frozenset(".!?:;\n•·|")
_OPENERS = frozenset(" \t\"“‘'([")

#: Titles that, met right before a name, make it a person ("General", not "Foreign").
_CORE_TITLES = frozenset(
    "President Minister Ministers Secretary Secretary-General Chancellor King Queen Prince "
    "Princess Emir Sultan Ayatollah Imam Pope Cardinal Bishop Archbishop Rev. Dr. Dr Mr. Mr "
    "Mrs. Mrs Ms. Ms Sir Dame Lord Lady Sen. Senator Rep. Representative Congressman "
    "Congresswoman Gov. Governor Mayor Judge Ambassador Envoy Commissioner Spokesman "
    "Spokeswoman Spokesperson Chairman Chairwoman Director Chief Commander Gen. General Lt. "
    "Lieutenant Col. Colonel Maj. Major Capt. Captain Cmdr. Cdr. Sgt. Sergeant Cpl. Corporal "
    "Pvt. Brig. Brigadier Adm. Admiral Marshal Premier Speaker Attorney Inspector Professor "
    "Prof. Officer Leader Gen Lt Col Maj Capt Brig Adm".split()
)
_NAME_CONNECTORS = frozenset(("of", "for", "of the", "for the", "the"))


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
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _is_acronym(word: str) -> bool:
    letters = sum(c.isalpha() for c in word)
    return letters >= 2 and bool(_ACRONYM.match(word))


def _tokens(chunk: str, offset: int) -> list[tuple[int, int, str]]:
    return [(offset + m.start(), offset + m.end(), m.group()) for m in _TOKEN_OR_CONNECTOR.finditer(chunk)]


def _is_connector(word: str) -> bool:
    return word[:1].islower() or word == "&"


def _segments(tokens: list[tuple[int, int, str]]) -> Iterator[list[tuple[int, int, str]]]:
    """Cut a raw chunk at connectors that do not belong inside one name."""
    current: list[tuple[int, int, str]] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        word = tok[2]
        if not _is_connector(word):
            current.append(tok)
            i += 1
            continue
        # a run of connector words ("of the", "and the")
        j = i
        while j < n and _is_connector(tokens[j][2]):
            j += 1
        joined = " ".join(t[2] for t in tokens[i:j])
        left = current[-1][2] if current else ""
        keep = False
        if joined in ("of", "of the", "for", "for the"):
            keep = left in lx.ORG_HEADS or left in lx.TITLE_WORDS or left in lx.PLACE_HEADS
        elif joined in ("and", "and the", "&"):
            head = current[0][2] if current else ""
            after = tokens[j][2] if j < n else ""
            whole = " ".join(t[2] for t in [*current, *tokens[i : j + 1]])
            keep = lx.norm(whole) in lx.countries() or (
                any(t[2] in ("of", "for") for t in current) and head not in lx.TITLE_WORDS
            ) or (left in lx.ORG_HEADS and after in lx.ORG_HEADS)
        else:
            keep = bool(current) and j < n  # name particles: "Dayr az Zawr", "bin Laden"
        if keep and current and j < n:
            current.extend(tokens[i:j])
        else:
            if current:
                yield current
            current = []
            if not keep and joined in lx.PARTICLES and j < n:
                current.extend(tokens[i:j])  # "de Mistura": a particle may open a name
        i = j
    if current:
        yield current


def _trim(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while tokens and (tokens[0][2] in lx.FUNCTION_WORDS):
        tokens = tokens[1:]
    while tokens and _is_connector(tokens[-1][2]):
        tokens = tokens[:-1]
    return tokens


def _split_title(
    tokens: list[tuple[int, int, str]],
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]] | None:
    """``[Pentagon Press] Secretary [Peter Cook]``: (before the title, the named person)."""
    last_core = -1
    for k, tok in enumerate(tokens[:-1]):
        if tok[2] in _CORE_TITLES:
            last_core = k
    if last_core < 0:
        return None
    end = last_core + 1
    while end < len(tokens) - 1 and (
        tokens[end][2] in lx.TITLE_WORDS or tokens[end][2] in _NAME_CONNECTORS
    ):
        end += 1
    name = tokens[end:]
    if not name or _is_connector(name[0][2]) and name[0][2] not in lx.PARTICLES:
        return None
    begin = last_core
    while begin > 0 and (
        tokens[begin - 1][2] in lx.TITLE_WORDS or tokens[begin - 1][2] in _NAME_CONNECTORS
    ):
        begin -= 1
    return tokens[:begin], name


def _classify(words: list[str], text: str, start: int, end: int) -> tuple[str, bool]:
    """Label and strength for one name from its words and the words around it."""
    whole = " ".join(words)
    key = lx.norm(whole)
    bare = lx.strip_article(key)
    last = words[-1]
    first = words[0]
    if key in lx.countries():
        return "PLACE", True
    if len(words) == 1 and _is_acronym(last):
        if len(last) > 4 and (key in lx.places()):
            return "PLACE", True
        return "ORG", True
    if last in lx.PLACE_HEADS and len(words) > 1:
        return "PLACE", True
    if last in lx.ORG_HEADS or any(w in lx.ORG_WORDS for w in words):
        return "ORG", True
    if first in lx.PLACE_OPENERS and len(words) > 1:
        return "PLACE", True
    if key in lx.places() or bare in lx.places():
        return "PLACE", len(words) > 1 or key not in lx.surnames()
    if key in lx.groups() or all(lx.norm(w) in lx.groups() for w in words):
        return "GROUP", True
    if len(words) > 1:
        if lx.norm(first) in lx.given_names():
            return "PERSON", True
        if any(w[:3].lower() in ("al-", "el-", "bin", "ibn", "abu") for w in words[1:]):
            return "PERSON", True
        if first.lower().startswith(("abu", "al-")):
            return "PERSON", True
        if any(_is_acronym(w) for w in words):
            return "ORG", False
        return "PERSON", False
    # one word: look at the words around it
    after = text[end : end + 14].split(maxsplit=1)
    if after and after[0].strip(",.") in lx.SPEECH_VERBS:
        return "PERSON", False
    before = text[max(0, start - 12) : start].split()
    if before and before[-1] in lx.PLACE_PREPOSITIONS:
        return "PLACE", False
    if first.lower().startswith(("al-", "el-")):
        return "PERSON", False
    if key in lx.surnames() or key in lx.given_names():
        return "PERSON", False
    return "ORG", False


def _emit(
    tokens: list[tuple[int, int, str]], text: str, initial: bool
) -> Iterator[Mention]:
    tokens = _trim(tokens)
    if not tokens:
        return
    split = _split_title(tokens)
    if split is not None:
        before, name = split
        words = [t[2] for t in name]
        label, _strong = _classify(words, text, name[0][0], name[-1][1])
        if label in ("PERSON",) or not _strong:
            if before and not all(t[2] in lx.TITLE_WORDS for t in before):
                yield from _emit(before, text, initial)
            yield Mention(name[0][0], name[-1][1], "PERSON", True, text[name[0][0] : name[-1][1]])
            return
    if all(t[2] in lx.TITLE_WORDS or _is_connector(t[2]) for t in tokens) and not (
        len(tokens) == 1 and tokens[0][2] in lx.ORG_HEADS
    ):
        if not any(t[2] in lx.ORG_HEADS for t in tokens[1:]):
            return  # "the Foreign Secretary": a role, not a name
    start, end = tokens[0][0], tokens[-1][1]
    words = [t[2] for t in tokens]
    label, strong = _classify(words, text, start, end)
    if label == "GROUP" or len(words) < 2 or label != "PERSON" or strong:
        pass
    if len(words) > 1 and lx.norm(words[0]) in lx.groups() and not strong:
        yield Mention(start, tokens[0][1], "GROUP", True, words[0])
        yield from _emit(tokens[1:], text, False)
        return
    yield Mention(start, end, label, strong, text[start:end], initial and len(words) == 1)


def find_names(text: str, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Typed name mentions outside the ``blocked`` spans (dates and figures)."""
    out: list[Mention] = []
    bi = 0
    nb = len(blocked)
    for m in _CHUNK.finditer(text):
        cstart, cend = m.span()
        while bi < nb and blocked[bi][1] <= cstart:
            bi += 1
        tokens = [_strip_possessive(t) for t in _tokens(m.group(), cstart)]
        runs = [tokens]
        if bi < nb and blocked[bi][0] < cend:
            runs = _cut_blocked(tokens, blocked, bi)
        initial = _sentence_initial(text, cstart)
        for run in runs:
            for seg in _segments(run):
                out.extend(_emit(seg, text, initial and seg[0][0] == cstart))
    return out


def _cut_blocked(
    tokens: list[tuple[int, int, str]], blocked: list[tuple[int, int]], bi: int
) -> list[list[tuple[int, int, str]]]:
    """Split a chunk where a date or figure sits inside it ("Monday", "May 2016")."""
    runs: list[list[tuple[int, int, str]]] = [[]]
    for tok in tokens:
        if _overlaps(tok, blocked, bi):
            runs.append([])
        else:
            runs[-1].append(tok)
    return [r for r in runs if r]


def _overlaps(tok: tuple[int, int, str], blocked: list[tuple[int, int]], bi: int) -> bool:
    for s, e in blocked[bi:]:
        if s >= tok[1]:
            return False
        if e > tok[0]:
            return True
    return False


def _strip_possessive(tok: tuple[int, int, str]) -> tuple[int, int, str]:
    start, end, word = tok
    if word.endswith(("’s", "'s")) and len(word) > 3:
        return start, end - 2, word[:-2]
    return tok
