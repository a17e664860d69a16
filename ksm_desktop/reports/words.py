"""Amounts in words ("trente-six mille euros") for the line that closes a grant sheet.

num2words gives the integer words; the currency wording is ours, because num2words has no
French dirham and writes the Saudi riyal for MAD in Arabic. Arabic follows the counted-noun rule:
1-2 and multiples of 100 take the singular, 3-10 the plural, 11-99 the accusative singular.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

# (singular, plural) per language and currency, for units and for hundredths.
_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "fr": {"EUR": ("euro", "euros"), "MAD": ("dirham", "dirhams")},
    "en": {"EUR": ("euro", "euros"), "MAD": ("dirham", "dirhams")},
}
_CENTS: dict[str, dict[str, tuple[str, str]]] = {
    "fr": {"EUR": ("centime", "centimes"), "MAD": ("centime", "centimes")},
    "en": {"EUR": ("cent", "cents"), "MAD": ("centime", "centimes")},
}
# Arabic: (singular, plural 3-10, accusative 11-99).
_AR_UNITS = {"EUR": ("يورو", "يورو", "يورو"), "MAD": ("درهم", "دراهم", "درهما")}
_AR_CENTS = {"EUR": ("سنت", "سنتات", "سنتا"), "MAD": ("سنتيم", "سنتيمات", "سنتيما")}


def _split(amount: Decimal) -> tuple[int, int]:
    cents = int((amount.copy_abs() * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return divmod(cents, 100)


def _latin(n: int, lang: str, nouns: tuple[str, str]) -> str:
    # An int, not a Decimal: num2words compares the number with each of its powers of ten, and
    # against a Decimal that costs about a millisecond a sheet (the words are the same).
    words = num2words(n, lang=lang)
    noun = nouns[0] if n == 1 or (n == 0 and lang == "fr") else nouns[1]  # 'zéro euro'; 'zero euros'
    if lang == "fr" and words.split()[-1] in {"million", "millions", "milliard", "milliards"}:
        return f"{words} d'{noun}" if noun[0] in "aeiou" else f"{words} de {noun}"
    if lang == "en":
        words = words.replace(",", "")
    return f"{words} {noun}"


def _arabic_number(n: int) -> str:
    # num2words writes "ستة و ثلاثون"; the conjunction is written attached to the next word. It
    # also mixes "مائة" (100) with "مئتا" (200): one spelling, مائة, throughout.
    return str(num2words(n, lang="ar")).replace(" و ", " و").replace("مئت", "مائت")


def _arabic(n: int, nouns: tuple[str, str, str]) -> str:
    rest = n % 100
    if n == 1:
        return f"{nouns[0]} واحد"
    if n == 2:
        return f"{nouns[0]}ان" if nouns[0] != "يورو" else "اثنان يورو"
    noun = nouns[1] if 3 <= rest <= 10 else nouns[2] if 11 <= rest <= 99 else nouns[0]
    return f"{_arabic_number(n)} {noun}"


def amount_in_words(amount: Decimal, currency: str, lang: str) -> str:
    """E.g. (36000, EUR, fr) → 'trente-six mille euros'; (1250.5, MAD, fr) →
    'mille deux cent cinquante dirhams et cinquante centimes'."""
    units, cents = _split(amount)
    if lang == "ar":
        if units == 0 and cents:  # 0,50: 'خمسون سنتا', not 'zero euros and fifty cents'
            return _arabic(cents, _AR_CENTS[currency])
        text = _arabic(units, _AR_UNITS[currency])
        return f"{text} و{_arabic(cents, _AR_CENTS[currency])}" if cents else text
    if units == 0 and cents:
        return _latin(cents, lang, _CENTS[lang][currency])
    text = _latin(units, lang, _UNITS[lang][currency])
    if cents:
        joiner = "et" if lang == "fr" else "and"
        text = f"{text} {joiner} {_latin(cents, lang, _CENTS[lang][currency])}"
    return text
