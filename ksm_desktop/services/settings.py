"""Settings stored in the database, shared by everyone using it: the organisation profile
printed on documents and the default currency and exchange rate."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import Setting
from ksm_desktop.domain.enums import Currency
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.values import normalize_phone, optional_text, to_rate
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service

PREFIX = "profile."
# Whether a grant can be closed only once its signed handover certificate is attached.
CLOSE_NEEDS_SIGNED_PV = "grants.close_needs_signed_pv"


def flag(session: Session, key: str) -> bool:
    """A yes/no setting (no row: no)."""
    row = session.get(Setting, key)
    return row is not None and row.value == "1"


@dataclass
class OrganisationProfile:
    name: str = "Karama Solidarity Maroc"
    name_ar: str = "كرامة للتضامن المغرب"
    address: str = ""
    phone: str = ""
    email: str = ""
    logo_path: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    # Legal identifiers printed under the letterhead: the association's receipt (récépissé) or
    # authorisation number, its tax identifier (IF) and its common company identifier (ICE).
    legal_receipt: str = ""
    tax_id: str = ""
    ice: str = ""
    default_currency: str = "EUR"
    eur_mad_rate: str = "10.8000"

    @property
    def rate(self) -> Decimal:
        return Decimal(self.eur_mad_rate)


class SettingService(Service):
    def profile(self) -> OrganisationProfile:
        with self.db.reading() as session:
            stored = {
                s.key.removeprefix(PREFIX): s.value
                for s in session.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))
            }
        known = {f.name for f in fields(OrganisationProfile)}
        return OrganisationProfile(**{k: v for k, v in stored.items() if k in known})

    def save_profile(self, profile: OrganisationProfile) -> OrganisationProfile:
        if not profile.name.strip():
            raise ValidationError(_("{label} is required.").format(label=_("Name")), "name")
        if profile.default_currency not in {c.value for c in Currency}:
            raise ValidationError(_("The currency must be EUR or MAD."), "default_currency")
        profile.eur_mad_rate = str(to_rate(profile.eur_mad_rate, "eur_mad_rate"))
        profile.phone = normalize_phone(profile.phone) or ""
        email = optional_text(profile.email) or ""
        if email and ("@" not in email or " " in email):
            raise ValidationError(_("“{email}” is not a valid e-mail address.").format(email=email), "email")
        profile.email = email
        self._require_admin()
        with self._write() as session:
            for key, value in asdict(profile).items():
                row = session.get(Setting, PREFIX + key)
                if row is None:
                    session.add(Setting(key=PREFIX + key, value=str(value)))
                else:
                    row.value = str(value)
        return profile

    def close_needs_signed_pv(self) -> bool:
        with self.db.reading() as session:
            return flag(session, CLOSE_NEEDS_SIGNED_PV)

    def set_close_needs_signed_pv(self, required: bool) -> None:
        """Administrators decide whether closing a grant needs its signed PV attached."""
        self._require_admin()
        with self._write() as session:
            row = session.get(Setting, CLOSE_NEEDS_SIGNED_PV)
            if row is None:
                session.add(Setting(key=CLOSE_NEEDS_SIGNED_PV, value="1" if required else "0"))
            else:
                row.value = "1" if required else "0"
