"""KSM's real portfolio from the seed document, loaded as demo data (idempotent).

Programmes, organisations, zones, budgets, grant amounts and beneficiary figures come from the
seed document. People are generated: their names are common Moroccan names, their CIN numbers
start with "ZZ" (a prefix no office issues) and their phones are in the 0600-00xxxx range, so
nobody can mistake them for real persons.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ksm_desktop.domain.enums import (
    GrantKind,
    LocationLevel,
    MemberRole,
    OrgKind,
    ProgrammeStatus,
    Sex,
    Vulnerability,
)
from ksm_desktop.domain.errors import NotFoundError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.services import Services
from ksm_desktop.services.dto import (
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    PersonInput,
    ProgrammeInput,
)

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


@dataclass
class DemoReport:
    """What `demo` added; an empty report means the portfolio was already there."""

    added: list[str] = field(default_factory=list)


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


def _province(s: Services, name: str) -> int:
    found = s.locations.find(name, LocationLevel.PROVINCE)
    if found is None:
        raise NotFoundError(_("Unknown province “{name}”.").format(name=name))
    return found.id


def _commune(s: Services, name: str, province: str) -> int:
    return s.locations.add(LocationLevel.COMMUNE, name, _province(s, province)).id


def _org(s: Services, seed: OrgSeed, report: DemoReport, commune: str | None = None) -> int:
    try:
        return s.organisations.get_by_code(seed.code).id
    except NotFoundError:
        pass
    location = None
    if seed.province:
        location = _commune(s, commune, seed.province) if commune else _province(s, seed.province)
    org = s.organisations.create(
        OrganisationInput(
            kind=seed.kind,
            name=seed.name,
            code=seed.code,
            name_ar=seed.name_ar,
            sector=seed.sector,
            location_id=location,
            registration_number=f"ODCO-{seed.code}-DEMO" if seed.kind == OrgKind.COOPERATIVE else None,
        )
    )
    report.added.append(_("organisation {code}").format(code=org.code))
    return org.id


def _people(
    rng: random.Random, serial: Iterator[int], women: int, men: int, tags: tuple[Vulnerability, ...]
) -> list[PersonInput]:
    people = []
    for sex, count, names in ((Sex.FEMALE, women, WOMEN_FIRST), (Sex.MALE, men, MEN_FIRST)):
        for _n in range(count):
            first, last = rng.choice(names), rng.choice(LAST)
            people.append(
                PersonInput(
                    first_name=first,
                    last_name=last,
                    sex=sex,
                    full_name_ar=f"{AR[first]} {AR[last]}",
                    cin=f"ZZ{next(serial):06d}",
                    phone=f"06000{rng.randrange(10000, 99999)}",
                    birth_year=rng.randrange(1960, 2004),
                    vulnerabilities=list(tags),
                )
            )
    return people


def _programme(s: Services, data: ProgrammeInput, report: DemoReport) -> int:
    try:
        return s.programmes.get_by_code(data.code).id
    except NotFoundError:
        programme = s.programmes.create(data)
        report.added.append(_("programme {code}").format(code=programme.code))
        return programme.id


def load_demo(s: Services) -> DemoReport:
    """Add whatever part of the seed portfolio is missing; running it twice adds nothing.

    One transaction: a load killed half-way leaves nothing behind, so it can simply be run again."""
    with s.db.all_or_nothing(s.actor.username):
        return _load(s)


def _load(s: Services) -> DemoReport:
    report = DemoReport()
    ids = {seed.code: _org(s, seed, report) for seed in PARTIES}

    _programme(
        s,
        ProgrammeInput(
            code="TED",
            name="Tous ensemble pour les droits de tous",
            name_ar="جميعا من أجل حقوق الجميع",
            description="Challenge Together for Everybody's Rights: programme quinquennal pour les droits de "
            "l'enfant, mis en œuvre par KIYO et Karama Solidarity, cofinancé par la DGD; KSM facilitateur.",
            start_date=dt.date(2017, 1, 1),
            end_date=dt.date(2021, 12, 31),
            status=ProgrammeStatus.CLOSED,
            donor_ids=[ids["DGD"]],
            partner_ids=[ids["KIYO"], ids["AMANE"], ids["ATTAWASSOL"], ids["KARAMA-FEMME"]],
            zone_ids=[_province(s, "Rabat"), _province(s, "Tanger-Assilah")],
        ),
        report,
    )

    douars = []
    for zone, province, count in EA_ZONES:
        commune = _commune(s, zone, province)
        douars += [
            s.locations.add(LocationLevel.DOUAR, f"{zone} – douar {n}", commune).id
            for n in range(1, count + 1)
        ]
    _programme(
        s,
        ProgrammeInput(
            code="EA",
            name="Ensemble Avançons",
            name_ar="معا نتقدم",
            description="Programme quinquennal (DGD) avec Congodorpen, Karama Solidarity et ATDC (Midelt): "
            "autonomisation sociale et économique des populations rurales.",
            start_date=dt.date(2022, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status=ProgrammeStatus.ONGOING,
            target_women=4176,
            target_men=4224,
            donor_ids=[ids["DGD"]],
            partner_ids=[ids["CONGODORPEN"], ids["ATDC"]],
            zone_ids=douars,
        ),
        report,
    )

    _programme(
        s,
        ProgrammeInput(
            code="AQUA-NOOR",
            name="AQUA-NOOR",
            name_ar="أكوا نور",
            description="Accès à l'eau, à l'assainissement et à l'énergie solaire pour 175 familles nomades de "
            "9 tribus (communes de Maatarka et Tendrara).",
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2022, 12, 31),
            status=ProgrammeStatus.CLOSED,
            budget=D("600000"),
            currency="EUR",
            donor_ids=[ids["KSB"], ids["IRNL"]],
            zone_ids=[_commune(s, "Maatarka", "Figuig"), _commune(s, "Tendrara", "Figuig")],
        ),
        report,
    )

    _programme(
        s,
        ProgrammeInput(
            code="TAMKIN",
            name="TAMKIN",
            name_ar="تمكين",
            description="Renforcement des capacités de 11 associations partenaires: 22 représentants formés, "
            "132 bénéficiaires indirects par les ateliers de restitution.",
            start_date=TAMKIN_PERIOD[0],
            end_date=TAMKIN_PERIOD[1],
            status=ProgrammeStatus.ONGOING,
        ),
        report,
    )

    agr = _programme(
        s,
        ProgrammeInput(
            code="AGR-ERR",
            name="AGR et coopératives – Errachidia",
            name_ar="الأنشطة المدرة للدخل والتعاونيات – الرشيدية",
            description="Appui aux activités génératrices de revenus et aux coopératives de la province d'Errachidia.",
            start_date=AGR_PERIOD[0],
            end_date=AGR_PERIOD[1],
            status=ProgrammeStatus.ONGOING,
            budget=D("65200"),
            currency="EUR",
            zone_ids=[_province(s, "Errachidia")],
        ),
        report,
    )

    rng = random.Random(2026)
    serial = itertools.count(100001)
    for coop in COOPERATIVES:
        exists = True
        try:
            s.organisations.get_by_code(coop.org.code)
        except NotFoundError:
            exists = False
        org_id = _org(s, coop.org, report, coop.commune)
        people = _people(rng, serial, coop.members_women, coop.members_men, coop.tags)
        if exists:
            continue
        s.persons.bulk_create(people, organisation_id=org_id)
        president = s.persons.members_of(org_id)[0]
        s.persons.update_membership(president.id, MemberRole.PRESIDENT, None, None)
        s.grants.create(
            GrantInput(
                purpose=coop.purpose,
                kind=coop.kind,
                programme_id=agr,
                organisation_id=org_id,
                currency="EUR",
                eur_mad_rate=DEMO_RATE,
                grant_date=coop.granted,
                women=coop.women,
                men=coop.men,
                unspecified=coop.unspecified,
                items=[GrantItemInput(d, D(q), D(p), unit=u) for d, q, u, p in coop.items],
            )
        )
        report.added.append(
            ngettext(
                "{count} member and a grant for {code}", "{count} members and a grant for {code}", len(people)
            ).format(count=len(people), code=coop.org.code)
        )
    from ksm_desktop.demo.fieldwork import load_field_demo  # it builds on what is above

    load_field_demo(s, report)
    return report
