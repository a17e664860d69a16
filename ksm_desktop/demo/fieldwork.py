"""The field part of the demo portfolio: AQUA-NOOR's households, TAMKIN's trainings, Ensemble
Avançons' results (idempotent, called at the end of load_demo).

Figures come from the seed document: 175 nomad families of 9 tribes in Maatarka and Tendrara,
135 equipped in 2021 and 40 in Q1 2022, 9 water towers, 9 local associations; TAMKIN's 11
associations, 22 representatives trained, 132 indirect beneficiaries; Ensemble Avançons' six
results. Tribe, family and association names are invented (the seed names none), heads of
household and participants are generated like the other demo people (CIN prefix ZZ).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from decimal import Decimal

from ksm_desktop.demo.portfolio import DemoReport, _province
from ksm_desktop.demo.seed import AR, DEMO_RATE, LAST, MEN_FIRST, WOMEN_FIRST
from ksm_desktop.domain.enums import ActivityKind, Campaign, LocationLevel, OrgKind, Sex
from ksm_desktop.domain.errors import NotFoundError
from ksm_desktop.i18n import _
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import DeliveryInput, GrantInput, GrantItemInput, OrganisationInput, PersonInput
from ksm_desktop.services.dto_fieldwork import (
    ActivityInput,
    HouseholdAllocation,
    HouseholdInput,
    IndicatorInput,
    MeasurementInput,
)

D = Decimal

# Nine invented tribe names: (commune, tribe, Arabic).
TRIBES = (
    ("Maatarka", "Ouled Tafrat", "أولاد تافرات"),
    ("Maatarka", "Ait Zerouala", "آيت زروالة"),
    ("Maatarka", "Ouled Bouhdid", "أولاد بوحديد"),
    ("Maatarka", "Ait Lamrija", "آيت لمريجة"),
    ("Maatarka", "Ouled Sahli", "أولاد ساحلي"),
    ("Tendrara", "Ait Tinzert", "آيت تينزرت"),
    ("Tendrara", "Ouled Guelmim", "أولاد كلميم"),
    ("Tendrara", "Ait Oumadar", "آيت أومدار"),
    ("Tendrara", "Ouled Rezzaga", "أولاد رزاكة"),
)
# Invented family names of nomad households (none is a real family's).
FAMILY_ROOTS = ("Tafr", "Zerw", "Bouhd", "Lamr", "Sahl", "Tinz", "Guelm", "Oumad", "Rezz", "Khatt", "Nouid")
FAMILY_ENDS = ("ani", "aoui", "ouni", "ati", "ouli")
TAMKIN_ASSOCIATIONS = (  # invented names; province; the campaign they ran with KSM
    (
        "TMK-TIFAWIN",
        "Association Tifawin pour la solidarité",
        "جمعية تيفاوين للتضامن",
        "Azilal",
        Campaign.SOS_WINTER,
    ),
    ("TMK-ANWAR", "Association Anwar Al Atlas", "جمعية أنوار الأطلس", "Midelt", Campaign.SOS_WINTER),
    (
        "TMK-ISSAFEN",
        "Association Issafen pour le développement",
        "جمعية إيسافن للتنمية",
        "Tata",
        Campaign.RAMADAN,
    ),
    (
        "TMK-TAZIRI",
        "Association Taziri des femmes rurales",
        "جمعية تازيري للنساء القرويات",
        "Errachidia",
        Campaign.RAMADAN,
    ),
    (
        "TMK-AMOUDOU",
        "Association Amoudou Solidarité",
        "جمعية أمودو للتضامن",
        "Ouarzazate",
        Campaign.EID_AL_ADHA,
    ),
    (
        "TMK-TILELLI",
        "Association Tilelli pour l'enfance",
        "جمعية تيليلي للطفولة",
        "Tinghir",
        Campaign.EID_AL_ADHA,
    ),
    (
        "TMK-ASSIRAJ",
        "Association Assiraj d'éducation",
        "جمعية السراج للتربية",
        "Khénifra",
        Campaign.SCHOOL_START,
    ),
    ("TMK-AFOUS", "Association Afous Afous", "جمعية أفوس أفوس", "Al Haouz", Campaign.SCHOOL_START),
    (
        "TMK-RAHMA",
        "Association Rahma pour les orphelins",
        "جمعية رحمة للأيتام",
        "Figuig",
        Campaign.ORPHAN_SPONSORSHIP,
    ),
    ("TMK-TISSIRT", "Association Tissirt Water", "جمعية تيسيرت للماء", "Zagora", Campaign.WATER_ACCESS),
    (
        "TMK-AGHBALOU",
        "Association Aghbalou des sources",
        "جمعية أغبالو للعيون",
        "Boulemane",
        Campaign.WATER_ACCESS,
    ),
)
EA_RESULTS = (
    "A l'échelle locale, la concertation sociale permet la coordination, la mobilisation et le suivi des "
    "initiatives de la société civile et des PEL dans une approche communautaire, intégrée, de développement "
    "durable et de la pleine participation des femmes",
    "Le Partenaire Local renforcé, développe ses champs d'expertises en tant qu'acteur de développement "
    "spécialisé dans une approche communautaire et intégrée dans les domaines sociaux et/ou économiques, de "
    "développement durable et de la pleine participation des femmes.",
    "Des agriculteurs (hommes et femmes) améliorent leur productivité dans des filières ciblées- par une "
    "amélioration des chaînes de valeurs, leur structuration et dans des perspectives de développement durable "
    "et de pleine participation des femmes.",
    "Des Petits Entrepreneurs (hommes et femmes) Locaux (hors agriculture) améliorent leurs revenus dans des "
    "filières ciblées- par une amélioration des chaînes de valeurs, leur structuration et dans des perspectives "
    "de développement durable et de pleine participation des femmes.",
    "Des organisations de la Société Civile (OSC) actives dans le secteur de la santé à l'échelle locale sont "
    "reconnues et agissent en faveur de l'amélioration de l'offre et de l'accès à des soins de santé de qualité, "
    "en ce compris un environnement sain et l'intégration des besoins et accès spécifiques aux femmes.",
    "La société civile active localement en matière d'éducation (primaire et alphabétisation fonctionnelle et "
    "conscientisant), renforce sa structuration et agit en faveur de l'amélioration de l'accès à l'éducation, "
    "dans des perspectives de développement durable et inclusif.",
)
AQUA_FAMILIES, EQUIPPED_2021 = 175, 135


def _association(
    s: Services, code: str, name: str, name_ar: str, location_id: int, report: DemoReport
) -> int:
    try:
        return s.organisations.get_by_code(code).id
    except NotFoundError:
        org = s.organisations.create(
            OrganisationInput(
                kind=OrgKind.ASSOCIATION, name=name, code=code, name_ar=name_ar, location_id=location_id
            )
        )
        report.added.append(_("organisation {code}").format(code=org.code))
        return org.id


def _person(
    rng: random.Random, serial: Iterator[int], sex: Sex, last: str, last_ar: str | None
) -> PersonInput:
    first = rng.choice(WOMEN_FIRST if sex == Sex.FEMALE else MEN_FIRST)
    return PersonInput(
        first_name=first,
        last_name=last,
        sex=sex,
        full_name_ar=f"{AR[first]} {last_ar}" if last_ar else None,
        cin=f"ZZ{next(serial):06d}",
        phone=f"06000{rng.randrange(10000, 99999)}",
        birth_year=rng.randrange(1955, 2000),
    )


def _aqua_noor(s: Services, report: DemoReport) -> None:
    programme = s.programmes.get_by_code("AQUA-NOOR")
    if s.households.search(ListQuery(filters={"programme_id": programme.id}, limit=1)).total:
        return
    rng = random.Random(175)
    serial = itertools.count(200001)
    figuig = _province(s, "Figuig")
    tribes, communes = [], {}
    for commune, tribe, tribe_ar in TRIBES:
        if commune not in communes:
            communes[commune] = s.locations.add(LocationLevel.COMMUNE, commune, figuig).id
        commune_id = communes[commune]
        tribes.append((s.locations.add(LocationLevel.TRIBE, tribe, commune_id, tribe_ar).id, tribe, tribe_ar))
    names = [f"{root}{end}" for root, end in itertools.product(FAMILY_ROOTS, FAMILY_ENDS)]
    heads = [
        _person(rng, serial, Sex.FEMALE if n % 7 == 0 else Sex.MALE, names[n % len(names)], None)
        for n in range(AQUA_FAMILIES)
    ]
    s.persons.bulk_create(heads)
    by_cin = {p.cin: p.id for p in s.persons.search(ListQuery(text="ZZ2", limit=None)).rows}
    head_ids = [by_cin[h.cin] for h in heads]
    households = s.households.bulk_create(
        [
            HouseholdInput(
                head_id=head_id,
                size=rng.randrange(3, 10),
                location_id=tribes[n % len(tribes)][0],
                programme_id=programme.id,
                code=f"AQN-{n + 1:03d}",
            )
            for n, head_id in enumerate(head_ids)
        ]
    )

    def installed(n: int) -> dt.date:  # 135 families in 2021, the 40 others in Q1 2022
        if n < EQUIPPED_2021:
            return dt.date(2021, 3, 1) + dt.timedelta(days=n * 2)
        return dt.date(2022, 1, 10) + dt.timedelta(days=(n - EQUIPPED_2021) * 2)

    allocations = [HouseholdAllocation(h, installed(n)) for n, h in enumerate(households)]
    for purpose, items in (
        (
            "Phase 1 – bloc sanitaire (latrine adaptée à l'habitat nomade)",
            [GrantItemInput("Bloc sanitaire préfabriqué avec latrine", D("1"), D("780.00"), unit="unité")],
        ),
        (
            "Phase 1 – système solaire autonome (électrification de la tente)",
            [
                GrantItemInput(
                    "Kit solaire 200 Wc avec batterie et régulateur", D("1"), D("540.00"), unit="kit"
                ),
                GrantItemInput("Lampes LED basse consommation", D("4"), D("12.50"), unit="unité"),
            ],
        ),
    ):
        s.households.grant_to_households(
            GrantInput(
                purpose=purpose,
                programme_id=programme.id,
                eur_mad_rate=DEMO_RATE,
                grant_date=dt.date(2021, 2, 1),
                items=items,
            ),
            allocations,
        )
    report.added.append(
        _("{count} households of AQUA-NOOR with their latrine and solar system").format(count=len(households))
    )

    # Phase 3 created the 9 local associations; phase 2 built a water tower in each tribe, handed to it.
    for n, (tribe_id, tribe, tribe_ar) in enumerate(tribes, start=1):
        association = _association(
            s, f"AQN-ASSOC-{n}", f"Association locale {tribe}", f"جمعية {tribe_ar} المحلية", tribe_id, report
        )
        grant = s.grants.create(
            GrantInput(
                purpose=f"Phase 2 – château d'eau avec pompage solaire, tribu {tribe}",
                kind="works",
                programme_id=programme.id,
                organisation_id=association,
                eur_mad_rate=DEMO_RATE,
                grant_date=dt.date(2022, 4, 1),
                items=[
                    GrantItemInput(
                        "Château d'eau (réservoir 30 m³ et génie civil)", D("1"), D("14500.00"), "forfait"
                    ),
                    GrantItemInput(
                        "Pompe immergée solaire et champ photovoltaïque", D("1"), D("7800.00"), "forfait"
                    ),
                ],
            )
        )
        s.grants.transition(grant.id, "validated")
        s.grants.transition(
            grant.id,
            "delivered",
            delivery=DeliveryInput(
                dt.date(2022, 9, 1) + dt.timedelta(days=7 * n), tribe, f"Président, {tribe}"
            ),
        )
    associations = [s.organisations.get_by_code(f"AQN-ASSOC-{n}").id for n in range(1, len(tribes) + 1)]
    s.activities.create(
        ActivityInput(
            kind=ActivityKind.TRAINING,
            topic="Gestion associative, maintenance des infrastructures et élevage nomade",
            start_date=dt.date(2022, 10, 3),
            end_date=dt.date(2022, 10, 7),
            programme_id=programme.id,
            place="Tendrara",
            trainer="Équipe KSM",
            partner_ids=associations,
        )
    )
    report.added.append(_("9 water towers and 9 local associations of AQUA-NOOR"))


def _tamkin(s: Services, report: DemoReport) -> None:
    programme = s.programmes.get_by_code("TAMKIN")
    if s.activities.search(ListQuery(filters={"programme_id": programme.id}, limit=1)).total:
        return
    rng = random.Random(22)
    serial = itertools.count(300001)
    reps: list[tuple[int, int, str]] = []  # (person id, association id, association code)
    for code, name, name_ar, province, _campaign in TAMKIN_ASSOCIATIONS:
        org = _association(s, code, name, name_ar, _province(s, province), report)
        people = []
        for sex in (Sex.FEMALE, Sex.MALE):
            last = rng.choice(LAST)
            people.append(_person(rng, serial, sex, last, AR[last]))
        s.persons.bulk_create(people, organisation_id=org)
        reps += [(m.person_id, org, code) for m in s.persons.members_of(org)]
    ids = {code: org for _p, org, code in reps}
    for campaign in Campaign:
        s.activities.create(
            ActivityInput(
                kind=ActivityKind.CAMPAIGN,
                campaign=campaign,
                topic=_("Seasonal campaign with partner associations"),
                start_date=dt.date(2021, 1, 15),
                partner_ids=[ids[c] for c, *_rest, camp in TAMKIN_ASSOCIATIONS if camp == campaign],
            )
        )
    cycle = s.activities.create(
        ActivityInput(
            kind=ActivityKind.TRAINING,
            topic="Cycle TAMKIN : gouvernance, gestion de projet, mobilisation de ressources, suivi-évaluation",
            start_date=dt.date(2023, 2, 6),
            end_date=dt.date(2023, 6, 30),
            programme_id=programme.id,
            place="Oujda, siège de KSM",
            trainer="Équipe KSM",
            partner_ids=list(ids.values()),
        )
    )
    s.activities.add_participants(cycle.id, [(person, org) for person, org, _code in reps])
    for n, (code, org) in enumerate(ids.items()):
        names = ", ".join(
            p.name for p in s.activities.get(cycle.id).participants if p.organisation_code == code
        )
        s.activities.create(
            ActivityInput(
                kind=ActivityKind.WORKSHOP,
                topic="Atelier de restitution du cycle TAMKIN",
                start_date=dt.date(2023, 9, 4) + dt.timedelta(days=3 * n),
                programme_id=programme.id,
                trainer=names,
                partner_ids=[org],
                indirect_unspecified=12,
            )
        )
    report.added.append(
        _("TAMKIN: 11 associations, 22 participants, training cycle and restitution workshops")
    )


def _ensemble_avancons(s: Services, report: DemoReport) -> None:
    programme = s.programmes.get_by_code("EA")
    if s.results.results_of(programme.id):
        return
    results = [
        s.results.add_result(programme.id, f"R{n}", text) for n, text in enumerate(EA_RESULTS, start=1)
    ]
    population = s.results.add_indicator(
        results[0].id,
        IndicatorInput(
            "R1.1",
            "Population des 10 douars couverte par la concertation locale",
            "personnes",
            target=D("8400"),
            target_women=D("4176"),
            target_men=D("4224"),
        ),
    )
    s.results.record(population.id, MeasurementInput(dt.date(2023, 12, 31), D("5120"), D("2530"), D("2590")))
    s.results.record(population.id, MeasurementInput(dt.date(2024, 12, 31), D("7340"), D("3650"), D("3690")))
    s.results.add_indicator(
        results[1].id,
        IndicatorInput("R2.1", "Domaines d'expertise du partenaire local (ATDC)", "domaines", D("3"), D("1")),
    )
    farmers = s.results.add_indicator(
        results[2].id,
        IndicatorInput(
            "R3.1",
            "Agriculteurs ayant amélioré leur productivité",
            "personnes",
            D("300"),
            D("0"),
            D("120"),
            D("180"),
        ),
    )
    s.results.record(farmers.id, MeasurementInput(dt.date(2024, 6, 30), D("140"), D("52"), D("88")))
    report.added.append(_("Ensemble Avançons: 6 expected results and their indicators"))


def load_field_demo(s: Services, report: DemoReport) -> None:
    _aqua_noor(s, report)
    _tamkin(s, report)
    _ensemble_avancons(s, report)
