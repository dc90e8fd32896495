"""Loads a trained model for scoring without Rasa's debug log, which would print every evaluation row to stdout."""
from __future__ import annotations

import logging

from rasa.core.agent import Agent
from rasa.utils.log_utils import configure_structlog


def load_quiet_agent(model_path: str) -> Agent:
    """Held-out rows must never be read: unconfigured, structlog prints each parsed message at debug level."""
    configure_structlog(logging.WARNING)
    return Agent.load(model_path)
