"""The project's own exceptions.

SportelloError             anything the project raises on purpose
├── ConfigurationError     a setting is missing or invalid (raised at start-up)
├── DataError              domain.yml or the NLU data is malformed
└── AssistantUnavailable   the Rasa server did not answer in time or answered an error
"""


class SportelloError(Exception):
    """Base class of the project's own failures."""


class ConfigurationError(SportelloError):
    """A setting is missing or invalid."""


class DataError(SportelloError):
    """The assistant's data files are malformed."""


class AssistantUnavailable(SportelloError):
    """The Rasa server could not answer a message."""
