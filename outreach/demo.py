"""Deterministic, idempotent demo data that looks like the field.

Three organisations from DOMAIN.md: an espace de vie sociale in Prades (Conflent), a
centre social in the Mosson neighbourhood of Montpellier, and a mobile-office service in
rural Picardy. Every row is found by a natural key and updated in place, so running the
seed twice gives the same data and never touches what users created themselves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from encounters.demo import seed_encounters
from outreach import services
from outreach.models import (
    Atmosphere,
    Membership,
    Organisation,
    OutreachSession,
    Role,
    SeriesMember,
    SessionKind,
    SessionSeries,
    SessionStatus,
)
from reports.rollups import rollup_rebuild
from territories.models import Partner, PartnerTerritory, Place, Territory

User = get_user_model()

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


def _seed_users(orgs: dict[str, Organisation]) -> None:
    for demo in USERS:
        user, _ = User.objects.update_or_create(
            username=demo.email,
            defaults={
                "email": demo.email,
                "first_name": demo.first_name,
                "last_name": demo.last_name,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for slug, role in demo.roles.items():
            Membership.objects.update_or_create(
                organisation=orgs[slug], user=user, defaults={"role": role, "is_active": True}
            )


def _seed_directory(org: Organisation) -> None:
    territories: dict[str, Territory] = {}
    for name, kind, parent, insee, qpv, description in TERRITORIES[org.slug]:
        territory = Territory.objects.filter(organisation=org, name=name).first() or Territory(
            organisation=org, name=name
        )
        territory.kind, territory.insee_code, territory.is_qpv = kind, insee, qpv
        territory.parent = territories.get(parent) if parent else None
        territory.description = description
        territory.save()
        territories[name] = territory
    for name, kind, terr, lat, lon, days, start, end, notes in PLACES[org.slug]:
        Place.objects.update_or_create(
            organisation=org,
            name=name,
            defaults={
                "kind": kind,
                "territory": territories[terr],
                "latitude": lat,
                "longitude": lon,
                "best_days": days,
                "best_from": start,
                "best_until": end,
                "notes": notes,
            },
        )
    for name, kind, served, address, hours, phone, email in PARTNERS[org.slug]:
        partner = Partner.objects.filter(organisation=org, name=name).first() or Partner(
            organisation=org, name=name
        )
        partner.kind, partner.address, partner.opening_hours = kind, address, hours
        partner.phone, partner.email = phone, email
        partner.save()
        for terr in served:
            PartnerTerritory.objects.get_or_create(
                organisation=org, partner=partner, territory=territories[terr]
            )


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


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _months(first: date, last: date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _single(org, kind, place, territory, day, start, end, lead, team, objectives="") -> int:
    """One seeded session outside any series, found again by (organisation, kind, start)."""
    starts_at = services.local_datetime(day, start)
    session = OutreachSession.objects.filter(
        organisation=org, series__isnull=True, kind=kind, starts_at=starts_at
    ).first()
    if session is None:
        session = services.session_create(
            organisation=org,
            kind=kind,
            territory=territory,
            place=place,
            starts_at=starts_at,
            ends_at=services.local_datetime(day, end),
            lead=lead,
            members=team,
            objectives=objectives,
        )
    return session.pk


def _seed_sessions(org: Organisation, today: date) -> None:
    """12 months of past sessions and one month ahead, in the rhythms of the field."""
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    territories = {t.name: t for t in Territory.objects.filter(organisation=org)}
    places = {p.name: p for p in Place.objects.filter(organisation=org)}
    users = {u.email: u for u in User.objects.filter(memberships__organisation=org)}
    seeded: list[int] = []
    existing = list(SessionSeries.objects.filter(organisation=org))
    for kind, place, terr, days, start, end, lead, team, objectives in SERIES[org.slug]:
        members = [users[e] for e in [lead, *team]]
        series = next(
            (
                s
                for s in existing
                if (s.kind, s.place_id, s.weekdays, s.start_time)
                == (kind, places[place].pk, days, start)
            ),
            None,
        )
        if series is None:
            series, _count = services.series_create(
                organisation=org,
                kind=kind,
                territory=territories[terr],
                place=places[place],
                weekdays=days,
                start_time=start,
                end_time=end,
                first_date=first,
                last_date=last,
                lead=users[lead],
                members=members,
                objectives=objectives,
            )
        else:
            # Run again later: extend the series to the new window, keep what exists.
            series.first_date = min(series.first_date, first)
            series.last_date = max(series.last_date, last)
            series.save(update_fields=["first_date", "last_date"])
            for user in members:
                SeriesMember.objects.get_or_create(organisation=org, series=series, user=user)
            services._generate(series, members)
        seeded.extend(OutreachSession.objects.filter(series=series).values_list("pk", flat=True))
    for kind, place, terr, (n, weekday), start, end, lead, team in MONTHLY[org.slug]:
        for year, month in _months(first, last):
            day = _nth_weekday(year, month, n, weekday)
            if first <= day <= last:
                seeded.append(
                    _single(
                        org,
                        kind,
                        places.get(place),
                        territories[terr],
                        day,
                        start,
                        end,
                        users[lead],
                        [users[e] for e in team],
                    )
                )
    for kind, place, terr, (month, n, weekday), start, end, lead, team, obj in YEARLY[org.slug]:
        for year in (first.year, last.year):
            day = _nth_weekday(year, month, n, weekday)
            if first <= day <= last:
                seeded.append(
                    _single(
                        org,
                        kind,
                        places[place],
                        territories[terr],
                        day,
                        start,
                        end,
                        users[lead],
                        [users[e] for e in team],
                        obj,
                    )
                )
    _debrief_past(org, seeded)


def _debrief_past(org: Organisation, ids: list[int]) -> None:
    """Past seeded sessions are done, with counts from a random generator seeded by the
    session's own start: the same figures on every run."""
    now = timezone.now()
    atmospheres = [Atmosphere.GOOD, Atmosphere.GOOD, Atmosphere.CALM, Atmosphere.MIXED]
    past = list(
        OutreachSession.objects.filter(
            pk__in=ids, ends_at__lt=now, status=SessionStatus.PLANNED, debriefed_at__isnull=True
        )
    )
    for session in past:
        rng = random.Random(f"{org.slug}-{session.starts_at.isoformat()}")
        session.status = SessionStatus.DONE
        session.brief_contacts = rng.randint(4, 30)
        session.refusals = rng.randint(0, 6)
        session.atmosphere = rng.choice(atmospheres)
        session.debriefed_at = session.ends_at
        session.debriefed_by_id = session.lead_id
    OutreachSession.objects.bulk_update(
        past,
        ["status", "brief_contacts", "refusals", "atmosphere", "debriefed_at", "debriefed_by"],
        batch_size=500,
    )


@transaction.atomic
def seed(today: date | None = None) -> dict[str, Organisation]:
    orgs = {}
    for data in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(slug=data["slug"], defaults=data)
        orgs[org.slug] = org
    _seed_users(orgs)
    today = today or timezone.localdate()
    for org in orgs.values():
        _seed_directory(org)
        _seed_sessions(org, today)
        seed_encounters(org)
        # Bulk writes, not the services: the dashboard's daily rollups are rebuilt at once.
        rollup_rebuild(organisation_id=org.pk)
    return orgs
