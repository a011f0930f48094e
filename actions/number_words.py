"""Numbers written in words, in it, en, fr and pl, turned into digits (no Rasa here).

"twenty thousand" -> "20000", "ventimila" -> "20000", "vingt mille" -> "20000",
"dwadzieścia tysięcy" -> "20000", "deux cent cinquante mille" -> "250000",
"cinque anni" -> "5 anni", "quatre-vingt-dix" -> "90". actions/numbers.py reads the result.

Words that are also articles or ordinary words ("un prêt", "one of them", "sei sicuro?",
"une carte neuve") become digits only before a unit of time or a multiplier ("un an",
"sei anni", "one thousand"), so that a sentence is never given a number it does not hold;
English "a" only before a multiplier ("a hundred"), since "100 a month" means per month.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Values of the words, accents and case folded (see _fold). Italian joins its words
# ("duemilacinquecento"), so Italian forms are also the pieces that _segments splits.
_UNITS = {
    # it
    "zero": 0, "uno": 1, "una": 1, "un": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5,
    "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12,
    "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17,
    "diciotto": 18, "diciannove": 19, "venti": 20, "trenta": 30, "quaranta": 40,
    "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90,
    "vent": 20, "trent": 30, "quarant": 40, "cinquant": 50, "sessant": 60, "settant": 70,
    "ottant": 80, "novant": 90,  # before uno and otto: ventuno, trentotto
    "cento": 100, "mille": 1_000, "mila": 1_000, "milione": 1_000_000, "milioni": 1_000_000,
    # en
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "thousand": 1_000, "million": 1_000_000, "millions": 1_000_000,
    # fr
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100, "cents": 100,
    # pl (nominative and the genitive of durations: "na pięciu lat" is rare, "pięć lat" usual)
    "jeden": 1, "jedna": 1, "jedno": 1, "dwa": 2, "dwie": 2, "dwoch": 2, "trzy": 3, "trzech": 3,
    "cztery": 4, "czterech": 4, "piec": 5, "pieciu": 5, "szesc": 6, "szesciu": 6, "siedem": 7,
    "osiem": 8, "dziewiec": 9, "dziesiec": 10, "dziesieciu": 10, "jedenascie": 11,
    "dwanascie": 12, "trzynascie": 13, "czternascie": 14, "pietnascie": 15, "szesnascie": 16,
    "siedemnascie": 17, "osiemnascie": 18, "dziewietnascie": 19, "dwadziescia": 20,
    "dwudziestu": 20, "trzydziesci": 30, "czterdziesci": 40, "piecdziesiat": 50,
    "szescdziesiat": 60, "siedemdziesiat": 70, "osiemdziesiat": 80, "dziewiecdziesiat": 90,
    "sto": 100, "dwiescie": 200, "trzysta": 300, "czterysta": 400, "piecset": 500,
    "szescset": 600, "siedemset": 700, "osiemset": 800, "dziewiecset": 900,
    "tysiac": 1_000, "tysiace": 1_000, "tysiecy": 1_000, "milion": 1_000_000,
    "miliony": 1_000_000, "milionow": 1_000_000,
}  # fmt: skip
_HUNDRED = 100
_THOUSAND = 1_000
# Words inside a number that add nothing: "two hundred and fifty", "vingt et un", "mille e cento".
_JOINERS = frozenset({"and", "et", "e", "i"})
_PER = frozenset({"per", "pour"})
# Words that are articles or ordinary words as well as numbers.
_WEAK = frozenset({"a", "un", "una", "uno", "une", "one", "sei", "neuf", "jeden", "jedna", "jedno"})
# Units that make a weak word a number: "un an", "sei anni", "one year".
_UNIT = re.compile(
    r"anni|anno|mesi|mese|years?|months?|ans?|annees?|mois|lat|lata|rok|roku|miesiac\w*|miesiecy",
)
# Italian pieces, longest first, for splitting "trecentocinquantamila".
_ITALIAN_PIECES = sorted(
    [w for w in _UNITS if w.isalpha() and w not in {"a", "un", "una", "e"} and len(w) > 2]
    + ["tre"],
    key=len,
    reverse=True,
)
_TOKEN = re.compile(r"[^\W\d_]+|\d[\d.,\s]*\d|\d|\S")


def spell_digits(text: str) -> str:
    """`text` with every number written in words replaced by its digits."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]
    out: list[str] = []
    done = 0
    i = 0
    while i < len(tokens):
        run_end, values = _run(tokens, i)
        if values and _is_number(tokens, i, run_end, values):
            start, end = tokens[i][0], tokens[run_end - 1][1]
            out.append(text[done:start])
            out.append(str(_value(values)))
            done = end
            i = run_end
        else:
            i += 1
    out.append(text[done:])
    return "".join(out)


def _run(tokens: list[tuple[int, int, str]], i: int) -> tuple[int, list[int]]:
    """The longest run of number words from token i (joiners and hyphens inside), and values."""
    values: list[int] = []
    j, last_word = i, i
    while j < len(tokens):
        word = _fold(tokens[j][2])
        pieces = _pieces(word)
        if pieces is not None:
            values.extend(pieces)
            j += 1
            last_word = j
        elif values and (word in _JOINERS or word == "-") and j + 1 < len(tokens):
            j += 1
        else:
            break
    if values and _fold(tokens[i][2]) in _JOINERS:
        return i, []
    return last_word, values


def _is_number(tokens: list[tuple[int, int, str]], i: int, end: int, values: list[int]) -> bool:
    words = [_fold(tokens[k][2]) for k in range(i, end)]
    previous = tokens[i - 1][2] if i > 0 else ""
    if re.match(r"\d", previous) and values[0] >= _HUNDRED:
        return False  # "10 mila", "5 hundred": actions/numbers.py reads the multiplier
    if _fold(previous) in _PER and values[0] == _HUNDRED:
        return False  # "cinq pour cent", "cinque per cento": a rate
    if words == ["a"]:
        return False  # "100 a month", "pay a year": per month, per year, never one
    if len(words) == 1 and words[0] in _WEAK:
        following = _fold(tokens[end][2]) if end < len(tokens) else ""
        return bool(_UNIT.fullmatch(following))
    return not all(w in _WEAK or w in _JOINERS or w == "-" for w in words)


def _value(values: list[int]) -> int:
    """Adds and multiplies as numbers are said: 2, 100, 50, 1000 -> 250 000; 4, 20 -> 80."""
    total = current = 0
    previous = None
    for value in values:
        if value == _HUNDRED:
            current = max(current, 1) * _HUNDRED
        elif value >= _THOUSAND:
            total += max(current, 1) * value
            current = 0
        elif value == 20 and previous == 4 and current % 100 == 4:
            current = current - 4 + 80  # quatre-vingt(s)
        else:
            current += value
        previous = value
    return total + current


@lru_cache(maxsize=4096)
def _pieces(word: str) -> list[int] | None:
    """The values of a number word, or of the pieces of a joined Italian one; else None."""
    if word in _UNITS:
        return [_UNITS[word]]
    if len(word) < 6 or not word.isalpha():
        return None
    for piece in _ITALIAN_PIECES:
        if word.startswith(piece):
            rest = _pieces(word[len(piece) :])
            if rest is not None:
                return [_UNITS[piece], *rest]
    return None


def _fold(word: str) -> str:
    """Lower case, without accents; Polish ł as l."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("ł", "l"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
