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

from ksm_desktop.demo.seed import (
    AGR_PERIOD,
    AR,
    COOPERATIVES,
    DEMO_RATE,
    EA_ZONES,
    LAST,
    MEN_FIRST,
    PARTIES,
    TAMKIN_PERIOD,
    WOMEN_FIRST,
    OrgSeed,
)
from ksm_desktop.domain.enums import (
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


@dataclass
class DemoReport:
    """What `demo` added; an empty report means the portfolio was already there."""

    added: list[str] = field(default_factory=list)


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
            budget=Decimal("600000"),
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
            budget=Decimal("65200"),
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
                items=[GrantItemInput(d, Decimal(q), Decimal(p), unit=u) for d, q, u, p in coop.items],
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
