"""The demo's data: organisations, people, territories, places, partners, the rhythm of
their sessions and the shape of what their teams log. The code that loads it is in
``demo.seed`` and ``demo.encounters``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from encounters.models import AgeBand, NonTakeUpReason, ReferralOutcome, Topic
from organisations.models import Role
from outreach.models import SessionKind
from territories.models import Partner, Place, Territory

DEMO_PASSWORD = "terrain-demo"

K = Territory.Kind
P = Place.Kind
PK = Partner.Kind


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    roles: dict[str, str]  # organisation slug -> role


ORGANISATIONS = [
    {"slug": "evs-prades", "name": "Espace de vie sociale de Prades"},
    {"slug": "cs-mosson", "name": "Centre social de la Mosson"},
    {"slug": "bus-picardie", "name": "Bus des services – Picardie verte"},
]

USERS = [
    DemoUser(
        "coordination@prades.demo", "Marion", "Coordinatrice", {"evs-prades": Role.COORDINATOR}
    ),
    DemoUser("benevole@prades.demo", "Jordi", "Bénévole", {"evs-prades": Role.VOLUNTEER}),
    DemoUser("anna@prades.demo", "Anna", "Bénévole", {"evs-prades": Role.VOLUNTEER}),
    DemoUser("direction@prades.demo", "Hélène", "Directrice", {"evs-prades": Role.MANAGER}),
    DemoUser("coordination@mosson.demo", "Karim", "Coordinateur", {"cs-mosson": Role.COORDINATOR}),
    DemoUser("benevole@mosson.demo", "Samia", "Bénévole", {"cs-mosson": Role.VOLUNTEER}),
    DemoUser("etudiant@mosson.demo", "Lucas", "Étudiant", {"cs-mosson": Role.VOLUNTEER}),
    DemoUser("direction@mosson.demo", "Claire", "Directrice", {"cs-mosson": Role.MANAGER}),
    DemoUser(
        "coordination@picardie.demo", "Julien", "Coordinateur", {"bus-picardie": Role.COORDINATOR}
    ),
    DemoUser("benevole@picardie.demo", "Odile", "Conseillère", {"bus-picardie": Role.VOLUNTEER}),
    DemoUser("direction@picardie.demo", "Nathalie", "Directrice", {"bus-picardie": Role.MANAGER}),
    DemoUser(
        "federation@terrain.demo",
        "Bernard",
        "Fédération",
        {"evs-prades": Role.MANAGER, "cs-mosson": Role.MANAGER, "bus-picardie": Role.MANAGER},
    ),
]

# Territories as (name, kind, parent name, INSEE code, QPV, description).
TERRITORIES = {
    "evs-prades": [
        (
            "Conflent Canigó",
            K.INTERCOMMUNALITY,
            None,
            "",
            False,
            "Communauté de communes de montagne : 45 communes, une population âgée, "
            "des services concentrés à Prades, peu de transports.",
        ),
        (
            "Prades",
            K.COMMUNE,
            "Conflent Canigó",
            "66149",
            False,
            "Ville-centre du Conflent. Le marché du mardi et la gare routière sont les lieux "
            "où l'on croise le plus de monde.",
        ),
        (
            "Quartier de la gare",
            K.NEIGHBOURHOOD,
            "Prades",
            "",
            False,
            "Pôle multimodal, arrêt des cars vers Perpignan, à deux pas de France Travail "
            "et de la Mission locale.",
        ),
        (
            "Ria-Sirach",
            K.COMMUNE,
            "Conflent Canigó",
            "",
            False,
            "Commune voisine de Prades, habitat ancien, beaucoup de retraités isolés.",
        ),
    ],
    "cs-mosson": [
        ("Montpellier", K.COMMUNE, None, "34172", False, ""),
        (
            "La Mosson",
            K.NEIGHBOURHOOD,
            "Montpellier",
            "",
            True,
            "Grand quartier d'habitat social au bout de la ligne 1 du tramway. Marché du "
            "dimanche très fréquenté, forte présence de familles et de jeunes.",
        ),
        (
            "Hauts de Massane",
            K.NEIGHBOURHOOD,
            "La Mosson",
            "",
            True,
            "Secteur résidentiel de la Mosson, écoles et commerces de proximité.",
        ),
        (
            "Clermont-l'Hérault",
            K.COMMUNE,
            None,
            "34079",
            False,
            "Cœur d'Hérault : petite ville à 40 km, permanence un jeudi par mois.",
        ),
    ],
    "bus-picardie": [
        (
            "Picardie Verte",
            K.INTERCOMMUNALITY,
            None,
            "",
            False,
            "Territoire rural de l'ouest de l'Oise : 89 communes, pas de gare, "
            "forte culture du « ne pas demander ».",
        ),
        ("Grandvilliers", K.COMMUNE, "Picardie Verte", "", False, ""),
        ("Formerie", K.COMMUNE, "Picardie Verte", "", False, ""),
        ("Songeons", K.COMMUNE, "Picardie Verte", "", False, ""),
        ("Marseille-en-Beauvaisis", K.COMMUNE, "Picardie Verte", "", False, ""),
    ],
}

# Places as (name, kind, territory, latitude, longitude, best days, from, until, notes).
PLACES = {
    "evs-prades": [
        (
            "Place de la gare et pôle multimodal",
            P.STATION_SQUARE,
            "Quartier de la gare",
            "42.617900",
            "2.425600",
            [0, 2, 4],
            time(8, 0),
            time(10, 0),
            "Les cars du matin : beaucoup d'attente, des gens disponibles pour un café.",
        ),
        (
            "Marché du mardi",
            P.MARKET,
            "Prades",
            "42.617200",
            "2.421900",
            [1],
            time(8, 30),
            time(12, 30),
            "Stand sous les platanes, près de la fontaine.",
        ),
        (
            "Salle prêtée par la mairie",
            P.LENT_ROOM,
            "Prades",
            "42.618400",
            "2.422700",
            [1, 3],
            time(9, 0),
            time(12, 0),
            "Permanence anonyme et gratuite, mardi et jeudi.",
        ),
        (
            "Sortie de l'école Jean-Jaurès",
            P.SCHOOL_GATE,
            "Prades",
            None,
            None,
            [0, 1, 3, 4],
            time(16, 15),
            time(17, 0),
            "",
        ),
        (
            "File de l'épicerie solidaire",
            P.FOOD_BANK,
            "Prades",
            None,
            None,
            [2],
            time(14, 0),
            time(16, 0),
            "",
        ),
        (
            "Place de la mairie de Ria",
            P.VILLAGE_SQUARE,
            "Ria-Sirach",
            None,
            None,
            [4],
            time(10, 0),
            time(12, 0),
            "",
        ),
    ],
    "cs-mosson": [
        (
            "Marché de la Mosson",
            P.MARKET,
            "La Mosson",
            "43.616800",
            "3.818900",
            [6],
            time(8, 0),
            time(13, 0),
            "Le plus grand marché de la ville, le dimanche matin.",
        ),
        (
            "Station de tram Mosson",
            P.TRANSPORT_HUB,
            "La Mosson",
            "43.616100",
            "3.819600",
            [0, 1, 2, 3, 4],
            time(7, 30),
            time(9, 30),
            "",
        ),
        (
            "Sortie de l'école des Hauts de Massane",
            P.SCHOOL_GATE,
            "Hauts de Massane",
            None,
            None,
            [0, 1, 3, 4],
            time(16, 30),
            time(17, 15),
            "",
        ),
        (
            "Salle du centre social",
            P.LENT_ROOM,
            "La Mosson",
            None,
            None,
            [2],
            time(14, 0),
            time(17, 0),
            "",
        ),
        (
            "Salle de la mairie de Clermont",
            P.LENT_ROOM,
            "Clermont-l'Hérault",
            None,
            None,
            [3],
            time(9, 0),
            time(12, 0),
            "Un jeudi par mois.",
        ),
    ],
    "bus-picardie": [
        (
            "Place de la mairie de Grandvilliers",
            P.VILLAGE_SQUARE,
            "Grandvilliers",
            "49.665200",
            "1.940800",
            [1],
            time(9, 0),
            time(12, 0),
            "Le bus se gare devant.",
        ),
        (
            "Marché de Formerie",
            P.MARKET,
            "Formerie",
            "49.649000",
            "1.731000",
            [2],
            time(8, 30),
            time(12, 0),
            "",
        ),
        (
            "Place de l'église de Songeons",
            P.VILLAGE_SQUARE,
            "Songeons",
            None,
            None,
            [3],
            time(14, 0),
            time(17, 0),
            "",
        ),
        (
            "Parking de la salle des fêtes",
            P.VILLAGE_SQUARE,
            "Marseille-en-Beauvaisis",
            None,
            None,
            [4],
            time(9, 0),
            time(12, 0),
            "",
        ),
    ],
}

# Partners as (name, kind, territories served, address, opening hours, phone, e-mail).
PARTNERS = {
    "evs-prades": [
        (
            "CCAS de Prades",
            PK.CCAS,
            ["Prades"],
            "Hôtel de ville, Prades",
            "Lundi au vendredi, 8h30–12h",
            "",
            "",
        ),
        (
            "CAF des Pyrénées-Orientales – accueil de Prades",
            PK.CAF,
            ["Conflent Canigó"],
            "",
            "Sur rendez-vous, le jeudi",
            "",
            "",
        ),
        ("CPAM des Pyrénées-Orientales", PK.CPAM, ["Conflent Canigó"], "", "", "", ""),
        ("MSA Grand Sud", PK.MSA, ["Conflent Canigó"], "", "", "", ""),
        (
            "France Travail Prades",
            PK.FRANCE_TRAVAIL,
            ["Conflent Canigó"],
            "Avenue de la gare, Prades",
            "Lundi au vendredi, 8h30–12h30",
            "",
            "",
        ),
        (
            "Mission locale jeunes du Conflent",
            PK.MISSION_LOCALE,
            ["Conflent Canigó"],
            "",
            "",
            "",
            "",
        ),
        (
            "Maison sociale de proximité du Conflent",
            PK.DEPARTMENT_SOCIAL,
            ["Conflent Canigó"],
            "",
            "Lundi au vendredi",
            "",
            "",
        ),
        ("France Services Prades", PK.FRANCE_SERVICES, ["Conflent Canigó"], "", "", "", ""),
        ("Centre de santé de Prades", PK.HEALTH_CENTRE, ["Prades", "Ria-Sirach"], "", "", "", ""),
        (
            "Épicerie solidaire du Conflent",
            PK.FOOD_BANK,
            ["Prades"],
            "",
            "Mercredi après-midi",
            "",
            "",
        ),
    ],
    "cs-mosson": [
        ("CCAS de Montpellier", PK.CCAS, ["Montpellier"], "", "", "", ""),
        ("CAF de l'Hérault", PK.CAF, ["Montpellier", "Clermont-l'Hérault"], "", "", "", ""),
        ("CPAM de l'Hérault", PK.CPAM, ["Montpellier", "Clermont-l'Hérault"], "", "", "", ""),
        ("France Travail Montpellier Mosson", PK.FRANCE_TRAVAIL, ["La Mosson"], "", "", "", ""),
        ("Mission locale de Montpellier", PK.MISSION_LOCALE, ["Montpellier"], "", "", "", ""),
        (
            "Agence départementale de la solidarité",
            PK.DEPARTMENT_SOCIAL,
            ["La Mosson"],
            "",
            "",
            "",
            "",
        ),
        ("Maison de santé de la Mosson", PK.HEALTH_CENTRE, ["La Mosson"], "", "", "", ""),
        ("Restos du cœur – Mosson", PK.FOOD_BANK, ["La Mosson"], "", "", "", ""),
    ],
    "bus-picardie": [
        ("MSA de Picardie", PK.MSA, ["Picardie Verte"], "", "", "", ""),
        ("CAF de l'Oise", PK.CAF, ["Picardie Verte"], "", "", "", ""),
        ("CPAM de l'Oise", PK.CPAM, ["Picardie Verte"], "", "", "", ""),
        ("France Travail Beauvais", PK.FRANCE_TRAVAIL, ["Picardie Verte"], "", "", "", ""),
        ("Mission locale du Beauvaisis", PK.MISSION_LOCALE, ["Picardie Verte"], "", "", "", ""),
        (
            "Maison départementale de la solidarité",
            PK.DEPARTMENT_SOCIAL,
            ["Picardie Verte"],
            "",
            "",
            "",
            "",
        ),
        ("CCAS de Grandvilliers", PK.CCAS, ["Grandvilliers"], "", "", "", ""),
        ("Banque alimentaire – antenne de Formerie", PK.FOOD_BANK, ["Formerie"], "", "", "", ""),
    ],
}


SK = SessionKind

# Recurring series as (kind, place, territory, weekdays, start, end, lead e-mail,
# team e-mails, objectives).
SERIES = {
    "evs-prades": [
        (
            SK.PERMANENCE,
            "Salle prêtée par la mairie",
            "Prades",
            [1, 3],
            time(9, 0),
            time(12, 0),
            "coordination@prades.demo",
            ["benevole@prades.demo"],
            "Permanence anonyme et gratuite : café, écoute, aide aux démarches.",
        ),
        (
            SK.STAND,
            "Marché du mardi",
            "Prades",
            [1],
            time(8, 30),
            time(12, 30),
            "anna@prades.demo",
            ["direction@prades.demo"],
            "Stand sous les platanes : un café, des flyers, repérer qui revient.",
        ),
    ],
    "cs-mosson": [
        (
            SK.STAND,
            "Marché de la Mosson",
            "La Mosson",
            [6],
            time(9, 0),
            time(13, 0),
            "coordination@mosson.demo",
            ["benevole@mosson.demo"],
            "QG au marché du dimanche : jeux pour les enfants, café pour les parents.",
        ),
    ],
    "bus-picardie": [
        (
            SK.MOBILE_OFFICE,
            "Place de la mairie de Grandvilliers",
            "Grandvilliers",
            [1],
            time(9, 0),
            time(12, 0),
            "benevole@picardie.demo",
            ["coordination@picardie.demo"],
            "Le bus des services : aide aux démarches en ligne.",
        ),
        (
            SK.MOBILE_OFFICE,
            "Marché de Formerie",
            "Formerie",
            [2],
            time(8, 30),
            time(12, 0),
            "benevole@picardie.demo",
            ["coordination@picardie.demo"],
            "",
        ),
        (
            SK.MOBILE_OFFICE,
            "Place de l'église de Songeons",
            "Songeons",
            [3],
            time(14, 0),
            time(17, 0),
            "benevole@picardie.demo",
            [],
            "",
        ),
        (
            SK.MOBILE_OFFICE,
            "Parking de la salle des fêtes",
            "Marseille-en-Beauvaisis",
            [4],
            time(9, 0),
            time(12, 0),
            "benevole@picardie.demo",
            [],
            "",
        ),
    ],
}

# Monthly sessions as (kind, place or None, territory, nth weekday of the month
# (n, weekday), start, end, lead, team); yearly events as (kind, place, territory,
# (month, n, weekday), start, end, lead, team, objectives).
MONTHLY = {
    "evs-prades": [
        (
            SK.WALKABOUT,
            "Place de la gare et pôle multimodal",
            "Quartier de la gare",
            (1, 4),
            time(14, 0),
            time(17, 0),
            "coordination@prades.demo",
            ["benevole@prades.demo", "anna@prades.demo"],
        ),
    ],
    "cs-mosson": [
        (
            SK.WALKABOUT,
            None,
            "Hauts de Massane",
            (2, 2),
            time(14, 0),
            time(17, 0),
            "coordination@mosson.demo",
            ["etudiant@mosson.demo", "benevole@mosson.demo"],
        ),
        (
            SK.PERMANENCE,
            "Salle de la mairie de Clermont",
            "Clermont-l'Hérault",
            (1, 3),
            time(9, 0),
            time(12, 0),
            "coordination@mosson.demo",
            [],
        ),
    ],
    "bus-picardie": [
        (
            SK.WALKABOUT,
            None,
            "Formerie",
            (1, 0),
            time(10, 0),
            time(12, 0),
            "coordination@picardie.demo",
            ["benevole@picardie.demo"],
        ),
    ],
}

YEARLY = {
    "evs-prades": [
        (
            SK.EVENT,
            "Place de la gare et pôle multimodal",
            "Quartier de la gare",
            (9, 3, 5),
            time(10, 0),
            time(17, 0),
            "coordination@prades.demo",
            ["benevole@prades.demo", "anna@prades.demo", "direction@prades.demo"],
            "Disco soupe sur la place de la gare : cuisiner ensemble les invendus du marché.",
        ),
    ],
    "cs-mosson": [
        (
            SK.EVENT,
            "Station de tram Mosson",
            "La Mosson",
            (5, 3, 5),
            time(14, 0),
            time(19, 0),
            "coordination@mosson.demo",
            ["benevole@mosson.demo", "etudiant@mosson.demo"],
            "Fête de quartier avec les partenaires : stands CAF, CPAM, Mission locale.",
        ),
    ],
    "bus-picardie": [
        (
            SK.EVENT,
            "Place de la mairie de Grandvilliers",
            "Grandvilliers",
            (10, 2, 5),
            time(9, 30),
            time(16, 0),
            "coordination@picardie.demo",
            ["benevole@picardie.demo", "direction@picardie.demo"],
            "Forum de l'accès aux droits avec la MSA et la CAF.",
        ),
    ],
}

PAST_DAYS, AHEAD_DAYS = 365, 31


RIGHT_WEIGHTS = {
    "rsa": 42,
    "prime-activite": 27,
    "css": 44,
    "ame": 49,
    "ash": 50,
    "retraite": 32,
    "aspa": 20,
    "aides-logement": 15,
    "cheque-energie": 15,
    "aah": 10,
    "prestations-familiales": 8,
}
REASON_WEIGHTS = {
    NonTakeUpReason.NON_KNOWLEDGE: 40,
    NonTakeUpReason.NON_DEMAND: 30,
    NonTakeUpReason.NON_RECEIPT: 15,
    NonTakeUpReason.NON_PROPOSAL: 15,
}
PARTNER_WEIGHTS = {
    Partner.Kind.CCAS: 30,
    Partner.Kind.CAF: 26,
    Partner.Kind.CPAM: 9,
    Partner.Kind.FRANCE_SERVICES: 8,
    Partner.Kind.FRANCE_TRAVAIL: 7,
    Partner.Kind.MISSION_LOCALE: 6,
    Partner.Kind.DEPARTMENT_SOCIAL: 6,
    Partner.Kind.MSA: 4,
    Partner.Kind.FOOD_BANK: 4,
}
OUTCOME_WEIGHTS = {
    ReferralOutcome.PROPOSED: 25,
    ReferralOutcome.ACCEPTED: 20,
    ReferralOutcome.DONE: 25,
    ReferralOutcome.DECLINED: 10,
    ReferralOutcome.UNKNOWN: 20,
}
AGE_WEIGHTS = {
    AgeBand.UNKNOWN: 8,
    AgeBand.UNDER_18: 3,
    AgeBand.FROM_18_TO_25: 14,
    AgeBand.FROM_26_TO_39: 22,
    AgeBand.FROM_40_TO_59: 27,
    AgeBand.FROM_60_TO_74: 17,
    AgeBand.FROM_75: 9,
}
TOPIC_WEIGHTS = {
    Topic.RIGHTS: 30,
    Topic.DIGITAL: 16,
    Topic.HEALTH: 14,
    Topic.HOUSING: 12,
    Topic.EMPLOYMENT: 10,
    Topic.ENERGY: 8,
    Topic.ISOLATION: 9,
    Topic.FAMILY: 7,
    Topic.FOOD: 6,
    Topic.MOBILITY: 5,
    Topic.PAPERS: 4,
}
# Conversations per session, by kind: a permanence sees fewer people than a market.
PER_SESSION = {
    SessionKind.STAND: (2, 7),
    SessionKind.WALKABOUT: (1, 5),
    SessionKind.PERMANENCE: (1, 5),
    SessionKind.MOBILE_OFFICE: (2, 6),
    SessionKind.EVENT: (5, 12),
}
NOTES = [
    "Vient pour le café, parle de ses factures d'énergie.",
    "Ne savait pas qu'elle pouvait avoir droit à la complémentaire santé.",
    "Dossier RSA commencé il y a un an, jamais terminé : découragé.",
    "Cherche de l'aide pour une démarche en ligne, pas d'ordinateur à la maison.",
    "Jeune sans emploi, ne connaissait pas la Mission locale.",
    "Retraité isolé, content de parler ; revient la semaine prochaine.",
    "Famille arrivée récemment dans le quartier, cherche l'école et la CAF.",
    "Refuse d'en parler aujourd'hui, accepte le flyer.",
    "",
    "",
]
