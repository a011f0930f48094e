"""Builds the gateway from settings: the pipeline and the channels that feed it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot import store
from bot.catalogue import CatalogueFile, load_catalogue
from bot.handover import Desk, load_lexicons
from bot.language import LANGUAGES, LanguageDetector
from bot.pipeline import Pipeline
from bot.rasa_bridge.client import RasaClient
from bot.responses import Responses
from bot.settings import Settings

logger = logging.getLogger(__name__)


@asynccontextmanager
async def open_pipeline(settings: Settings) -> AsyncIterator[Pipeline]:
    """A ready pipeline (database migrated, detector loaded); closes its resources on exit."""
    store.upgrade(settings.database_url)
    engine = store.create_engine(settings.database_url)
    assistant = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
    detector = LanguageDetector.from_project(settings.nlu_dir, settings.default_language)
    detector.warm_up()
    responses = Responses.from_domain(settings.domain_path)
    sessions = store.session_factory(engine)
    desk = Desk(
        settings=settings,
        sessions=sessions,
        responses=responses,
        catalogue=CatalogueFile(settings.catalogue).current,
        lexicons=load_lexicons(LANGUAGES),
    )
    try:
        yield Pipeline(
            settings=settings,
            detector=detector,
            responses=responses,
            catalogue=load_catalogue(settings.catalogue),
            assistant=assistant,
            sessions=sessions,
            desk=desk,
        )
    finally:
        await assistant.close()
        await engine.dispose()


async def serve(settings: Settings) -> None:
    """Runs the gateway's web server until cancelled."""
    import asyncio

    from aiohttp import web

    from bot.channels.web import create_app

    async with open_pipeline(settings) as pipeline:
        telegram = None
        if settings.telegram_token:
            from bot.channels.telegram import TelegramChannel

            telegram = TelegramChannel(settings, pipeline)
        runner = web.AppRunner(create_app(pipeline, telegram), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        logger.info("gateway listening on http://%s:%s", settings.host, settings.port)
        if telegram is not None:
            await telegram.start()
        retention = asyncio.create_task(purge_every_day(settings))
        waiting = asyncio.create_task(watch_the_queue(pipeline))
        try:
            await asyncio.Event().wait()
        finally:
            retention.cancel()
            waiting.cancel()
            if telegram is not None:
                await telegram.stop()
            await runner.cleanup()


async def watch_the_queue(pipeline: Pipeline, every_seconds: float = 30) -> None:
    """Offers the phone or a complaint to customers who waited too long for an agent."""
    import asyncio

    while True:
        await asyncio.sleep(every_seconds)
        if pipeline.desk is None:
            return
        try:
            await pipeline.desk.check_waiting()
        except Exception:
            logger.exception("the handover queue could not be checked")


async def purge_every_day(settings: Settings) -> None:
    """Applies the retention period now and then once a day, in a worker thread."""
    import asyncio

    while True:
        try:
            removed = await asyncio.to_thread(
                store.purge_older_than,
                database_url=settings.database_url,
                tracker_url=settings.tracker_url,
                days=settings.retention_days,
            )
            logger.info(
                "retention purge: turns=%s conversations=%s rasa_events=%s",
                removed.turns, removed.conversations, removed.rasa_events,
            )  # fmt: skip
        except Exception:
            logger.exception("retention purge failed; retrying in a day")
        await asyncio.sleep(24 * 60 * 60)
