"""One key per name whatever the script or the spelling, so that محمد, Mohamed, Mohammed and
Muhammad meet, and "Ben Ali", "Benali" and بن علي too.

Each word becomes a consonant skeleton: Arabic is romanised (AnyAscii's tables), then both scripts
lose their vowels, doubled letters and the inner w/y that only spell a long vowel; pairs written
two ways in French transcriptions (kh/خ, ch/sh/ش, gh/غ, q/k, ou/w) become one letter. The article
(el-, al-, ال) is dropped and the particles (ben, bin, ibn, ould, aït, abd…) are joined to the
next word, since people write them both ways.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

_SEPARATORS = re.compile(r"[\s\-_.,;/]+")
_APOSTROPHES = re.compile(r"['’`ʼ‘]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_NOISE = str.maketrans("", "", "\u0629\u0640")  # ta marbuta (a final vowel), tatweel
_ARABIC_ARTICLE = "ال"
_ARABIC_PARTICLES = frozenset(
    {"بن", "ابن", "إبن", "بنت", "ولد", "اولاد", "أولاد", "ايت", "آيت", "أيت", "عبد"}
)
_LATIN_ARTICLES = frozenset({"el", "al", "l"})
_LATIN_PARTICLES = frozenset(
    {"ben", "bin", "ibn", "bent", "bint", "wld", "wlad", "ait", "ath", "abd", "abdel", "abdul"}
)
# A leading "ou" before a consonant is a vowel (Oumaima, Ouchen), except in "Ould"/"Oulad" (ولد).
_LATIN_SPELLINGS = {"ould": "wld", "oulad": "wlad", "ouled": "wlad"}
# "Abdelkader", "Abdul Kader", "Abderrahim" (the article's l assimilated): the "abd" + article part.
_ABD_PREFIX = re.compile(r"^abd(?:el|al|ul|oul|e(?=(.)\1)|a(?=(.)\2)|ou(?=(.)\3))")
_DIGRAPHS = re.compile(r"dj|kh|gh|ch|sh|th|dh|ph|ck|ou|oo")
_DIGRAPH_SOUNDS = {
    "dj": "j",
    "kh": "X",
    "gh": "g",
    "ch": "S",
    "sh": "S",
    "th": "t",
    "dh": "d",
    "ph": "f",
    "ck": "k",
    "ou": "W",
    "oo": "W",
}
_SINGLE_SOUNDS = str.maketrans({"q": "k", "p": "b", "v": "f", "X": "x", "S": "c", "W": "w"})
_VOWELS = re.compile(r"[aeiou]")
_INNER_SEMIVOWELS = re.compile(r"(?<=.)[wWy]")
_SEMIVOWELS = re.compile(r"[wWy]")
_DOUBLES = re.compile(r"(.)\1+")


def name_tokens(*names: str | None) -> list[str]:
    """The skeleton of every word of `names` (particles joined, articles dropped), in order."""
    tokens: list[str] = []
    for name in names:
        if name:
            tokens += _skeletons(name)
    return [t for t in tokens if t]


@lru_cache(maxsize=65_536)
def _skeletons(name: str) -> tuple[str, ...]:
    """The skeletons of one name, cached: a registry repeats its first and family names, and an
    import of 100,000 members would otherwise transliterate "Fatima" 10,000 times."""
    return tuple(_joined(parts) for parts in _words(name))


def name_key(*names: str | None) -> str:
    """The indexed form: the distinct skeletons, sorted, between spaces (" bnl mhmd "), so that a
    search can ask for a whole word (LIKE '% mhmd %') or the start of one (LIKE '% mh%')."""
    tokens = sorted(set(name_tokens(*names)))
    return f" {' '.join(tokens)} " if tokens else ""


_CIN_TYPED = re.compile(r"[A-Za-z]{1,2}[\s-]*\d+")


def key_patterns(text: str) -> list[str]:
    """LIKE patterns on name_key for a search as typed: every word whole, except the last one being
    typed (no space after it yet), which may be the start of a word once it has three letters.
    A word holding a digit (a CIN, a phone) is not a name: "ZZ012345" must not find every Aziz."""
    if _CIN_TYPED.fullmatch(text.strip()):
        return []
    words = text.split()
    names = [w for w in words if not any(ch.isdigit() for ch in w)]
    if names != words:
        still_typed = bool(names) and words[-1] is names[-1] and not text[-1:].isspace()
        text = " ".join(names) + ("" if still_typed else " ")
    tokens = name_tokens(text)
    patterns = [f"% {t} %" for t in tokens]
    if tokens and not text[-1:].isspace() and len(tokens[-1]) >= 3:
        patterns[-1] = f"% {tokens[-1]}%"
    return patterns


def _joined(parts: list[str]) -> str:
    """One skeleton for a particle and its word: each part alone (Arabic letters written
    together must not make a false pair, د+ه is not ذ), then doubles collapsed across the joint."""
    return _DOUBLES.sub(r"\1", "".join(skeleton(p, inner=i > 0) for i, p in enumerate(parts)))


def _words(name: str) -> list[list[str]]:
    """The words of a name, each as its parts: [["ben", "ali"], ["mohamed"]] for "Ben Ali Mohamed"."""
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", name).casefold())
    words = [w for w in _SEPARATORS.split(text) if w]
    out: list[list[str]] = []
    pending: list[str] = []
    for i, word in enumerate(words):
        arabic = bool(_ARABIC.search(word))
        if arabic and word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
            word = word[len(_ARABIC_ARTICLE) :]
        if not arabic and word in _LATIN_ARTICLES and i + 1 < len(words):
            continue
        if not arabic:
            word = anyascii(word).lower()
            if word.startswith("el") and len(word) >= 5:
                word = word[2:]
            abd = _ABD_PREFIX.match(word)
            if abd and abd.end() < len(word):  # "Abdelhak": "abd" + "hak", never a false "dh"
                pending.append("abd")
                word = word[abd.end() :]
            for prefix, spelling in _LATIN_SPELLINGS.items():
                if word.startswith(prefix) and word != prefix:  # "Ouldahmed"
                    pending.append(spelling)
                    word = word[len(prefix) :]
            word = _LATIN_SPELLINGS.get(word, word)
        particle = word in (_ARABIC_PARTICLES if arabic else _LATIN_PARTICLES)
        if particle and i + 1 < len(words):
            pending.append("abd" if word in ("abdel", "abdul") else word)
            continue
        out.append([*pending, word])
        pending = []
    return out


@lru_cache(maxsize=65536)
def skeleton(word: str, inner: bool = False) -> str:
    """'Mohammed' → 'mhmd', 'محمد' → 'mhmd', 'Youssef' → 'ysf', 'Khadija' → 'xdj'; `inner`: the
    word follows a particle ("Ben Youssef"), so a leading w/y is inside the name, as in "Benyoussef"."""
    text = anyascii(word.translate(_ARABIC_NOISE)).lower()
    # a hamza or an ain (' and ` once romanised) opens a syllable like a vowel: أيوب is Ayoub
    text = "".join("a" if c in "'`" else c for c in text if "a" <= c <= "z" or c in "'`")
    text = _DIGRAPHS.sub(lambda m: _DIGRAPH_SOUNDS[m.group()], text)
    if text.startswith("W") and text[1:2] not in ("", "a", "e", "i", "o", "u"):
        text = text[1:]  # Oumaima, Ouchen: a leading "ou" before a consonant is a vowel
    text = re.sub(r"c(?=[eiy])", "s", text).replace("c", "k")
    semivowels = _SEMIVOWELS if inner else _INNER_SEMIVOWELS
    consonants = _VOWELS.sub("", semivowels.sub("", text))
    if not consonants:  # "Aya", "Ouiam": only semivowels carry the name
        consonants = _VOWELS.sub("", text)
    return _DOUBLES.sub(r"\1", consonants.translate(_SINGLE_SOUNDS))


def token_similarity(a: str, b: str) -> float:
    """1 for the same skeleton; a partial score for a one-letter slip in a long one; else 0."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4:
        return 0.0
    similarity = Levenshtein.normalized_similarity(a, b)
    return similarity * 0.8 if similarity >= 0.75 else 0.0


def names_similarity(a: list[str], b: list[str]) -> float:
    """How far two names (lists of skeletons) agree, 0–1: each word's best match, both ways."""
    if not a or not b:
        return 0.0
    forward = sum(max(token_similarity(t, u) for u in b) for t in a)
    backward = sum(max(token_similarity(u, t) for t in a) for u in b)
    return (forward + backward) / (len(a) + len(b))
