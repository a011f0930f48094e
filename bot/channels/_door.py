"""What every channel does to what comes in, before it goes anywhere.

- `clean_text`: a lone surrogate (e.g. `"\\ud800"` in a JSON body, or an undecodable byte
  read from a terminal) cannot be encoded as UTF-8, and NUL cannot be stored in PostgreSQL:
  each becomes U+FFFD, so the message is stored and answered like any other and the
  replacement shows where something was.
- `read_json`: a request's body as JSON, or `UnreadableBody` for anything that is not (not
  UTF-8, an unknown charset, nested too deeply, a number too long...), for the channel's 400.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

REPLACEMENT = "\ufffd"


class UnreadableBody(ValueError):
    """A request body that is not JSON; the message says why, without quoting it."""


def clean_text(text: str) -> str:
    """`text` with each lone surrogate and each NUL replaced by U+FFFD; a surrogate pair
    (two code points of UTF-16) becomes the character it stands for."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text.replace("\0", REPLACEMENT)


async def read_json(request: web.Request) -> Any:
    """The request's JSON body, decoded with its charset (UTF-8 when none is given).

    Raises UnreadableBody when it is not JSON; a body over the app's size limit raises
    aiohttp's 413 as before."""
    raw = await request.read()
    try:
        return json.loads(raw.decode(request.charset or "utf-8"))
    except RecursionError:
        raise UnreadableBody("the body must be JSON nested less deeply") from None
    except (ValueError, UnicodeError, LookupError):  # JSONDecodeError is a ValueError
        raise UnreadableBody("the body must be JSON") from None
