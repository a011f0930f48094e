"""The text as the detectors read it: what a customer can type, reduced to what it means.

A card number copied from a banking app or a PDF comes with no-break or thin spaces
between its groups, a zero-width space where a line was wrapped, or full-width digits.
The detectors read a normalised view in which

* every Unicode space separator (category Zs) is a plain space,
* invisible format characters (category Cf: zero-width space, word joiner, soft hyphen...)
  are left out,
* every Unicode decimal digit (category Nd) is its ASCII digit,
* dashes (category Pd, and the minus sign) are "-", and full-width letters are ASCII ones,

and each finding is mapped back to the span of the original text it came from, so the
placeholder replaces every character of the value, invisible ones included.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_MINUS = "\u2212"
_FULL_WIDTH_LETTERS = range(0xFF21, 0xFF5B)  # "Ａ".."ｚ" (with a few symbols between)
_FULL_WIDTH_OFFSET = 0xFEE0


@dataclass(frozen=True)
class View:
    """`text` normalised for detection; `origins[i]` is the original index of text[i]."""

    text: str
    origins: tuple[int, ...] | None = None  # None: the view is the original text itself

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that view[start:end] was read from."""
        if self.origins is None:
            return start, end
        return self.origins[start], self.origins[end - 1] + 1


def view_of(text: str) -> View:
    """The normalised view of `text` (the text itself when it is plain ASCII)."""
    if text.isascii():
        return View(text)
    characters: list[str] = []
    origins: list[int] = []
    for index, character in enumerate(text):
        read = _read(character)
        if read:
            characters.append(read)
            origins.append(index)
    return View("".join(characters), tuple(origins))


def _read(character: str) -> str:
    """What one character means to the detectors ("" for an invisible one)."""
    if character.isascii():
        return character
    category = unicodedata.category(character)
    if category == "Zs":
        return " "
    if category == "Cf":
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(character))
    if category == "Pd" or character == _MINUS:
        return "-"
    code = ord(character)
    if code in _FULL_WIDTH_LETTERS and chr(code - _FULL_WIDTH_OFFSET).isalpha():
        return chr(code - _FULL_WIDTH_OFFSET)
    return character
