"""Short first messages: the share answered in the language they should be.

    .venv/bin/python benchmarks/short_messages.py

Shared words ("ok", "taxi", "super", a number) with each channel hint must follow the hint,
and with no hint the default; short mixed messages ("ok merci") their distinctive word.
Every message is the first of its conversation (no conversation language yet).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import LANGUAGES, LanguageDetector  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402

DEFAULT = "it"
# Words customers type alone that several of the four languages use (some, like "hello" or
# "stop", are English words used elsewhere too: with no hint they are answered in English).
SHARED = [
    "ok", "okay", "no", "si", "taxi", "euro", "super", "info", "bravo", "wow", "menu", "bot",
    "123", "top", "ciao", "hello", "hi", "hey", "stop", "help", "online", "app", "bank", "pin",
    "iban", "ok ok", "ok!", "??", "😊", "👍", "100", "2026", "test", "mail", "sms", "web", "card",
    "ok super", "super ok", "bye", "cool", "sorry", "thx", "lol", "hmm", "mmm", "boh", "vip",
]  # fmt: skip
# Short messages with one word that belongs to one language.
DISTINCTIVE = [
    ("merci", "fr"), ("ok merci", "fr"), ("merci bcp", "fr"), ("oui", "fr"), ("bonjour", "fr"),
    ("d'accord", "fr"), ("salut", "fr"), ("ok grazie", "it"), ("grazie mille", "it"),
    ("grazie", "it"), ("buongiorno", "it"), ("va bene", "it"), ("thx dzięki", "pl"),
    ("ok dzieki", "pl"), ("dziękuję", "pl"), ("tak", "pl"), ("nie", "pl"), ("cześć", "pl"),
    ("thanks", "en"), ("ok thanks", "en"), ("yes", "en"), ("good morning", "en"),
    ("thank you", "en"), ("bonsoir", "fr"), ("dzień dobry", "pl"), ("prego", "it"),
]  # fmt: skip


def main() -> None:
    detector = LanguageDetector.from_project(PROJECT_ROOT / "data" / "nlu", DEFAULT)
    hints: list[str | None] = [None, *LANGUAGES]
    shared_ok = shared_all = 0
    for hint in hints:
        right = sum(detector.choose(w, hint=hint).language == (hint or DEFAULT) for w in SHARED)
        shared_ok, shared_all = shared_ok + right, shared_all + len(SHARED)
        print(f"shared words, hint {hint or 'none'}: {right}/{len(SHARED)}")
    distinctive_ok = sum(detector.choose(t).language == lang for t, lang in DISTINCTIVE)
    print(f"shared words in the hinted language (or the default): {shared_ok}/{shared_all} "
          f"({100 * shared_ok / shared_all:.1f} %)")  # fmt: skip
    share = 100 * distinctive_ok / len(DISTINCTIVE)
    print(f"short mixed messages, no hint, by their distinctive word: "
          f"{distinctive_ok}/{len(DISTINCTIVE)} ({share:.1f} %)")  # fmt: skip


if __name__ == "__main__":
    main()
