"""Sportello's command line: `python -m bot <command>` (see `--help`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time

from bot.errors import SportelloError
from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="train if the data changed, start everything, Ctrl-C stops")
    commands.add_parser("serve", help="run the gateway only (Rasa must be running)")
    commands.add_parser("chat", help="chat in the terminal through the pipeline")
    commands.add_parser("train", help="train the model if the data changed")
    commands.add_parser("lint", help="check the NLU data and domain.yml (the project's own rules)")
    commands.add_parser("migrate", help="bring the gateway database to the latest schema")
    purge = commands.add_parser("purge", help="delete transcripts older than the retention period")
    purge.add_argument("--days", type=int, help="override SPORTELLO_RETENTION_DAYS")
    commands.add_parser("incidents", help="count the sensitive data customers shared, by kind")
    forget = commands.add_parser("forget", help="erase one customer's conversations everywhere")
    forget.add_argument("channel", help="e.g. web, telegram, terminal")
    forget.add_argument("customer_id", help="the customer's id on that channel")
    report = commands.add_parser(
        "report", help="NLU cross-validation per language and intent, with a diff to the last one"
    )
    report.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    report.add_argument("--out", help="reports folder (default reports/nlu)")
    args = parser.parse_args(argv)

    try:
        settings = Settings.from_env()
        _configure_logging(settings)
        if args.command == "purge":
            return _purge(settings, args.days or settings.retention_days)
        if args.command == "report":
            return _report(settings, args.folds, args.out)
        if args.command == "forget":
            return _forget(settings, args.channel, args.customer_id)
        return _COMMANDS[args.command](settings)
    except SportelloError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _run(settings: Settings) -> int:
    from bot.stack import Stack, train

    started = time.monotonic()
    _step("Checking the model (Rasa retrains only if data or config changed)")
    model = train(settings)
    _step("Starting the action server, the Rasa server and the gateway")
    stack = Stack(settings, var_dir=settings.project_root / "var", model=model)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the children too, like Ctrl-C
    try:
        stack.start(progress=lambda what: _step(f"  {what}…"))
        _step(
            f"Sportello is ready after {time.monotonic() - started:.0f} s.\n"
            f"   Web chat:      {stack.gateway_url}/\n"
            f"   REST API:      POST {stack.gateway_url}/webhooks/rest/webhook\n"
            f"   Terminal chat: .venv/bin/python -m bot chat\n"
            f"   Logs:          var/log/\n"
            f"   Press Ctrl-C to stop."
        )
        while True:
            stack.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        _step("Stopping…")
        return 0
    finally:
        stack.stop()
        _step("Stopped.")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve(settings: Settings) -> int:
    from bot.app import serve

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings))
    return 0


def _chat(settings: Settings) -> int:
    from bot.channels.terminal import chat

    logging.getLogger().setLevel(logging.WARNING)  # the conversation, not the logs, on screen
    asyncio.run(chat(settings))
    return 0


def _train(settings: Settings) -> int:
    from bot.stack import train

    print(train(settings))
    return 0


def _lint(settings: Settings) -> int:
    from bot.lint import lint

    problems = lint(settings.project_root)
    for problem in problems:
        print(problem)
    print(f"lint: {len(problems)} problem(s)")
    return 1 if problems else 0


def _migrate(settings: Settings) -> int:
    from bot import store

    store.upgrade(settings.database_url)
    return 0


def _purge(settings: Settings, days: int) -> int:
    from bot import store

    removed = store.purge_older_than(
        database_url=settings.database_url, tracker_url=settings.tracker_url, days=days
    )
    print(
        f"purged transcripts older than {days} days: {removed.turns} turns, "
        f"{removed.conversations} conversations, {removed.rasa_events} Rasa events"
    )
    return 0


def _forget(settings: Settings, channel: str, customer_id: str) -> int:
    from bot import store
    from bot.pipeline import Inbound, rasa_sender_id

    places = [(channel, customer_id)]
    if channel == "telegram":  # the same person's conversations in the bank's groups
        from bot.channels.telegram import GROUP_CHANNEL

        places += [
            (GROUP_CHANNEL, external_id)
            for external_id in store.member_conversations(
                database_url=settings.database_url, channel=GROUP_CHANNEL, member_id=customer_id
            )
        ]
    conversations = turns = events = 0
    for place, external_id in places:
        removed = store.forget(
            database_url=settings.database_url,
            tracker_url=settings.tracker_url,
            channel=place,
            external_id=external_id,
            rasa_sender_id=rasa_sender_id(Inbound(place, external_id, "")),
        )
        conversations += removed.conversations
        turns += removed.turns
        events += removed.rasa_events
    print(
        f"erased {channel} customer: {conversations} conversations, "
        f"{turns} turns, {events} Rasa events"
    )
    return 0


def _report(settings: Settings, folds: int, out: str | None) -> int:
    from datetime import datetime, timezone
    from pathlib import Path

    from bot.nlu_report import cross_validate, write_report

    if folds < 2:
        raise SportelloError("--folds must be at least 2")
    reports = Path(out) if out else settings.project_root / "reports" / "nlu"
    earlier = sorted(p for p in reports.glob("*") if (p / "scores.json").exists())
    _step(f"Cross-validating the NLU pipeline ({folds} folds; about a minute each)")
    result = cross_validate(
        settings.nlu_dir, settings.project_root / "config.yml", folds=folds,
        progress=lambda line: _step(f"  {line}"),
    )  # fmt: skip
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    folder, n = reports / stamp, 1
    while folder.exists():  # two reports in one second: the second never overwrites the first
        n += 1
        folder = reports / f"{stamp}.{n:03d}"
    report = write_report(result, folder, earlier[-1] if earlier else None)
    summary, *sections = report.read_text(encoding="utf-8").split("\n## ")
    print(summary)
    for section in sections:
        if section.startswith("Changes"):
            print(f"## {section}")
    _step(f"Report written to {report}")
    return 0


def _incidents(settings: Settings) -> int:
    from bot import store

    async def count() -> dict[tuple[str, str, str], int]:
        store.upgrade(settings.database_url)
        engine = store.create_engine(settings.database_url)
        try:
            async with store.session_factory(engine)() as session:
                return await store.count_incidents(session)
        finally:
            await engine.dispose()

    counts = asyncio.run(count())
    print(f"{'kind':<16} {'channel':<10} {'language':<8} {'count':>6}")
    for (kind, channel, language), n in counts.items():
        print(f"{kind:<16} {channel:<10} {language:<8} {n:>6}")
    print(f"{'total':<36} {sum(counts.values()):>6}")
    return 0


_COMMANDS = {
    "run": _run,
    "serve": _serve,
    "chat": _chat,
    "train": _train,
    "lint": _lint,
    "migrate": _migrate,
    "incidents": _incidents,
}


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Never in the logs, whatever the level: httpx writes every request's URL, which holds
    # the Telegram bot token, and python-telegram-bot's debug output holds message texts.
    for name, floor in (("httpx", logging.WARNING), ("httpcore", logging.WARNING),
                        ("telegram", logging.INFO), ("apscheduler", logging.INFO)):  # fmt: skip
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, logger.getEffectiveLevel()))


def _step(message: str) -> None:
    print(f"==> {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
