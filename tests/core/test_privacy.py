"""Tests for core.privacy: what in a field note could identify a person."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.utils import translation
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st

from core.privacy import (
    ADDRESS,
    BIRTH_DATE,
    EMAIL,
    IBAN,
    IDENTIFIER,
    KINDS,
    NAME,
    NIR,
    ONLINE,
    PHONE,
    PLATE,
    Finding,
    explanation,
    find_identifying_data,
    highlight,
)

THIS_YEAR = datetime.date.today().year


def found(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) of each finding, checking that spans and text agree."""
    findings = find_identifying_data(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    return [(finding.kind, finding.text) for finding in findings]


def found_kinds(text: str, **kwargs) -> list[str]:
    return [finding.kind for finding in find_identifying_data(text, **kwargs)]


# ---------------------------------------------------------------------------
# The table: real-looking field notes
# ---------------------------------------------------------------------------

POSITIVE = [
    # phones, every usual form
    (
        "Elle a laissé son numéro : 06 12 34 56 78, à rappeler jeudi.",
        [(PHONE, "06 12 34 56 78")],
    ),
    ("Tél. 06.12.34.56.78 (portable de sa fille)", [(PHONE, "06.12.34.56.78")]),
    ("Portable 06-12-34-56-78.", [(PHONE, "06-12-34-56-78")]),
    ("Rappeler au 0612345678 après 17h.", [(PHONE, "0612345678")]),
    ("Numéro +33 6 12 34 56 78 donné par la voisine.", [(PHONE, "+33 6 12 34 56 78")]),
    ("Il a noté +33612345678 sur le flyer.", [(PHONE, "+33612345678")]),
    ("Contact : +33 (0)6 12 34 56 78", [(PHONE, "+33 (0)6 12 34 56 78")]),
    ("Son frère au Maroc a le 0033 6 12 34 56 78.", [(PHONE, "0033 6 12 34 56 78")]),
    ("Fixe chez sa mère : 04 68 96 12 34", [(PHONE, "04 68 96 12 34")]),
    ("Box internet 09 72 11 22 33, pas de mobile.", [(PHONE, "09 72 11 22 33")]),
    ("Nouveau portable 07 81 22 33 44 depuis lundi.", [(PHONE, "07 81 22 33 44")]),
    ("Appeler le 01 45 67 89 10 le matin", [(PHONE, "01 45 67 89 10")]),
    # e-mail addresses
    ("Écrire à jean.dupont66@gmail.com pour le dossier.", [(EMAIL, "jean.dupont66@gmail.com")]),
    (
        "Mail de sa fille : marie-laure.martin@orange.fr.",
        [(EMAIL, "marie-laure.martin@orange.fr")],
    ),
    # social security numbers, with and without spaces, Corsica
    (
        "Numéro de sécu 2 55 08 14 168 025 38 noté sur la carte.",
        [(NIR, "2 55 08 14 168 025 38")],
    ),
    ("NIR 185057800608491 pour la CSS", [(NIR, "185057800608491")]),
    ("Sécu : 2 85 03 2A 123 456 48 (née en Corse)", [(NIR, "2 85 03 2A 123 456 48")]),
    ("n° ss 1 72 07 2B 045 012 21", [(NIR, "1 72 07 2B 045 012 21")]),
    # IBANs
    (
        "RIB : FR76 3000 6000 0112 3456 7890 189, pour l'APL.",
        [(IBAN, "FR76 3000 6000 0112 3456 7890 189")],
    ),
    ("IBAN FR7630006000011234567890189", [(IBAN, "FR7630006000011234567890189")]),
    # street addresses
    ("Elle dort chez une amie au 12 rue des Lilas depuis mars.", [(ADDRESS, "12 rue des Lilas")]),
    ("Hébergé 3 bis avenue Jean Jaurès, au deuxième.", [(ADDRESS, "3 bis avenue Jean Jaurès")]),
    ("Il vit 5, impasse du Moulin à Prades.", [(ADDRESS, "5, impasse du Moulin")]),
    (
        "Adresse : 12 rue des Lilas, 66500 Prades",
        [(ADDRESS, "12 rue des Lilas, 66500 Prades")],
    ),
    ("Caravane 8 Chemin de la Gare", [(ADDRESS, "8 Chemin de la Gare")]),
    ("Logement au 2 bd Clemenceau, sans ascenseur", [(ADDRESS, "2 bd Clemenceau")]),
    ("Au 14 Résidence Les Pins, bâtiment C.", [(ADDRESS, "14 Résidence Les Pins, bâtiment C")]),
    ("Squatte au 7 place de la République.", [(ADDRESS, "7 place de la République")]),
    ("Chez son fils, 21 ALLÉE DES PINS.", [(ADDRESS, "21 ALLÉE DES PINS")]),
    ("Habite 4 rue de l'Église", [(ADDRESS, "4 rue de l'Église")]),
    # dates of birth
    ("Née le 12/03/1985 à Perpignan.", [(BIRTH_DATE, "12/03/1985")]),
    ("DDN : 03/04/85", [(BIRTH_DATE, "03/04/85")]),
    ("date de naissance 12.03.1985", [(BIRTH_DATE, "12.03.1985")]),
    ("Il est né le 1er mars 1985 à Oran.", [(BIRTH_DATE, "1er mars 1985")]),
    ("Il donne 12-03-1985 comme date.", [(BIRTH_DATE, "12-03-1985")]),
    ("Son fils aîné, 24 juin 2008, est en CAP.", [(BIRTH_DATE, "24 juin 2008")]),
    ("Sa petite est née le 12 mars 2019.", [(BIRTH_DATE, "12 mars 2019")]),
    # names after a civility
    ("Rencontré Mme Dupont devant la CAF.", [(NAME, "Mme Dupont")]),
    ("M. Martin est revenu nous voir.", [(NAME, "M. Martin")]),
    ("Monsieur Jean Durand, 62 ans, sans logement.", [(NAME, "Monsieur Jean Durand")]),
    ("Mr Benali attend sa carte vitale.", [(NAME, "Mr Benali")]),
    ("Mlle Garcia cherche une formation.", [(NAME, "Mlle Garcia")]),
    ("Mademoiselle Lefèvre, 19 ans.", [(NAME, "Mademoiselle Lefèvre")]),
    ("Madame N'Diaye est passée au stand.", [(NAME, "Madame N'Diaye")]),
    ("Vu M. DUPONT Jean au marché.", [(NAME, "M. DUPONT Jean")]),
    ("Orientée par Mme Dupont CAF 66.", [(NAME, "Mme Dupont")]),
    # administrative numbers, plates, accounts (guard v2)
    ("Numéro allocataire 1234567, ticket n° 0612.", [(IDENTIFIER, "1234567")]),
    ("Identifiant France Travail 4512378K à réactiver.", [(IDENTIFIER, "4512378K")]),
    ("Voiture AB-123-CD garée au parking.", [(PLATE, "AB-123-CD")]),
    ("Insta : kevin_du_66, il poste tout.", [(ONLINE, "Insta : kevin_du_66")]),
    # names without a civility, lower-case civilities
    ("Fatima Benali est revenue au stand.", [(NAME, "Fatima Benali")]),
    ("Vu madame benali au marché.", [(NAME, "madame benali")]),
    ("Elle s'appelle Jean, enfin c'est son surnom.", [(NAME, "Jean")]),
    # everything at once, in order
    (
        "Mme Dupont, 06 12 34 56 78, 12 rue des Lilas, née le 12/03/1985, dupont@free.fr",
        [
            (NAME, "Mme Dupont"),
            (PHONE, "06 12 34 56 78"),
            (ADDRESS, "12 rue des Lilas"),
            (BIRTH_DATE, "12/03/1985"),
            (EMAIL, "dupont@free.fr"),
        ],
    ),
]

NEGATIVE = [
    "Stand de 9h à 12h, passage de 14h30 à 16h.",
    "Permanence 9h-12h au CCAS de Prades.",
    "Loyer 550 € par mois, reste à vivre 1 200 euros.",
    "Payé 11,65 € de l'heure, 35 heures par semaine.",
    "2 enfants de 3 ans et 5 ans.",
    "Vit à 66500 Prades, code postal 66500.",
    "Ne touche pas le RSA, ni l'AME, ni la CSS.",
    "Orientée vers la CAF 66 et la MSA pour l'APL.",
    "Orientation vers la Mission locale et France Travail.",
    "Arrivé en France en 2019, au RSA depuis 2015.",
    "Né en 1985, vit seul depuis 2010.",
    "Baisse de 30 % des APL, 5.5 % de hausse.",
    f"RDV le 12/03/{THIS_YEAR} à la CPAM.",
    f"Prochaine permanence le 2 décembre {THIS_YEAR}.",
    f"Rendez-vous le 15/01/{THIS_YEAR + 1} au CCAS.",
    f"Dossier déposé le 03/02/{THIS_YEAR - 2}, toujours sans réponse.",
    "Monsieur le Maire est passé au stand.",
    "Une dame (Mme X) est venue, puis M. Y.",
    "Cherche 1 place en crèche et 2 cours de français par semaine.",
    "Bus à 10 h 15, ligne 3, 2 arrêts après la place du marché.",
    "Ticket n° 0612 au guichet.",
    "Distribution de 120 colis pour 45 personnes.",
    "Habite rue des Lilas, quartier de la gare.",
    "Habite à 2 km de la place du marché.",
    "Note 12/20 au test, passage du bus le 12/03.",
    "Elle dit être née le 31/02/1985.",  # not a date
    "Carte 2 55 08 14 168 025 39 refusée.",  # NIR with a wrong key
    "IBAN FR76 3000 6000 0112 3456 7890 188",  # wrong check
    "Commémoration rue du 8 mai 1945.",
    "Appeler le 3949 ou le 115, ou le 08 00 30 60 90.",  # service numbers
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_finds_identifying_data(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_leaves_ordinary_notes_alone(text):
    assert found(text) == []


def test_tables_cover_every_kind_and_are_large_enough():
    kinds = {kind for _, expected in POSITIVE for kind, _ in expected}
    assert kinds == set(KINDS)
    assert len(POSITIVE) >= 25
    assert len(NEGATIVE) >= 20


def test_positions_point_into_the_text():
    text = "Bonjour. Mme Dupont, tél 06 12 34 56 78."
    assert find_identifying_data(text) == [
        Finding(kind=NAME, start=9, end=19, text="Mme Dupont"),
        Finding(kind=PHONE, start=25, end=39, text="06 12 34 56 78"),
    ]


def test_birth_date_threshold_follows_today():
    text = "Le 12/03/2016, il était à l'école."
    assert find_identifying_data(text, today=datetime.date(2026, 6, 1))[0].kind == BIRTH_DATE
    assert find_identifying_data(text, today=datetime.date(2025, 6, 1)) == []
    # with a keyword, any past date counts, but never a future one
    assert found_kinds("née le 12/03/2025", today=datetime.date(2026, 1, 1)) == [BIRTH_DATE]
    assert found_kinds("née le 12/03/2026", today=datetime.date(2026, 1, 1)) == []


def test_overlap_keeps_the_longest_finding():
    # a phone-like run of digits inside an IBAN is part of the IBAN, not a phone
    text = "FR76 3000 6000 0112 3456 7890 189"
    assert found_kinds(text) == [IBAN]


def test_findings_are_frozen():
    finding = find_identifying_data("06 12 34 56 78")[0]
    with pytest.raises(AttributeError):
        finding.kind = EMAIL


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_an_explanation(kind):
    assert explanation(kind)
    finding = Finding(kind=kind, start=0, end=1, text="x")
    assert finding.explanation == explanation(kind)


def test_explanation_msgid():
    with translation.override("en"):
        assert explanation(PHONE) == (
            "a phone number: remove it, or write only that the person has a phone"
        )


# ---------------------------------------------------------------------------
# highlight()
# ---------------------------------------------------------------------------


def test_highlight_escapes_and_wraps():
    text = '<script>alert("x")</script> Mme Dupont & 06 12 34 56 78'
    result = highlight(text, find_identifying_data(text))
    assert isinstance(result, SafeString)
    assert result == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
        '<mark data-kind="name">Mme Dupont</mark> &amp; '
        '<mark data-kind="phone">06 12 34 56 78</mark>'
    )


def test_highlight_escapes_inside_a_finding():
    text = "écrire à <a&b>@x.fr ou a&b@example.org"
    result = highlight(text, find_identifying_data(text))
    assert '<mark data-kind="email">' in result
    assert "<a&b>" not in result
    assert _unmark(result) == text


def test_highlight_without_findings_only_escapes():
    assert highlight("RSA < AME & CSS", []) == "RSA &lt; AME &amp; CSS"


def test_highlight_finds_by_itself():
    assert highlight("Mme Dupont") == '<mark data-kind="name">Mme Dupont</mark>'


def _unmark(html_text: str) -> str:
    return html.unescape(re.sub(r"</?mark[^>]*>", "", html_text))


# ---------------------------------------------------------------------------
# Property-based tests
# ---------------------------------------------------------------------------

digits = st.integers(min_value=0, max_value=9).map(str)


@st.composite
def french_phone_numbers(draw) -> str:
    """A valid French number, rendered in one of the usual ways."""
    first = draw(st.sampled_from("1234567679"))  # mobiles (6, 7) twice as likely
    pairs = [draw(digits) + draw(digits) for _ in range(4)]
    sep = draw(st.sampled_from(["", " ", ".", "-", "\u00a0"]))
    prefix = draw(st.sampled_from(["0", "+33", "+33 ", "0033 ", "0033", "+33 (0)"]))
    return prefix + first + sep + sep.join(pairs)


SENTENCES = [
    "Son numéro : {}.",
    "{} (portable de sa sœur)",
    "Rappeler au {} demain à 14h30.",
    "Tél {}, à la CAF le 3.",
    "{}",
]


@given(number=french_phone_numbers(), sentence=st.sampled_from(SENTENCES))
def test_any_french_phone_number_is_found_whole(number, sentence):
    text = sentence.format(number)
    start = text.index(number)
    assert find_identifying_data(text) == [
        Finding(kind=PHONE, start=start, end=start + len(number), text=number)
    ]


@st.composite
def nir_parts(draw) -> tuple[str, str]:
    """(first 13 characters, key) of a valid NIR, Corsican ones included."""
    sex = draw(st.sampled_from("1278"))
    year = f"{draw(st.integers(0, 99)):02d}"
    month = f"{draw(st.integers(1, 12)):02d}"
    department = draw(
        st.one_of(
            st.integers(1, 95).filter(lambda d: d != 20).map(lambda d: f"{d:02d}"),
            st.sampled_from(["2A", "2B"]),
        )
    )
    commune = f"{draw(st.integers(1, 999)):03d}"
    order = f"{draw(st.integers(1, 999)):03d}"
    first_13 = sex + year + month + department + commune + order
    # The key, computed here independently: Corsica 2A counts as 19, 2B as 18.
    number = int(first_13.replace("2A", "19").replace("2B", "18"))
    return first_13, f"{97 - number % 97:02d}"


def render_nir(first_13: str, key: str, spaced: bool) -> str:
    if not spaced:
        return first_13 + key
    parts = [first_13[0], first_13[1:3], first_13[3:5], first_13[5:7], first_13[7:10]]
    return " ".join([*parts, first_13[10:13], key])


@given(parts=nir_parts(), spaced=st.booleans())
def test_valid_nir_is_found(parts, spaced):
    nir = render_nir(*parts, spaced=spaced)
    text = f"Numéro de sécu {nir} pour la CSS."
    start = text.index(nir)
    assert find_identifying_data(text) == [
        Finding(kind=NIR, start=start, end=start + len(nir), text=nir)
    ]


@given(parts=nir_parts(), spaced=st.booleans(), wrong_key=st.integers(0, 99))
def test_nir_with_a_wrong_key_is_not_a_nir(parts, spaced, wrong_key):
    first_13, key = parts
    wrong = f"{wrong_key:02d}"
    if wrong == key:
        wrong = f"{(wrong_key + 1) % 100:02d}"
    text = f"Numéro de sécu {render_nir(first_13, wrong, spaced)} pour la CSS."
    assert NIR not in found_kinds(text)


def _iban_number(value: str) -> int:
    return int("".join(str(int(char, 36)) for char in value))


@st.composite
def french_ibans(draw) -> str:
    """A compact FR IBAN with right check digits (bank, branch, account, RIB key)."""
    bank = "".join(draw(digits) for _ in range(10))
    account = draw(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=11, max_size=11))
    rib_key = draw(digits) + draw(digits)
    bban = bank + account + rib_key
    check = 98 - _iban_number(bban + "FR00") % 97
    return f"FR{check:02d}{bban}"


def render_iban(compact: str, spaced: bool) -> str:
    if not spaced:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


@given(iban=french_ibans(), spaced=st.booleans())
def test_valid_iban_is_found(iban, spaced):
    rendered = render_iban(iban, spaced)
    text = f"RIB : {rendered} pour le virement de l'APL."
    start = text.index(rendered)
    assert find_identifying_data(text) == [
        Finding(kind=IBAN, start=start, end=start + len(rendered), text=rendered)
    ]


@given(iban=french_ibans(), spaced=st.booleans(), data=st.data())
def test_iban_with_a_mutated_digit_is_not_an_iban(iban, spaced, data):
    positions = [i for i, char in enumerate(iban) if i >= 2 and char.isdigit()]
    position = data.draw(st.sampled_from(positions))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != iban[position]]))
    mutated = iban[:position] + new_digit + iban[position + 1 :]
    text = f"RIB : {render_iban(mutated, spaced)} pour le virement."
    assert IBAN not in found_kinds(text)


