"""Which language a customer writes in: it, en, fr or pl, sticky per conversation."""

from bot.language._detector import LanguageChoice, LanguageDetector
from bot.language._model import LANGUAGES

__all__ = ["LANGUAGES", "LanguageChoice", "LanguageDetector"]
