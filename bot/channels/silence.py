"""A visitor never meets silence: when the assistant produced no reply at all (an action failed, the action server
was down), the channel apologises and gives the clinic's phone line, read from the profile in this process."""
from __future__ import annotations

from typing import Any, Dict, List

from bot.clinic.profile import clinic_profile


def apology() -> str:
    return (f"Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment, "
            f"or call {clinic_profile().main_phone}.")


def never_silent(messages: List[Dict[str, Any]], recipient: str) -> List[Dict[str, Any]]:
    """The replies as they are, or the apology when there are none."""
    return messages or [{"recipient_id": recipient, "text": apology()}]
