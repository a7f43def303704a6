"""The reference list of rights and benefits, loaded by a data migration.

Names stay in French: they are the official names of French benefits.
"""

from __future__ import annotations

RIGHTS: list[dict[str, str]] = [
    {
        "code": "rsa",
        "short_name": "RSA",
        "name": "Revenu de solidarité active",
        "administered_by": "CAF ou MSA, pour le compte du département",
    },
    {
        "code": "prime-activite",
        "short_name": "Prime d'activité",
        "name": "Prime d'activité",
        "administered_by": "CAF ou MSA",
    },
    {
        "code": "css",
        "short_name": "CSS",
        "name": "Complémentaire santé solidaire (ex-CMU-C et ACS)",
        "administered_by": "CPAM ou MSA",
    },
    {
        "code": "ame",
        "short_name": "AME",
        "name": "Aide médicale de l'État",
        "administered_by": "CPAM",
    },
    {
        "code": "aides-logement",
        "short_name": "Aides au logement",
        "name": "Aides personnelles au logement (APL, ALF, ALS)",
        "administered_by": "CAF ou MSA",
    },
    {
        "code": "aah",
        "short_name": "AAH",
        "name": "Allocation aux adultes handicapés",
        "administered_by": "CAF ou MSA, sur décision de la MDPH",
    },
    {
        "code": "aspa",
        "short_name": "ASPA",
        "name": "Allocation de solidarité aux personnes âgées",
        "administered_by": "Carsat, MSA ou caisse de retraite",
    },
    {
        "code": "retraite",
        "short_name": "Retraite",
        "name": "Pensions de retraite (base et complémentaire)",
        "administered_by": "Carsat, MSA, Agirc-Arrco et autres caisses",
    },
    {
        "code": "ash",
        "short_name": "ASH",
        "name": "Aide sociale à l'hébergement",
        "administered_by": "Département",
    },
    {
        "code": "apa",
        "short_name": "APA",
        "name": "Allocation personnalisée d'autonomie",
        "administered_by": "Département",
    },
    {
        "code": "cheque-energie",
        "short_name": "Chèque énergie",
        "name": "Chèque énergie",
        "administered_by": "État (Agence de services et de paiement)",
    },
    {
        "code": "prestations-familiales",
        "short_name": "Prestations familiales",
        "name": "Prestations familiales (allocations familiales, PAJE, complément familial)",
        "administered_by": "CAF ou MSA",
    },
    {
        "code": "ars",
        "short_name": "ARS",
        "name": "Allocation de rentrée scolaire",
        "administered_by": "CAF ou MSA",
    },
    {
        "code": "bourses-scolaires",
        "short_name": "Bourses",
        "name": "Bourses de collège et de lycée",
        "administered_by": "Éducation nationale",
    },
    {
        "code": "asf",
        "short_name": "ASF",
        "name": "Allocation de soutien familial",
        "administered_by": "CAF ou MSA",
    },
    {
        "code": "chomage",
        "short_name": "Allocation chômage",
        "name": "Allocation d'aide au retour à l'emploi (ARE) et ASS",
        "administered_by": "France Travail",
    },
    {
        "code": "contrat-engagement-jeune",
        "short_name": "CEJ",
        "name": "Contrat d'engagement jeune",
        "administered_by": "Mission locale ou France Travail",
    },
    {
        "code": "pch",
        "short_name": "PCH",
        "name": "Prestation de compensation du handicap",
        "administered_by": "Département, sur décision de la MDPH",
    },
    {
        "code": "tarifs-sociaux",
        "short_name": "Tarifs sociaux",
        "name": "Tarifs sociaux (transports, cantine, eau) et aides facultatives du CCAS",
        "administered_by": "Commune, CCAS, autorités organisatrices",
    },
    {
        "code": "fsl",
        "short_name": "FSL",
        "name": "Fonds de solidarité pour le logement",
        "administered_by": "Département",
    },
]
