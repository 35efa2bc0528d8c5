"""Dates, times, durations and figures: a regular grammar over the raw text.

One alternation reads every candidate; the order of the alternatives makes the longest
reading win ("over $135 million" before "135"). The grammar runs on a lower-cased copy of
the text with case-sensitive patterns, which the regex engine matches several times faster
than case-insensitive ones and compiles in half the time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from . import patterns

_ONES = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUM = rf"(?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_ONES}|a dozen|a few|a hundred|half a|dozens)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_NUM = (
    rf"(?:{_DIGITS}(?:-plus|\+)?(?:\s?(?:{_SCALE}|bn|m|k)\b)?"
    rf"|(?:{_WORD_NUM})(?:[- ]{_SCALE})*(?:-plus)?)"
)
_RANGE = rf"{_NUM}(?:\s?(?:-|–|to)\s?{_NUM})?"
_VAGUE = (
    r"(?:(?:hundreds|tens|thousands) of (?:thousands|millions)|hundreds|thousands|millions|"
    r"billions|dozens|scores)"
)
_APPROX = (
    r"(?:(?:just |well |far )?(?:more|less|fewer) than|at least|at most|up to|as many as|"
    r"as few as|(?:just |well )?(?:over|under)|about|around|almost|nearly|approximately|"
    r"roughly|some|close to|an estimated|upwards of|in excess of|more|over)"
)
_UNITS = (
    r"(?:square (?:miles|kilometers|kilometres|km|meters|metres|feet)|sq\.? ?(?:km|mi)|"
    r"km2|km²|kilometers|kilometres|km|miles|mi|meters|metres|m3/s|m|cm|mm|feet|ft|yards|"
    r"inches|acres|hectares|ha|kg|kilograms|tonnes|tons|pounds|lbs|litres|liters|gallons|"
    r"barrels|bpd|MHz|GHz|kHz|Hz|MW|GW|kW|knots|mph|km/h|degrees|acre-ft)"
)
_CURRENCY_WORDS = r"(?:dollars|euros|pounds|sterling|dinars|riyals|rubles|roubles|yen|yuan)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_MONTH_ALONE = (
    r"(?:January|February|March|April|June|July|August|September|October|November|December)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_UNIT_TIME = r"(?:seconds?|minutes?|hours?)"
_UNIT_DATE = r"(?:days?|weeks?|months?|years?|decades?|centuries|century|nights?)"
_PERIOD = (
    rf"(?:{_UNIT_TIME}|{_UNIT_DATE}|weekend|{_WEEKDAY}|{_MONTH_ALONE}|spring|summer|autumn|winter)"
)
_REL = r"(?:this|last|next|past|previous|coming|following|recent|same)"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night|overnight)"

_DATE = (
    # Monday, Dec. 26, 2016 / 10 December 2016 / 5-6 April 2016 / Monday 19 December
    rf"(?:{_WEEKDAY},? )?(?:{_MONTH} ?{_DAY}(?:\s?[-–]\s?{_DAY})?(?:,? {_YEAR})?"
    rf"|{_DAY}(?:\s?[-–]\s?{_DAY})? {_MONTH}(?:,? {_YEAR})?|{_MONTH},? {_YEAR})"
    rf"|{_WEEKDAY}(?: {_PART_OF_DAY})?|{_MONTH_ALONE}"
    rf"|{_YEAR}(?:\s?[-–]\s?(?:{_YEAR}|\d\d)\b)?"
    rf"|(?:the )?(?:early|late) (?:hours of )?{_WEEKDAY}"
    rf"|(?:(?:earlier|later) )?{_REL} {_PERIOD}(?: and {_PERIOD})?"
    rf"|(?:earlier|later) (?:today|this (?:week|month|year)|in the (?:day|week|month|year))"
    rf"|(?:the )?(?:start|beginning|end|middle) of (?:the |{_REL} )?(?:week|month|year|decade)"
    rf"|(?:a|one|two|three|{_DIGITS}) (?:{_UNIT_DATE}) ago"
    r"|today|tonight|yesterday|tomorrow|overnight"
)
_DEG = r"\d{1,3}°(?:\d{1,2}′)?(?:\d{1,2}(?:\.\d+)?″)?"
_COORDINATES = (
    rf"{_DEG}[NS] {_DEG}[EW]|\d{{1,3}}\.\d+°[NS] \d{{1,3}}\.\d+°[EW]"
    r"|-?\d{1,3}\.\d{3,}; -?\d{1,3}\.\d{3,}"
)
_DURATION = (
    rf"(?:(?:the )?(?:{_REL}|first|final) )?(?:{_APPROX} )?(?:{_NUM}|a|an|several|a few)"
    rf"[- ](?:{_UNIT_TIME}|{_UNIT_DATE})\b"
)
_CLOCK = (
    r"(?:\d{1,2}(?::\d\d)? ?(?:a\.m\.|p\.m\.|am\b|pm\b)|\d{1,2}:\d\d(?: GMT| UTC| local time)?"
    r"|noon|midnight|Greenwich Mean Time|GMT\b)"
)
_FIGURE = (
    r"\d+(?:st|nd|rd|th)\b|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b"
    rf"|(?:{_APPROX} )?(?:(?:[$£€]|US\$|USD ?|EUR ?|GBP ?)?{_RANGE}"
    rf"(?: (?:{_SCALE} )?{_CURRENCY_WORDS}| ?(?:%|percent\b|per cent\b)| {_UNITS}\b)?"
    rf"|{_VAGUE}(?: of {_CURRENCY_WORDS})?)"
)

_HOLIDAYS = (
    r"Ramadan|Eid(?: al-(?:Fitr|Adha))?|Christmas(?: Day| Eve)?|Easter|Thanksgiving|"
    r"Ashura|Nowruz|Hanukkah|Passover|New Year's (?:Day|Eve)"
)
_SOURCE = (
    rf"(?:(?P<coordinates>{_COORDINATES})|(?P<date>{_DATE}|(?-i:{_HOLIDAYS}))"
    rf"|(?P<duration>{_DURATION})|(?P<clock>{_CLOCK})"
    rf"|(?P<figure>{_FIGURE}))(?![\w$£€%/°]|[.,]\d|-\d)"
)


def _lowered(source: str) -> re.Pattern[str]:
    """``source`` for lower-cased text: its literals lowered, its group names kept."""
    if re.search(r"\\[A-Z]", source):
        raise ValueError("upper-case escapes would change meaning when lowered")
    return patterns.compile(source.lower().replace("(?p<", "(?P<"))


@cache
def _grammar() -> re.Pattern[str]:
    """The whole grammar for lower-cased text, compiled on first use."""
    return _lowered(_SOURCE)


@cache
def _grammar_as_written() -> re.Pattern[str]:
    """The grammar on the text as written: only for holiday names not written as such."""
    return re.compile(_SOURCE, re.IGNORECASE)


_HOLIDAY = patterns.compile(rf"(?:{_HOLIDAYS})")
_HOLIDAY_LOWERED = _lowered(rf"(?:{_HOLIDAYS})")


def _phrases(text: str) -> list[str]:
    return text.split("|")


#: Words and phrases a date or figure can begin with: the full grammar is tried only where
#: one of them (or a digit or currency sign) stands, which keeps the pass fast.
_LEAD_PHRASES = _phrases(
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    "june|july|august|september|october|november|december|monday|tuesday|wednesday|"
    "thursday|friday|saturday|sunday|more|less|fewer|over|under|about|around|almost|nearly|"
    "approximately|roughly|some|upwards|this|last|next|past|previous|coming|following|"
    "recent|same|earlier|later|early|late|start|beginning|end|middle|several|today|tonight|"
    "yesterday|tomorrow|overnight|ramadan|eid|christmas|easter|thanksgiving|ashura|nowruz|"
    "hanukkah|passover|noon|midnight|greenwich|gmt|dozens|hundreds|tens|thousands|millions|"
    "billions|scores|half|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    "final|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    "seventy|eighty|ninety|usd|eur|gbp|at least|at most|up to|as many|as few|just|"
    "well over|well under|far more|far less|close to|an estimated|an hour|in excess|"
    "new year|us$|the past|the last|the next|the coming|the end|the start|the beginning|"
    "the middle|the early|the late|the first|the final|the previous|the following|the same|"
    "the recent|a few|a dozen|a hundred|a day|a week|a month|a year|a decade|a night|"
    "a weekend"
)


def _trie_pattern(phrases: list[str]) -> str:
    """One regex for many phrases, shaped as a prefix tree so matching does not backtrack."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        parts = [
            (ch if ch.isalnum() else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


_TRIE = _trie_pattern(_LEAD_PHRASES)
#: A lead, with the character before it: the engine skips to such characters in C. The
#: class names ASCII word characters only, which it tests from a table; a letter or digit
#: beyond ASCII before a lead is ruled out afterwards (``_leads``).
_LEAD = patterns.compile(rf"[^0-9A-Za-z_.,$£€/-](?=[\d$£€-]|{_TRIE}\b)")
_LEAD_AT_START = patterns.compile(rf"(?=[\d$£€-]|{_TRIE}\b)")
_CAPITALISED_ONLY = _lowered(rf"(?:{_WEEKDAY}|{_MONTH})")
_TIME_WORDS = _lowered(
    r"\b(?:hours?|minutes?|seconds?|a\.m\.|p\.m\.|am|pm|noon|midnight|GMT|UTC|morning|"
    r"afternoon|evening|night|tonight|overnight|Greenwich)\b"
)
_PERCENT = patterns.compile(r"%|percent|per cent")
_MONEY = _lowered(rf"[$£€]|US\$|USD|EUR|GBP|{_CURRENCY_WORDS}")
_UNIT_AT_END = _lowered(rf"{_UNITS}$")
_ORDINAL = patterns.compile(
    r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$"
)
#: Words that, written alone, are more often pronouns or articles than figures.
_LONE_WORDS = frozenset(("one", "some", "more", "over", "a few", "scores", "half a"))
_IDENTIFIER_BEFORE = patterns.compile(r"(?:[A-Z][\w.]*|No\.|#|:) ?$")


def _fine_figure(lowered: str) -> str:
    if lowered.replace(",", "").replace(".", "").isdigit():
        return "CARDINAL"  # "1,500": no sign, word or unit for the checks below to find
    if _MONEY.search(lowered):
        return "MONEY"
    if _PERCENT.search(lowered):
        return "PERCENT"
    if _ORDINAL.match(lowered):
        return "ORDINAL"
    if _UNIT_AT_END.search(lowered):
        return "QUANTITY"
    return "CARDINAL"


def warm() -> None:
    """Compile what is otherwise compiled on first use."""
    _grammar()


def lower_same_length(text: str) -> str:
    """``text.lower()`` with every offset kept: a character whose lower case is longer
    ("İ") stays as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _leads(low: str) -> Iterator[int]:
    """Offsets where a date or figure may begin: a digit, sign or lead word with no word
    character, dot, comma, sign, slash or hyphen right before it."""
    if _LEAD_AT_START.match(low):
        yield 0
    for m in _LEAD.finditer(low):
        before = m.group()
        if before < "\x80" or not before.isalnum():
            yield m.end()


def find_figures(text: str, low: str | None = None) -> Iterator[tuple[int, int, str, str]]:
    """Yield ``(start, end, label, fine)`` for dates (DATE), figures (NUMBER) and
    coordinates (PLACE); ``low`` is ``lower_same_length(text)`` if the caller has it."""
    if low is None:
        low = lower_same_length(text)
    grammar = _grammar()
    last_end = 0
    for start in _leads(low):
        if start < last_end:
            continue
        m = grammar.match(low, start)
        if m is None:
            continue
        kind = m.lastgroup
        if (
            kind == "date"
            and _HOLIDAY_LOWERED.fullmatch(low, start, m.end())
            and not _HOLIDAY.fullmatch(text, start, m.end())
        ):
            # a holiday's name counts only as written ("Ramadan", not "ramadan")
            m = _grammar_as_written().match(text, start)
            if m is None:
                continue
            kind = m.lastgroup
        end = m.end()
        last_end = end
        span = low[start:end]
        if kind == "coordinates":
            yield start, end, "PLACE", ""
        elif kind == "date":
            if _CAPITALISED_ONLY.match(span) and not text[start].isupper():
                continue  # "may", "march": verbs, not months
            yield start, end, "DATE", "TIME" if _TIME_WORDS.search(span) else "DATE"
        elif kind == "duration":
            yield start, end, "DATE", "TIME" if _TIME_WORDS.search(span) else "DATE"
        elif kind == "clock":
            yield start, end, "DATE", "TIME"
        else:
            if span in _LONE_WORDS:
                continue
            if span[0].isdigit() and _IDENTIFIER_BEFORE.search(text, max(0, start - 30), start):
                continue  # "Resolution 2254", "Passcode 3080897": part of a name
            yield start, end, "NUMBER", _fine_figure(span)
