"""The seed document's portfolio as data: KSM's programmes' parties and cooperatives (names in
French and Arabic, zones, grants and their items, beneficiary figures), and the common Moroccan
names the demo's generated people are given. demo/portfolio.py loads them through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ksm_desktop.domain.enums import GrantKind, OrgKind, Vulnerability

D = Decimal
DEMO_RATE = D("10.8500")

WOMEN_FIRST = [
    "Fatima",
    "Khadija",
    "Aicha",
    "Naima",
    "Malika",
    "Zahra",
    "Hanane",
    "Saida",
    "Rachida",
    "Latifa",
    "Samira",
    "Karima",
    "Fadma",
    "Itto",
    "Meryem",
    "Nadia",
    "Hafsa",
    "Zineb",
]
MEN_FIRST = [
    "Mohamed",
    "Ahmed",
    "Hassan",
    "Brahim",
    "Lahcen",
    "Youssef",
    "Mustapha",
    "Abdellah",
    "Said",
    "Omar",
    "Hamid",
    "Driss",
    "Moha",
    "Rachid",
    "Khalid",
    "Ali",
    "Aziz",
    "Hicham",
]
LAST = [
    "Alaoui",
    "Ouhaddou",
    "Amrani",
    "Bennani",
    "Idrissi",
    "Tazi",
    "Ait Ali",
    "Oubella",
    "El Fassi",
    "Boukili",
    "Zahiri",
    "Ait Baha",
    "Moussaoui",
    "Belkadi",
    "Chraibi",
    "Ouchen",
    "El Hachimi",
    "Naciri",
    "Azizi",
    "Lamrani",
]
AR = {
    "Fatima": "فاطمة",
    "Khadija": "خديجة",
    "Aicha": "عائشة",
    "Naima": "نعيمة",
    "Malika": "مليكة",
    "Zahra": "زهرة",
    "Hanane": "حنان",
    "Saida": "سعيدة",
    "Rachida": "رشيدة",
    "Latifa": "لطيفة",
    "Samira": "سميرة",
    "Karima": "كريمة",
    "Fadma": "فاطمة",
    "Itto": "إيطو",
    "Meryem": "مريم",
    "Nadia": "نادية",
    "Hafsa": "حفصة",
    "Zineb": "زينب",
    "Mohamed": "محمد",
    "Ahmed": "أحمد",
    "Hassan": "حسن",
    "Brahim": "إبراهيم",
    "Lahcen": "لحسن",
    "Youssef": "يوسف",
    "Mustapha": "مصطفى",
    "Abdellah": "عبد الله",
    "Said": "سعيد",
    "Omar": "عمر",
    "Hamid": "حميد",
    "Driss": "إدريس",
    "Moha": "موحى",
    "Rachid": "رشيد",
    "Khalid": "خالد",
    "Ali": "علي",
    "Aziz": "عزيز",
    "Hicham": "هشام",
    "Alaoui": "العلوي",
    "Ouhaddou": "أوحدو",
    "Amrani": "العمراني",
    "Bennani": "بناني",
    "Idrissi": "الإدريسي",
    "Tazi": "التازي",
    "Ait Ali": "آيت علي",
    "Oubella": "أوبلا",
    "El Fassi": "الفاسي",
    "Boukili": "بوكيلي",
    "Zahiri": "الزاهري",
    "Ait Baha": "آيت باها",
    "Moussaoui": "الموساوي",
    "Belkadi": "بلقاضي",
    "Chraibi": "الشرايبي",
    "Ouchen": "أوشن",
    "El Hachimi": "الهاشمي",
    "Naciri": "الناصري",
    "Azizi": "العزيزي",
    "Lamrani": "العمراني",
}


@dataclass(frozen=True)
class OrgSeed:
    code: str
    kind: OrgKind
    name: str
    name_ar: str | None
    province: str | None = None
    sector: str | None = None


PARTIES = [
    OrgSeed(
        "DGD",
        OrgKind.DONOR,
        "Direction Générale Coopération au Développement et Aide humanitaire (DGD)",
        "المديرية العامة للتعاون الإنمائي والمساعدات الإنسانية (بلجيكا)",
    ),
    OrgSeed("IRNL", OrgKind.DONOR, "Islamic Relief Nederland", "الإغاثة الإسلامية هولندا"),
    OrgSeed("KSB", OrgKind.DONOR, "Karama Solidarity Belgique", "كرامة للتضامن بلجيكا"),
    OrgSeed("KIYO", OrgKind.PARTNER, "KIYO", "كيو"),
    OrgSeed("CONGODORPEN", OrgKind.PARTNER, "Congodorpen", "كونغودوربن"),
    OrgSeed(
        "ATDC",
        OrgKind.ASSOCIATION,
        "Association ATAWASSOL pour le développement communautaire (ATDC)",
        "جمعية التواصل للتنمية المجتمعية",
        "Midelt",
        "Développement communautaire",
    ),
    OrgSeed(
        "AMANE",
        OrgKind.ASSOCIATION,
        "Association AMANE",
        "جمعية أمان",
        "Rabat",
        "Droits de l'enfant",
    ),
    OrgSeed(
        "ATTAWASSOL",
        OrgKind.ASSOCIATION,
        "Association ATTAWASSOL des malentendants",
        "جمعية التواصل للصم",
        "Tanger-Assilah",
        "Handicap auditif",
    ),
    OrgSeed(
        "KARAMA-FEMME",
        OrgKind.ASSOCIATION,
        "Association KARAMA pour le développement de la femme",
        "جمعية كرامة لتنمية المرأة",
        "Tanger-Assilah",
        "Droits des femmes",
    ),
]


# The seed gives no years for the Errachidia cooperatives' projects nor for TAMKIN: the demo's own
# periods, chosen to hold what it records (the four cooperative grants of 2023-2024; TAMKIN's
# training cycle and restitution workshops of 2023), both still running.
AGR_PERIOD = (dt.date(2023, 1, 1), dt.date(2026, 12, 31))
TAMKIN_PERIOD = (dt.date(2023, 1, 1), dt.date(2026, 12, 31))


@dataclass(frozen=True)
class CoopSeed:
    org: OrgSeed
    commune: str
    kind: GrantKind
    purpose: str
    women: int
    men: int
    unspecified: int
    items: tuple[tuple[str, str, str, str], ...]  # designation, quantity, unit, unit price (EUR)
    members_women: int
    members_men: int
    granted: dt.date  # inside AGR_PERIOD: a demo grant belongs to its programme's years, not today's
    tags: tuple[Vulnerability, ...] = ()


COOPERATIVES = [
    CoopSeed(
        OrgSeed(
            "CHEMS",
            OrgKind.COOPERATIVE,
            "Coopérative Chems Almaghreb",
            "تعاونية شمس المغرب",
            "Errachidia",
            "Couscous",
        ),
        "Errachidia",
        GrantKind.WORKS,
        "Construction d'un local coopératif écologique et hygiénique pour la production du couscous",
        150,
        20,
        0,
        (
            ("Gros œuvre du local (fondations, murs, dalle)", "1", "forfait", "21000.00"),
            ("Isolation écologique et toiture", "1", "forfait", "6500.00"),
            ("Revêtements hygiéniques (carrelage, faïence alimentaire)", "120", "m²", "35.00"),
            ("Plomberie, évacuation et point d'eau", "1", "forfait", "2800.00"),
            ("Installation électrique et éclairage", "1", "forfait", "1500.00"),
        ),
        14,
        4,
        dt.date(2023, 4, 10),
    ),
    CoopSeed(
        OrgSeed(
            "AGHRUM",
            OrgKind.COOPERATIVE,
            "Coopérative Aghrum Pour l'Excellence",
            "تعاونية أغروم للتميز",
            "Errachidia",
            "Pain et produits du terroir",
        ),
        "Errachidia",
        GrantKind.WORKS,
        "Réhabilitation et traitement du local de la coopérative féminine Aghrum",
        11,
        0,
        0,
        (
            ("Traitement de l'humidité et enduits", "85", "m²", "30.00"),
            ("Peinture intérieure lavable", "160", "m²", "12.50"),
            ("Menuiserie (porte et fenêtres)", "1", "lot", "2450.00"),
        ),
        11,
        0,
        dt.date(2023, 10, 2),
        (Vulnerability.WIDOW,),
    ),
    CoopSeed(
        OrgSeed(
            "MALIKA",
            OrgKind.COOPERATIVE,
            "Coopérative Malika",
            "تعاونية مليكة",
            "Errachidia",
            "Couture et broderie",
        ),
        "Errachidia",
        GrantKind.EQUIPMENT,
        "Achat de machines à broder et à coudre pour la production de vêtements",
        172,
        168,
        0,
        (
            ("Machine à coudre industrielle piqueuse plate", "8", "unité", "520.00"),
            ("Machine à broder électronique 1 tête", "2", "unité", "1300.00"),
            ("Surjeteuse 4 fils", "2", "unité", "380.00"),
            ("Table de coupe et petit outillage", "1", "lot", "480.00"),
        ),
        12,
        10,
        dt.date(2024, 3, 4),
    ),
    CoopSeed(
        OrgSeed(
            "WEAM",
            OrgKind.COOPERATIVE,
            "Coopérative WEAM pour la solidarité",
            "تعاونية وئام للتضامن",
            "Errachidia",
            "Pain traditionnel",
        ),
        "Errachidia",
        GrantKind.WORKS,
        "Construction du local de la coopérative, spécialisée dans la production du pain traditionnel",
        0,
        0,
        400,
        (
            ("Construction du local (gros œuvre et second œuvre)", "1", "forfait", "11200.00"),
            ("Four traditionnel maçonné", "1", "unité", "2100.00"),
            ("Raccordements eau et électricité", "1", "forfait", "900.00"),
        ),
        9,
        6,
        dt.date(2024, 9, 16),
    ),
]

# Ensemble Avançons: 3 zones, 10 douars (the seed names the zones, not the douars).
EA_ZONES = (("Zaouia", "Midelt", 2), ("Bertat", "Midelt", 3), ("Oum Jniba", "Boulemane", 5))
