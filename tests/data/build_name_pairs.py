"""Build name_pairs.csv, the labelled pairs that test the duplicate scorer (run it to rebuild).

The spellings below are written by hand: each group is one name as people in Morocco write it,
in Latin letters and in Arabic. A true pair is one person registered twice: two spellings of the
same first and last names, with what an office would record the second time (the same birth
year, douar or phone, sometimes missing, a CIN with a typing slip). A false pair is two people:
names that look alike but differ (Alami/Alaoui, Fatima/Fatiha, Amine/Amina), or the same name in
another douar, generation or sex, or with a different CIN. The draw is seeded: the file is stable.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST_M = [
    ["Mohamed", "Mohammed", "Muhammad", "Mohamad", "محمد"],
    ["Youssef", "Yousef", "Youssouf", "Yusuf", "يوسف"],
    ["Abdelkader", "Abdel Kader", "Abdelkadir", "Abdulkader", "عبد القادر"],
    ["Abderrahim", "Abderahim", "Abdel Rahim", "عبد الرحيم"],
    ["Hicham", "Hisham", "هشام"],
    ["Rachid", "Rashid", "رشيد"],
    ["Said", "Saïd", "Saeed", "سعيد"],
    ["Khalid", "Khaled", "خالد"],
    ["Omar", "Oumar", "Umar", "عمر"],
    ["Hassan", "Hasan", "Hassane", "حسن"],
    ["Mustapha", "Mustafa", "Moustapha", "Moustafa", "مصطفى"],
    ["Driss", "Idriss", "Idris", "إدريس"],
    ["Brahim", "Ibrahim", "إبراهيم"],
    ["Abdellah", "Abdallah", "Abdullah", "عبد الله"],
    ["Jamal", "Djamal", "جمال"],
    ["Karim", "Kareem", "كريم"],
    ["Ayoub", "Ayyoub", "أيوب"],
    ["Yassine", "Yasin", "ياسين"],
    ["Younes", "Younès", "Younesse", "يونس"],
    ["Abdessamad", "Abdel Samad", "عبد الصمد"],
]
FIRST_F = [
    ["Fatima", "Fatema", "Fatim", "فاطمة"],
    ["Khadija", "Khadidja", "Khadeeja", "خديجة"],
    ["Zineb", "Zaineb", "Zeinab", "Zainab", "زينب"],
    ["Naima", "Naïma", "Naeema", "نعيمة"],
    ["Aicha", "Aïcha", "Aisha", "Aycha", "عائشة"],
    ["Hanane", "Hanan", "حنان"],
    ["Samira", "Sameera", "سميرة"],
    ["Malika", "Maliqa", "مليكة"],
    ["Soukaina", "Sukaina", "Soukayna", "سكينة"],
    ["Ilham", "Ilhame", "إلهام"],
    ["Meryem", "Maryam", "Meriem", "مريم"],
    ["Houria", "Hourya", "حورية"],
    ["Ghizlane", "Ghizlan", "غزلان"],
    ["Imane", "Iman", "إيمان"],
    ["Asmae", "Asmaa", "Asma", "أسماء"],
    ["Bouchra", "Bushra", "Bochra", "بشرى"],
    ["Zahra", "Zohra", "زهرة"],
    ["Touria", "Thouria", "Touriya", "ثريا"],
    ["Oumaima", "Omaima", "أميمة"],
    ["Hajar", "Hajjar", "هاجر"],
]
LAST = [
    ["Benali", "Ben Ali", "Ben-Ali", "بن علي"],
    ["Alaoui", "El Alaoui", "Alaoui", "العلوي"],
    ["Alami", "El Alami", "Elalami", "العلمي"],
    ["Idrissi", "El Idrissi", "Idrissy", "الإدريسي"],
    ["Aït Baha", "Ait-Baha", "Ait Baha", "آيت باها"],
    ["Ouchen", "Ouchchen", "أوشن"],
    ["Tazi", "Tazzi", "التازي"],
    ["Cherkaoui", "Charkaoui", "Cherqaoui", "الشرقاوي"],
    ["Amrani", "El Amrani", "العمراني"],
    ["Ouazzani", "Wazzani", "El Ouazzani", "الوزاني"],
    ["Berrada", "Berada", "برادة"],
    ["Lahlou", "Lahlo", "لحلو"],
    ["Ziani", "Zyani", "الزياني"],
    ["Kettani", "El Kettani", "Kattani", "الكتاني"],
    ["Benjelloun", "Ben Jelloun", "بن جلون"],
    ["Ould Ahmed", "Ouldahmed", "ولد أحمد"],
    ["Ait Ouahmane", "Aït Ouahmane", "آيت وحمان"],
    ["Bennani", "Benani", "بناني"],
]
# Names that look alike and are not the same name.
LOOKALIKE_LAST = [("Alami", "Alaoui"), ("Tazi", "Taziri"), ("Bennani", "Benaissa"), ("Amrani", "Omrani")]
LOOKALIKE_FIRST = [
    ("Fatima", "Fatiha", "F"),
    ("Fatima", "Fatna", "F"),
    ("Naima", "Nadia", "F"),
    ("Samira", "Samia", "F"),
    ("Mohamed", "Mehdi", "M"),
    ("Khadija", "Khalida", "F"),
    ("Hanane", "Hasna", "F"),
    ("Zineb", "Zina", "F"),
]
# The same name given to a man and to a woman's variant.
SEX_PAIRS = [
    ("Amine", "Amina"),
    ("Rachid", "Rachida"),
    ("Khalid", "Khalida"),
    ("Said", "Saida"),
    ("Hassan", "Hasna"),
]

COLUMNS = ["first", "last", "ar", "sex", "year", "douar", "commune", "phone", "cin"]
HEADER = ["label", "kind", *[f"a_{c}" for c in COLUMNS], *[f"b_{c}" for c in COLUMNS]]


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _latin(group: list[str], rng: random.Random) -> str:
    return rng.choice([s for s in group if not _is_arabic(s)])


def _arabic(group: list[str]) -> str:
    return next(s for s in group if _is_arabic(s))


def _cin(rng: random.Random) -> str:
    return rng.choice(["AB", "BE", "C", "D", "FB", "JA", "U"]) + f"{rng.randrange(10**5, 10**6)}"


def _slip(cin: str, rng: random.Random) -> str:
    """The same CIN typed with one slip: a digit wrong, two neighbours swapped or no letters."""
    letters = cin.rstrip("0123456789")
    digits = list(cin[len(letters) :])
    kind = rng.choice(["digit", "swap", "letters"])
    if kind == "letters":
        return "".join(digits)
    i = rng.randrange(len(digits) - 1)
    if kind == "swap" and digits[i] != digits[i + 1]:
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:
        digits[i] = str((int(digits[i]) + rng.randrange(1, 9)) % 10)
    return letters + "".join(digits)


def _phone(rng: random.Random) -> str:
    return f"+2126{rng.randrange(10**7, 10**8)}"


def _person(rng: random.Random, sex: str, first: str, last: str, ar: str = "") -> dict[str, object]:
    commune = rng.randrange(1, 40)
    return {
        "first": first,
        "last": last,
        "ar": ar,
        "sex": sex,
        "year": rng.randrange(1950, 2005),
        "douar": commune * 100 + rng.randrange(1, 9),
        "commune": commune,
        "phone": _phone(rng) if rng.random() < 0.6 else "",
        "cin": _cin(rng) if rng.random() < 0.7 else "",
    }


def _true_pair(rng: random.Random) -> tuple[str, dict[str, object], dict[str, object]]:
    sex = rng.choice("MF")
    first = rng.choice(FIRST_M if sex == "M" else FIRST_F)
    last = rng.choice(LAST)
    a = _person(rng, sex, _latin(first, rng), _latin(last, rng))
    b = dict(a, first=_latin(first, rng), last=_latin(last, rng))
    if rng.random() < 0.5:  # registered again with the name in Arabic too
        b["ar"] = f"{_arabic(first)} {_arabic(last)}"
    if rng.random() < 0.3:
        a, b = b, a
    # what the second registration recorded
    roll = rng.random()
    if roll < 0.25:
        b["year"] = ""
    elif roll < 0.35:
        b["year"] = int(str(a["year"])) + rng.choice([-1, 1])
    if rng.random() < 0.25:
        b["douar"] = ""
    if rng.random() < 0.4:
        b["phone"] = ""
    if a["cin"]:
        b["cin"] = rng.choice(["", _slip(str(a["cin"]), rng)])  # the same card cannot be registered twice
    return "spelling", a, b


def _false_pair(rng: random.Random) -> tuple[str, dict[str, object], dict[str, object]]:
    kind = rng.choice(
        ["lookalike_last", "lookalike_first", "other_douar", "other_generation", "sex", "other_cin"]
    )
    sex = rng.choice("MF")
    first = _latin(rng.choice(FIRST_M if sex == "M" else FIRST_F), rng)
    last = _latin(rng.choice(LAST), rng)
    a = _person(rng, sex, first, last)
    b = _person(rng, sex, first, last)
    b.update(year=a["year"], douar=a["douar"], commune=a["commune"])  # the hardest case: same place and year
    if kind == "lookalike_last":
        x, y = rng.choice(LOOKALIKE_LAST)
        a["last"], b["last"] = x, y
    elif kind == "lookalike_first":
        x, y, s = rng.choice(LOOKALIKE_FIRST)
        a["first"], b["first"], a["sex"], b["sex"] = x, y, s, s
    elif kind == "other_douar":  # a namesake elsewhere, another age
        b["commune"] = int(str(a["commune"])) % 39 + 1
        b["douar"] = int(str(b["commune"])) * 100 + 1
        b["year"] = int(str(a["year"])) + rng.choice([-20, -12, -7, 6, 15])
    elif kind == "other_generation":  # father and son with one name in one douar
        b["year"] = int(str(a["year"])) + rng.choice([-30, -25, 22, 28])
    elif kind == "sex":
        x, y = rng.choice(SEX_PAIRS)
        a["first"], b["first"], a["sex"], b["sex"] = x, y, "M", "F"
    else:  # the same name, two cards
        a["cin"], b["cin"] = _cin(rng), _cin(rng)
    return kind, a, b


def build(path: Path, positives: int = 200, negatives: int = 160, seed: int = 18) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for label, make, count in ((1, _true_pair, positives), (0, _false_pair, negatives)):
            for _ in range(count):
                kind, a, b = make(rng)
                writer.writerow([label, kind, *[a[c] for c in COLUMNS], *[b[c] for c in COLUMNS]])


if __name__ == "__main__":
    build(Path(__file__).with_name("name_pairs.csv"))
