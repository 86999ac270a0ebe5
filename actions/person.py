"""Who the person is in Tend's records, and which errors mean "not saved right now".

`person` is the one place an action computes the sender hash, so letters, check-ins
and the "my data" actions all find the same records.
"""

from __future__ import annotations

import logging

import sqlalchemy.exc
from rasa_sdk import Tracker

from bot.store.crypto import DataKeyError, hash_sender
from bot.store.database import StorageUnavailable

logger = logging.getLogger(__name__)

# The database is down, a query failed, or DATA_KEY cannot be used: in each case
# nothing was saved, and the person gets a kind answer rather than an error.
SAVING_FAILURES = (StorageUnavailable, sqlalchemy.exc.SQLAlchemyError, DataKeyError)


def person(tracker: Tracker) -> str:
    """The person's sender hash: their channel and id, keyed by `DATA_KEY`."""
    return hash_sender(tracker.get_latest_input_channel(), tracker.sender_id)


def log_saving_failure(what: str, error: Exception) -> None:
    """Warns the operator that `what` was not saved; names the error, never the text.

    `StorageUnavailable` was already explained by `bot.store.database`.
    """
    if isinstance(error, StorageUnavailable):
        return
    logger.warning(
        "Could not save %s (%s). Check DATABASE_URL and DATA_KEY; run "
        "python -m bot.cli.db upgrade if the tables are missing.",
        what,
        type(error).__name__,
    )
