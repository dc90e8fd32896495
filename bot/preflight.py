"""`python -m bot.preflight`: refuses to start with a broken clinic profile or an unsigned intake endpoint."""
from __future__ import annotations

import sys

from bot.booking.settings import IntakeSettingsError, load_intake_settings
from bot.clinic.profile import ProfileError, clinic_profile


def main() -> int:
    try:
        profile = clinic_profile()
        intake = load_intake_settings()
    except (ProfileError, IntakeSettingsError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    delivery = f"booking requests go to {intake.endpoint}" if intake.delivers else "booking requests go to the phone line"
    print(f"Clinic profile OK: {profile.name}, {len(profile.locations)} locations; {delivery}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
