"""Find what, in free text (notes, debriefs, observations, narratives...), could identify a person.

An encounter note ("fiche de rencontre") is anonymous by design: no name, no
contact details, no exact birth date, no address. This module is a pure
function over a string: it looks for phone numbers, e-mail addresses, social
security numbers (NIR), IBANs, street addresses, full dates of birth and names
written after a civility ("Mme Dupont"), and says where they are so that a form
can highlight them and explain what to change.

It must stay quiet on ordinary field notes: times ("14h30"), amounts
("1 200 €"), counts ("2 enfants"), a postcode or a town alone, benefit and
partner names ("RSA", "CCAS de Prades"), a year alone, a date this year or
later. Numbers that carry a checksum (NIR, IBAN) are only reported when the
checksum is right, which keeps false alarms on long numbers rare.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

# Kinds of finding. The values are stable: they end up in HTML (data-kind) and CSS.
PHONE = "phone"
EMAIL = "email"
NIR = "nir"
IBAN = "iban"
ADDRESS = "address"
BIRTH_DATE = "birth_date"
NAME = "name"

# From the most specific to the least: breaks ties between overlapping findings
# of the same length (a checksummed number beats a pattern that merely looks right).
KINDS: tuple[str, ...] = (IBAN, NIR, EMAIL, PHONE, BIRTH_DATE, ADDRESS, NAME)
_SPECIFICITY = {kind: rank for rank, kind in enumerate(KINDS)}

# Marked with gettext_noop so that makemessages extracts them; translated when read.
_EXPLANATIONS = {
    PHONE: gettext_noop("a phone number: remove it, or write only that the person has a phone"),
    EMAIL: gettext_noop(
        "an e-mail address: remove it, or write only that the person has an e-mail address"
    ),
    NIR: gettext_noop("a social security number: remove it, it must never be written in a note"),
    IBAN: gettext_noop(
        "a bank account number (IBAN): remove it, or write only that the person has a bank account"
    ),
    ADDRESS: gettext_noop("a street address: remove it, or write only the town or the district"),
    BIRTH_DATE: gettext_noop("a date of birth: remove it, or write only an age or an age range"),
    NAME: gettext_noop(
        "a person's name: remove it, or describe the person without naming them "
        "(for example “a woman in her forties”)"
    ),
}


def explanation(kind: str) -> str:
    """What to change for a finding of this kind, translated to the active language."""
    return gettext(_EXPLANATIONS[kind])


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of text that could identify a person: text == source[start:end]."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def explanation(self) -> str:
        return explanation(self.kind)


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

# French letters, so that "Jaurès", "Église" or "Œuvre" count as words.
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_LOWER = "a-zàâäçéèêëîïôöùûüÿæœ"
_LETTER = f"[{_UPPER}{_LOWER}]"
# Horizontal white space only: a finding never runs over a line break.
_SP = r"[^\S\r\n]"
# A proper noun word: a capital then lowercase ("Lilas", "Saint-Jacques", "Jean-Jaurès").
_PROPER_WORD = rf"[{_UPPER}](?:['’][{_UPPER}])?[{_LOWER}]+(?:[-'’]{_LETTER}+)*"
# Any word, whatever its case ("lilas" typed quickly on a phone).
_ANY_WORD = rf"{_LETTER}+(?:[-'’]{_LETTER}+)*"
_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|"
    "septembre|octobre|novembre|décembre|decembre"
)
_MONTH_NUMBERS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}

# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

# One optional separator between pairs of digits: space, dot, hyphen, or the
# non-breaking spaces that phones and word processors insert.
_PHONE_SEP = "[ .\\-\u00a0\u202f]?"

# French numbers: 0 + 9 digits, or the international form +33 / 0033 without the
# leading 0 (sometimes written "(0)"). 01-05 are landlines, 06-07 mobiles, 09
# internet boxes; 08 is left out: those are service numbers, not a person's.
# Separators are free between pairs so that "06 12 34 5678" is still caught.
_PHONE_RE = re.compile(
    rf"""
    (?<![\w+])                                          # not inside a longer number or word
    (?:
        (?:\+|00)33{_PHONE_SEP}(?:\(0\){_PHONE_SEP})?   # +33, 0033, +33 (0)
      | 0
    )
    [1-79]
    (?:{_PHONE_SEP}\d{{2}}){{4}}                        # four more pairs of digits
    (?!\d)                                              # and no fifth one
    """,
    re.VERBOSE,
)

# ---------------------------------------------------------------------------
# E-mail addresses
# ---------------------------------------------------------------------------

# Deliberately loose on the local part; the domain needs at least one dot and a
# letter-only top-level domain, which rules out things like "12@3.5".
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])",
)

# ---------------------------------------------------------------------------
# Social security numbers (NIR)
# ---------------------------------------------------------------------------

# A candidate: 15 characters (sex, year, month, department, commune, order, key)
# with optional single separators anywhere, since people group them in many
# ways ("1 85 05 78 006 084 36", "185057800608436"). Letters A/B are for
# Corsica (2A, 2B); the strict shape and the key are checked afterwards.
_NIR_CANDIDATE_RE = re.compile(
    "(?<![\\w.])[1278](?:[ .\\-\u00a0\u202f]?[0-9ABab]){14}(?!\\w)",
)
# The strict shape once separators are removed: sex 1/2 (7/8 for temporary
# numbers), 2-digit year, 2-digit month, department (2 digits or 2A/2B), then
# commune, order and key.
_NIR_SHAPE_RE = re.compile(r"[1278]\d{4}(?:\d{2}|2[AB])\d{8}")


def nir_key(first_13: str) -> int:
    """The NIR control key: 97 - (the first 13 digits mod 97).

    Corsican departments 2A and 2B are computed as 19 and 18.
    """
    digits = first_13.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97


def is_valid_nir(value: str) -> bool:
    """True when value (separators allowed) is a well-formed NIR with a right key."""
    compact = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    if not _NIR_SHAPE_RE.fullmatch(compact):
        return False
    return nir_key(compact[:13]) == int(compact[13:])


# ---------------------------------------------------------------------------
# IBAN
# ---------------------------------------------------------------------------

# A candidate: country code, check digits, then groups of 4 with or without a
# space, and a last shorter group ("FR76 3000 6000 0112 3456 7890 189").
# Upper case only: that is how IBANs are printed, and it stops the match from
# running into the following lower-case words.
_IBAN_CANDIDATE_RE = re.compile(
    "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}"
    "(?:[ \u00a0]?[A-Z0-9]{4}){2,7}"
    "(?:[ \u00a0]?[A-Z0-9]{1,3})?"
    "(?![A-Za-z0-9])",
)


def iban_remainder(value: str) -> int:
    """ISO 13616 / ISO 7064 mod 97-10: move the first 4 characters to the end,
    turn letters into numbers (A=10 ... Z=35), take the number mod 97."""
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def is_valid_iban(value: str) -> bool:
    """True when value (spaces allowed) has a plausible length and a right checksum."""
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    return iban_remainder(compact) == 1


# ---------------------------------------------------------------------------
# Street addresses
# ---------------------------------------------------------------------------

# Ways whose name may follow in lower case ("12 rue des lilas"): these words are
# hardly ever preceded by a number in any other sense.
_WAY_PLAIN = r"(?:rue|avenue|av|boulevard|bd|impasse|allée|allee|chemin|quai|lotissement)\b\.?"
# Ways that are also ordinary words after a number ("1 place en crèche",
# "2 cours de français"): their name must be a capitalised word.
_WAY_AMBIGUOUS = r"(?:place|cours|route|résidence|residence|square|passage)\b"
# Small words inside street names: "rue de la Gare", "rue d'Alsace", "allée des Pins".
_PARTICLE = rf"(?i:(?:de|du|des|la|le|les|aux|au){_SP}+|[dl]['’]{_SP}?)"
# Street names can be dates: "place du 8 Mai 1945", "rue du 4 Septembre".
_DATE_WORD = rf"\d{{1,2}}(?:er)?{_SP}+(?i:{_MONTHS})(?:{_SP}+\d{{4}})?"
_STREET_NAME_NEXT = rf"(?:{_SP}+(?:{_PARTICLE})*(?:{_PROPER_WORD}|{_DATE_WORD}))*"

_ADDRESS_RE = re.compile(
    rf"""
    (?<![\w.,/])
    \d{{1,4}}(?:{_SP}?(?i:bis|ter|quater)\b|[A-Da-d]\b)?    # 12, 12bis, 3 ter, 12B
    ,?{_SP}+
    (?:
        (?i:{_WAY_PLAIN}){_SP}+(?:{_PARTICLE})*
            (?:{_ANY_WORD}|{_DATE_WORD}){_STREET_NAME_NEXT}
      | (?i:{_WAY_AMBIGUOUS}){_SP}+(?:{_PARTICLE})*
            (?:{_PROPER_WORD}|{_DATE_WORD}){_STREET_NAME_NEXT}
    )
    # then maybe the postcode and town: "12 rue des Lilas, 66500 Prades"
    (?:,?{_SP}+\d{{5}}(?!\d)(?:{_SP}+{_PROPER_WORD})?)?
    """,
    re.VERBOSE,
)

# ---------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------

# 12/03/1985, 12-03-1985, 12.03.1985 (same separator twice), and 2-digit years,
# which only count after a birth keyword. Not glued to other numbers, so that
# phone numbers written with dots are not read as dates.
_NUMERIC_DATE_RE = re.compile(
    r"""
    (?<![\w/.\-])
    (?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})
    (?!\w|[/.\-]\d)
    """,
    re.VERBOSE,
)
# 12 mars 1985, 1er mars 1985.
_TEXT_DATE_RE = re.compile(
    rf"(?<!\w)(?P<day>1er|premier|\d{{1,2}}){_SP}+(?P<month>(?i:{_MONTHS})){_SP}+"
    rf"(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# Words announcing a birth date shortly before it: "née le", "né à Perpignan le",
# "date de naissance :", "DDN". Unaccented "ne" is left out: it is the negation.
_BIRTH_KEYWORD_RE = re.compile(
    r"(?:\bnée?s?\b|naissance|\bd\.?d\.?n\b\.?)[^.\n\d]{0,20}$",
    re.IGNORECASE,
)
# "rue du 8 mai 1945": a date that names a street is not a birth date.
_DATE_IN_STREET_NAME_RE = re.compile(
    rf"\b(?:{_WAY_PLAIN}|{_WAY_AMBIGUOUS}){_SP}+(?:du|de{_SP}+l['’]|des){_SP}*$",
    re.IGNORECASE,
)
# A date is taken as a possible birth date, without a keyword, when it is at
# least this many years old: younger children's birth dates are rarely written,
# while appointments and recent events ("depuis le 3/02/2024") are everywhere.
_BIRTH_DATE_MIN_AGE = 10
_OLDEST_BIRTH_YEAR = 1900

# ---------------------------------------------------------------------------
# Names after a civility
# ---------------------------------------------------------------------------

# Capitalised acronyms of benefits and partners that may follow a name
# ("Mme Dupont CAF") and must not be taken for more of the name.
_ACRONYMS = (
    "AAH|AME|APL|ALS|ALF|ASPA|ASH|CAF|CCAS|CHRS|CMU|CPAM|CSS|EHPAD|HLM|MDPH|MSA|MSP|"
    "PMI|RSA|SDF|SIAO|UDAF"
)
# A name: capitalised or all capitals, at least 2 letters, so "Mme X" (the usual
# way to write a name out) is not flagged.
_NAME_WORD = (
    rf"(?!(?:{_ACRONYMS})\b)"
    rf"[{_UPPER}](?:['’][{_UPPER}])?[{_UPPER}{_LOWER}]+(?:[-'’][{_UPPER}{_LOWER}]+)*"
)
# M. and Mr are case-sensitive ("m." is also metres); the long forms are not.
_CIVILITY = r"(?:MM\.|M\.|(?:Mr|(?i:madame|monsieur|mademoiselle|mmes?|mlles?))\b\.?)"
_NAME_RE = re.compile(
    rf"""
    (?<!\w)
    {_CIVILITY}{_SP}*
    (?:(?:de|du|van|von){_SP}+|d['’])?      # "M. de Villiers", "Mme d'Arc"
    {_NAME_WORD}(?:{_SP}+{_NAME_WORD}){{0,2}}  # "Dupont", "Jean Durand"
    """,
    re.VERBOSE,
)


# ---------------------------------------------------------------------------
# Detectors: each yields (kind, start, end) candidates, possibly overlapping.
# ---------------------------------------------------------------------------

_Span = tuple[str, int, int]


def _phones(text: str) -> Iterator[_Span]:
    for match in _PHONE_RE.finditer(text):
        yield PHONE, match.start(), match.end()


def _emails(text: str) -> Iterator[_Span]:
    for match in _EMAIL_RE.finditer(text):
        yield EMAIL, match.start(), match.end()


def _nirs(text: str) -> Iterator[_Span]:
    for match in _NIR_CANDIDATE_RE.finditer(text):
        if is_valid_nir(match.group()):
            yield NIR, match.start(), match.end()


def _ibans(text: str) -> Iterator[_Span]:
    for match in _IBAN_CANDIDATE_RE.finditer(text):
        if is_valid_iban(match.group()):
            yield IBAN, match.start(), match.end()


def _addresses(text: str) -> Iterator[_Span]:
    for match in _ADDRESS_RE.finditer(text):
        yield ADDRESS, match.start(), match.end()


def _names(text: str) -> Iterator[_Span]:
    for match in _NAME_RE.finditer(text):
        yield NAME, match.start(), match.end()


def _full_year(two_digits: int, today: datetime.date) -> int:
    """85 -> 1985, 03 -> 2003 (a 2-digit year is never in the future)."""
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def _is_birth_date(
    text: str, start: int, day: int, month: int, year: int, today: datetime.date
) -> bool:
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return False  # 31/02, 12/13: not a date
    before = text[max(0, start - 40) : start]
    if _DATE_IN_STREET_NAME_RE.search(before):
        return False
    if date.year < _OLDEST_BIRTH_YEAR or date > today:
        return False
    if _BIRTH_KEYWORD_RE.search(before):
        return True
    return date.year <= today.year - _BIRTH_DATE_MIN_AGE


def _birth_dates(text: str, today: datetime.date) -> Iterator[_Span]:
    for match in _NUMERIC_DATE_RE.finditer(text):
        year_text = match["year"]
        if len(year_text) == 2:
            # "12/03/85" is only a birth date after a keyword: without one it is
            # as likely an appointment ("rdv 12/03/26").
            if not _BIRTH_KEYWORD_RE.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            year = _full_year(int(year_text), today)
        else:
            year = int(year_text)
        if _is_birth_date(text, match.start(), int(match["day"]), int(match["month"]), year, today):
            yield BIRTH_DATE, match.start(), match.end()
    for match in _TEXT_DATE_RE.finditer(text):
        day_text = match["day"].lower()
        day = 1 if day_text in ("1er", "premier") else int(day_text)
        month = _MONTH_NUMBERS[match["month"].lower()]
        if _is_birth_date(text, match.start(), day, month, int(match["year"]), today):
            yield BIRTH_DATE, match.start(), match.end()


def _keep_non_overlapping(spans: Iterable[_Span]) -> list[_Span]:
    """Of overlapping spans keep the longest, then the most specific kind."""
    kept: list[_Span] = []
    ordered = sorted(spans, key=lambda s: (-(s[2] - s[1]), _SPECIFICITY[s[0]], s[1]))
    for kind, start, end in ordered:
        if all(end <= other_start or start >= other_end for _, other_start, other_end in kept):
            kept.append((kind, start, end))
    return sorted(kept, key=lambda s: s[1])


def find_identifying_data(text: str, *, today: datetime.date | None = None) -> list[Finding]:
    """What in text could identify a person, sorted by position, never overlapping.

    today is the reference date for telling birth dates from recent or coming
    dates; it defaults to the current date.
    """
    today = today or datetime.date.today()
    spans = [
        *_phones(text),
        *_emails(text),
        *_nirs(text),
        *_ibans(text),
        *_addresses(text),
        *_birth_dates(text, today),
        *_names(text),
    ]
    return [
        Finding(kind=kind, start=start, end=end, text=text[start:end])
        for kind, start, end in _keep_non_overlapping(spans)
    ]


def highlight(text: str, findings: Iterable[Finding] | None = None) -> SafeString:
    """text, HTML-escaped, with each finding wrapped in <mark data-kind="...">.

    findings defaults to find_identifying_data(text). Findings that overlap an
    earlier one are ignored.
    """
    if findings is None:
        findings = find_identifying_data(text)
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        parts.append(escape(text[position : finding.start]))
        parts.append(
            f'<mark data-kind="{escape(finding.kind)}">'
            f"{escape(text[finding.start : finding.end])}</mark>"
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))
