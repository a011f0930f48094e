"""Rendering the assistant's messages for Telegram: escaping, splitting, keyboards."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram._render import (
    CALLBACK_DATA_MAX_BYTES,
    MAX_MESSAGE_UNITS,
    PayloadBook,
    render,
    split_text,
    utf16_length,
)


def test_text_is_escaped_for_html() -> None:
    [item] = render([{"text": "Fees < 5 € & rates > 3 % <b>not bold</b>"}], PayloadBook())
    assert item.html == "Fees &lt; 5 € &amp; rates &gt; 3 % &lt;b&gt;not bold&lt;/b&gt;"
    assert item.keyboard is None


def test_a_long_answer_is_split_at_paragraphs_and_the_buttons_go_last() -> None:
    paragraph = "Una frase di prova. " * 100  # about 2,000 characters
    text = "\n\n".join([paragraph.strip()] * 3)
    buttons = [{"title": "Carta di credito", "payload": '/ask_fees{"product": "credit_card"}'}]
    items = render([{"text": text, "buttons": buttons}], PayloadBook())
    assert len(items) == 2
    assert [i.keyboard is not None for i in items] == [False, True]
    assert html.unescape(items[0].html) == "\n\n".join([paragraph.strip()] * 2)
    assert html.unescape(items[1].html) == paragraph.strip()


def test_sentences_and_words_are_kept_whole_when_there_are_no_paragraphs() -> None:
    pieces = split_text("Prima frase lunga. " * 30, limit=100)
    assert all(p.endswith(".") for p in pieces)
    pieces = split_text("parola " * 100, limit=50)
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in pieces)
    assert " ".join(pieces).split() == ["parola"] * 100


@given(st.text(min_size=0, max_size=12_000))
def test_splitting_loses_nothing_and_respects_the_limit(text: str) -> None:
    pieces = split_text(text)
    assert all(0 < utf16_length(p) <= MAX_MESSAGE_UNITS for p in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_emoji_count_as_two_units() -> None:
    pieces = split_text("😀" * 3000)
    assert [utf16_length(p) for p in pieces] == [4096, 1904]


def test_buttons_become_an_inline_keyboard_with_the_payload_as_callback_data() -> None:
    buttons = [
        {"title": "Italiano", "payload": '/choose_language{"language": "it"}'},
        {"title": "English", "payload": '/choose_language{"language": "en"}'},
        {"title": "Français", "payload": '/choose_language{"language": "fr"}'},
    ]
    [item] = render([{"text": "Lingua?", "buttons": buttons}], PayloadBook())
    assert item.keyboard is not None
    rows = item.keyboard.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["Italiano", "English"], ["Français"]]
    assert rows[0][0].callback_data == '/choose_language{"language": "it"}'


def test_long_titles_get_a_row_each_and_links_stay_links() -> None:
    buttons = [
        {"title": "Scrivimi in privato, per favore", "url": "https://t.me/bank_bot?start=x"},
        {"title": "Un altro pulsante molto lungo", "payload": "/help"},
    ]
    [item] = render([{"text": "x", "buttons": buttons}], PayloadBook())
    assert item.keyboard is not None
    rows = item.keyboard.inline_keyboard
    assert [len(row) for row in rows] == [1, 1]
    assert rows[0][0].url == "https://t.me/bank_bot?start=x"


def test_a_payload_over_64_bytes_is_kept_in_the_book() -> None:
    book = PayloadBook(capacity=2)
    payload = '/ask_open_product{"product": "' + "x" * 60 + '"}'
    data = book.encode(payload)
    assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
    assert book.decode(data) == payload
    book.encode("/a" + "y" * 70)
    book.encode("/b" + "z" * 70)  # the oldest is forgotten
    assert book.decode(data) is None
    assert book.decode("/help") == "/help"


def test_messages_without_text_or_buttons_are_skipped() -> None:
    assert render([{"image": "https://example.org/x.png"}, {"text": "  "}], PayloadBook()) == []
