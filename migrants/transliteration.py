"""Name keys that survive transliteration, for finding likely duplicates.

"Юсупов", "Yusupov", "Iusupov" and Uzbek Latin "Yusupov" all reduce to the
same key; so do "Рахимов", "Rakhimov", "Rahimov" and "Raximov". The key is a
coarse phonetic skeleton, never shown to anyone: a match only puts the pair in
front of an administrator, who decides.
"""

import re
import unicodedata

# Cyrillic of Russian, Uzbek, Tajik and Kyrgyz, to a plain Latin spelling.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ў": "u", "қ": "k", "ғ": "g", "ҳ": "h", "ң": "n", "ө": "o", "ү": "u",
    "ҷ": "j", "ӣ": "i", "ә": "a", "і": "i",
}  # fmt: skip

# Applied in order to the Latin spelling: the variants transliteration
# systems disagree on collapse into one.
_RULES = [
    (r"o[ʻʼ'`’‘]", "u"),  # Uzbek Latin oʻ is Cyrillic ў, spelt "u" in Russian
    (r"[ʻʼ'`’‘]", ""),  # gʻ and other apostrophes
    (r"dzh|dj", "j"),
    (r"zh", "j"),
    (r"kh|x|h", "h"),
    (r"q", "k"),
    (r"shch|sch", "s"),
    (r"sh", "s"),
    (r"ch|ts|tz|c", "c"),
    (r"(?:yu|iu)", "u"),
    (r"(?:ya|ia)", "a"),
    (r"(?:yo|io)", "o"),
    (r"ye", "e"),
    (r"y", "i"),
    (r"w", "v"),
    (r"ph", "f"),
]
_COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in _RULES]


def to_latin(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def name_key(name: str) -> str:
    """The transliteration-proof skeleton of one name."""
    key = to_latin(name)
    key = unicodedata.normalize("NFKD", key)
    key = "".join(ch for ch in key if not unicodedata.combining(ch))
    for pattern, replacement in _COMPILED:
        key = pattern.sub(replacement, key)
    key = re.sub(r"[^a-z]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)  # doubled letters: Abdullaev = Abdulaev


def person_keys(*name_pairs: tuple[str, str]) -> set[frozenset[str]]:
    """Keys of a person from (first, last) pairs in any script; order-free, since
    first and last names are often swapped on forms."""
    keys = set()
    for first, last in name_pairs:
        first_key, last_key = name_key(first), name_key(last)
        if first_key and last_key:
            keys.add(frozenset((first_key, last_key)))
    return keys
