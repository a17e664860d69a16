"""A service's validation error reaches the user in the chosen language, naming the field."""

from __future__ import annotations

import pytest

from ksm_desktop.domain.errors import ConflictError, ValidationError
from ksm_desktop.i18n import set_language
from ksm_desktop.services import Services
from ksm_desktop.services.dto import PersonInput


def _cin_error(services: Services, lang: str) -> ValidationError:
    set_language(lang)
    with pytest.raises(ValidationError) as err:
        services.persons.create(PersonInput("Fatima", "Alaoui", "F", cin="123ABC"))
    assert err.value.field == "cin"
    return err.value


def test_invalid_cin_in_french_and_arabic(services: Services) -> None:
    french = _cin_error(services, "fr").message
    assert (
        french
        == "«\xa0123ABC\xa0» n’est pas une CIN valide\xa0: une ou deux lettres suivies de 1 à 6 chiffres."
    )
    arabic = _cin_error(services, "ar").message
    assert "123ABC" in arabic and "رقم بطاقة وطنية" in arabic
    assert not any(c.isascii() and c.isalpha() for c in arabic.replace("123ABC", ""))
    assert "not a valid CIN" in _cin_error(services, "en").message


def test_duplicate_cin_in_arabic_keeps_the_data_as_typed(services: Services) -> None:
    services.persons.create(PersonInput("Fatima", "Alaoui", "F", cin="AB123456"))
    set_language("ar")
    with pytest.raises(ConflictError) as err:
        services.persons.create(PersonInput("Other", "Person", "M", cin="ab 123456"))
    assert err.value.message.startswith("رقم البطاقة الوطنية AB123456 مسجل من قبل باسم")
    assert "Fatima" in err.value.message and "Alaoui" in err.value.message
