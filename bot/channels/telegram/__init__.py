"""The Telegram channel (python-telegram-bot 22): private chats and the bank's public group."""

from bot.channels.telegram._channel import (
    CHANNEL,
    GROUP_CHANNEL,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramChannel,
)

__all__ = ["CHANNEL", "GROUP_CHANNEL", "SECRET_HEADER", "WEBHOOK_PATH", "TelegramChannel"]
