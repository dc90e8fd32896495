"""Carrier keywords, answered before any NLU, and the short texts that answer them."""
from __future__ import annotations

from typing import Optional

from bot.clinic.profile import ClinicProfile

STOP, START, HELP = "stop", "start", "help"
KEYWORDS = {
    **dict.fromkeys(("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"), STOP),
    **dict.fromkeys(("START", "UNSTOP", "YES"), START),
    **dict.fromkeys(("HELP", "INFO"), HELP),
}


def carrier_keyword(body: str) -> Optional[str]:
    """STOP, START or HELP when the whole message is one of their keywords, in any case, with spaces around."""
    return KEYWORDS.get(body.strip().strip(".!").upper())


def opted_out_text(profile: ClinicProfile) -> str:
    return (f"{profile.name}: you're unsubscribed and will get no more texts. Reply START to resubscribe. "
            f"In crisis? Call or text {profile.crisis_lines.lifeline}.")


def opted_in_text(profile: ClinicProfile) -> str:
    return f"{profile.name}: you're resubscribed. Ask me about ketamine therapy for PTSD. Reply STOP to opt out."


def help_text(profile: ClinicProfile) -> str:
    return (f"{profile.name} automated assistant. Call {profile.main_phone}. In crisis, call or text "
            f"{profile.crisis_lines.lifeline}. Reply STOP to opt out. Msg & data rates may apply.")


def no_text_text(had_media: bool) -> str:
    if had_media:
        return "Sorry, I can only read text, not pictures. Please type your question."
    return "Sorry, that message was empty. Please type your question."


def error_text(profile: ClinicProfile) -> str:
    return f"Sorry, something went wrong on our side. Please call {profile.main_phone}."
