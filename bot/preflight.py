"""`python -m bot.preflight`: refuses to start with a broken profile, an unsigned intake endpoint or half-set SMS."""
from __future__ import annotations

import sys

from bot.booking.settings import IntakeSettingsError, load_intake_settings
from bot.clinic.profile import ProfileError, clinic_profile
from bot.sms.settings import SmsSettingsError, load_sms_settings


def main() -> int:
    try:
        profile = clinic_profile()
        intake = load_intake_settings()
        sms = load_sms_settings()
    except (ProfileError, IntakeSettingsError, SmsSettingsError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    delivery = f"booking requests go to {intake.endpoint}" if intake.delivers else "booking requests go to the phone line"
    texting = f"SMS from {sms.from_number}" if sms else "SMS off (no Twilio settings)"
    print(f"Clinic profile OK: {profile.name}, {len(profile.locations)} locations; {delivery}; {texting}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
