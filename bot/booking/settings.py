"""Where booking requests go and how they are signed; checked before anything starts."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

from bot.clinic.profile import clinic_profile

SECRET_VARIABLE = "INTAKE_SIGNING_SECRET"
MIN_SECRET_LENGTH = 16


class IntakeSettingsError(ValueError):
    """Booking delivery is configured in a way that cannot work safely."""


@dataclass(frozen=True)
class IntakeSettings:
    endpoint: Optional[str]
    secret: Optional[bytes]
    connect_timeout: float = 3.0
    read_timeout: float = 5.0

    @property
    def delivers(self) -> bool:
        return self.endpoint is not None


def load_intake_settings() -> IntakeSettings:
    """The endpoint comes from the clinic profile, the signing secret from the environment, never the repository."""
    endpoint = clinic_profile().intake_form_url
    secret = os.environ.get(SECRET_VARIABLE, "")
    if endpoint and len(secret) < MIN_SECRET_LENGTH:
        raise IntakeSettingsError(
            f"an intake endpoint is configured ({endpoint}) but {SECRET_VARIABLE} is "
            f"{'not set' if not secret else 'shorter than 16 characters'}: set it to the secret shared with the clinic"
        )
    return IntakeSettings(endpoint=endpoint or None, secret=secret.encode() if endpoint else None)
