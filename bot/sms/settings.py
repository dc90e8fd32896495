"""The Twilio settings, all from the environment; SMS stays off until every one of them is set."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

REQUIRED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER", "TWILIO_WEBHOOK_URL", "SMS_CONVERSATION_KEY")


class SmsSettingsError(ValueError):
    """SMS is half configured."""


@dataclass(frozen=True)
class SmsSettings:
    account_sid: str
    auth_token: str
    from_number: str
    webhook_url: str
    conversation_key: bytes
    api_base: Optional[str]


def load_sms_settings() -> Optional[SmsSettings]:
    """None when SMS is not set up; an error naming what is missing when it is set up only in part."""
    values = {name: os.environ.get(name, "").strip() for name in REQUIRED}
    missing = [name for name, value in values.items() if not value]
    if len(missing) == len(REQUIRED):
        return None
    if missing:
        raise SmsSettingsError(f"SMS is partly configured: set {', '.join(missing)} too, or unset the others")
    if len(values["SMS_CONVERSATION_KEY"]) < 16:
        raise SmsSettingsError("SMS_CONVERSATION_KEY must be at least 16 characters")
    return SmsSettings(
        account_sid=values["TWILIO_ACCOUNT_SID"],
        auth_token=values["TWILIO_AUTH_TOKEN"],
        from_number=values["TWILIO_NUMBER"],
        webhook_url=values["TWILIO_WEBHOOK_URL"],
        conversation_key=values["SMS_CONVERSATION_KEY"].encode(),
        api_base=os.environ.get("TWILIO_API_BASE") or None,
    )