def _thousands(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


amounts = st.builds(
    lambda amount, cents, grouped, unit: (
        (_thousands(amount) if grouped else str(amount)) + (f",{cents:02d}" if cents else "") + unit
    ),
    st.integers(1, 99_999),
    st.one_of(st.none(), st.integers(0, 99)),
    st.booleans(),
    st.sampled_from([" €", "€", " euros", " EUR"]),
)
times = st.one_of(
    st.builds(lambda h, m: f"{h}h{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda a, b: f"{a}h-{b}h", st.integers(0, 23), st.integers(0, 23)),
)
years = st.builds(
    lambda year, before: f"{before} {year}",
    st.integers(1900, 2100),
    st.sampled_from(["depuis", "en", "né en", "née en", "arrivée en", "année"]),
)
counts = st.builds(
    lambda n, what: f"{n} {what}",
    st.integers(0, 999),
    st.sampled_from(["enfants", "ans", "mois", "personnes", "colis", "%", "km"]),
)
fragments = st.one_of(amounts, times, years, counts)


@given(parts=st.lists(fragments, min_size=1, max_size=4))
def test_amounts_times_years_and_counts_are_not_flagged(parts):
    text = "Note : " + ", ".join(parts) + "."
    assert find_identifying_data(text) == []


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_gives_sorted_disjoint_findings_and_highlight_round_trips(text):
    findings = find_identifying_data(text)
    for finding in findings:
        assert finding.kind in KINDS
        assert text[finding.start : finding.end] == finding.text
        assert finding.start < finding.end
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start
    assert _unmark(highlight(text, findings)) == text


@given(
    text=st.text(
        alphabet=st.sampled_from("0123456789 .-+/()@ABFRMmeé, rueLilasné\n"),
        max_size=80,
    )
)
def test_number_like_text_gives_consistent_findings(text):
    findings = find_identifying_data(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start
