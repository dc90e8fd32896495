"""Loads and checks the clinic profile, the single source of the clinic's facts and phone numbers."""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Pattern, Tuple

import phonenumbers
import yaml

from bot.clinic.phones import HOME_REGION

DEFAULT_PROFILE_PATH = Path(__file__).with_name("profile.yml")
SHORT_CODE = re.compile(r"^\d{3,6}$")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"clinic profile field '{field}': {problem}")
        self.field = field


@dataclass(frozen=True)
class Location:
    key: str
    name: str
    region: str
    address: str
    phone: str
    aliases: Tuple[str, ...]

    def matches(self, place: str) -> bool:
        """True when a place a user named is this location or a town beside it."""
        wanted = place.strip().lower().replace("_", " ")
        return wanted in self.names

    @cached_property
    def names(self) -> Tuple[str, ...]:
        """Every name people use for this location, longest first so "north las vegas" wins over "las vegas"."""
        return tuple(sorted({self.key.replace("_", " "), self.name.lower(), *self.aliases}, key=len, reverse=True))

    @cached_property
    def pattern(self) -> Pattern[str]:
        """Any of its names as whole words, in any case and spacing; two-letter abbreviations ("CA") only in
        capitals, so "ca you help" is not a place."""
        words = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in self.names if len(name) > 2)
        abbreviations = "".join(f"|{re.escape(name.upper())}" for name in self.names if len(name) <= 2)
        return re.compile(rf"(?<!\w)(?:(?i:{words}){abbreviations})(?!\w)")


@dataclass(frozen=True)
class CrisisLines:
    lifeline: str
    veterans_text: str
    text_line: str
    text_line_keyword: str
    emergency: str
    poison_help: str
    violence_hotline: str
    violence_text_line: str
    violence_text_keyword: str
    child_abuse_hotline: str


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    main_phone: str
    free_consultation: bool
    intake_form_url: Optional[str]
    medical_director: str
    locations: Tuple[Location, ...]
    crisis_lines: CrisisLines

    def find_location(self, place: Optional[str]) -> Optional[Location]:
        if not place:
            return None
        return next((location for location in self.locations if location.matches(place)), None)

    def closest_location(self, answer: str) -> Optional[Location]:
        """The location a misspelt answer to "which location?" means ("uplnd", "las vages", "lasvegas"): a name of
        four letters or more that the answer, or two or three of its words, come close to. Only where a place was
        asked: in free text, near-words are no place."""
        words = re.findall(r"[^\W\d_]+", answer.lower())
        tried = {"".join(words[start:start + size]) for size in (1, 2, 3) for start in range(len(words))}
        names = {name.replace(" ", ""): location for location in self.locations for name in location.names
                 if len(name) > 3}
        for attempt in sorted(tried, key=len, reverse=True):
            close = difflib.get_close_matches(attempt, names, n=1, cutoff=0.75)
            if close:
                return names[close[0]]
        return None

    def named_in(self, text: str) -> Iterator[Tuple[Location, "re.Match[str]"]]:
        """Every mention of a location or a town beside it in a message, location by location."""
        for location in self.locations:
            for match in location.pattern.finditer(text):
                yield location, match

    def response_values(self) -> Dict[str, str]:
        """The values that response templates in the domain may name, one slot each."""
        lines = self.crisis_lines
        return {
            "clinic_name": self.name,
            "clinic_phone": self.main_phone,
            "medical_director": self.medical_director,
            "location_names": " and ".join(location.name for location in self.locations),
            "location_choices": " or ".join(location.name for location in self.locations),
            "crisis_lifeline": lines.lifeline,
            "crisis_veterans_text": lines.veterans_text,
            "crisis_text_line": lines.text_line,
            "crisis_text_keyword": lines.text_line_keyword,
            "emergency_number": lines.emergency,
            "poison_help": lines.poison_help,
            "violence_hotline": lines.violence_hotline,
            "violence_text_line": lines.violence_text_line,
            "violence_text_keyword": lines.violence_text_keyword,
            "child_abuse_hotline": lines.child_abuse_hotline,
        }


def _require(data: Dict[str, Any], field: str, prefix: str = "") -> Any:
    value = data.get(field) if isinstance(data, dict) else None
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ProfileError(prefix + field, "is missing or empty")
    return value


def _text(data: Dict[str, Any], field: str, prefix: str = "") -> str:
    value = _require(data, field, prefix)
    if not isinstance(value, str):
        raise ProfileError(prefix + field, f"must be text, got {type(value).__name__}")
    return value.strip()


def _phone(data: Dict[str, Any], field: str, prefix: str = "") -> str:
    value = str(_require(data, field, prefix)).strip()
    try:
        parsed = phonenumbers.parse(value, HOME_REGION)
    except phonenumbers.NumberParseException as error:
        raise ProfileError(prefix + field, f"'{value}' is not a phone number ({error})") from error
    if not phonenumbers.is_valid_number(parsed):
        raise ProfileError(prefix + field, f"'{value}' is not a valid US phone number")
    return value


def _short_code(data: Dict[str, Any], field: str, prefix: str) -> str:
    value = str(_require(data, field, prefix)).strip()
    if not SHORT_CODE.match(value):
        raise ProfileError(prefix + field, f"'{value}' must be 3 to 6 digits")
    return value


def _location(data: Any, index: int) -> Location:
    prefix = f"locations[{index}]."
    if not isinstance(data, dict):
        raise ProfileError(f"locations[{index}]", "must be a mapping")
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list):
        raise ProfileError(prefix + "aliases", "must be a list")
    return Location(
        key=_text(data, "key", prefix),
        name=_text(data, "name", prefix),
        region=_text(data, "region", prefix),
        address=_text(data, "address", prefix),
        phone=_phone(data, "phone", prefix),
        aliases=tuple(str(alias).strip().lower() for alias in aliases),
    )


def parse_profile(data: Any) -> ClinicProfile:
    """Builds a profile from parsed YAML, or raises ProfileError naming the first bad field."""
    if not isinstance(data, dict):
        raise ProfileError("(top level)", "must be a mapping of fields")
    locations = _require(data, "locations")
    if not isinstance(locations, list) or not locations:
        raise ProfileError("locations", "must be a non-empty list")
    director = _require(data, "medical_director")
    if not isinstance(director, dict):
        raise ProfileError("medical_director", "must have a name and credentials")
    lines = _require(data, "crisis_lines")
    if not isinstance(lines, dict):
        raise ProfileError("crisis_lines", "must be a mapping")
    intake_url = (data.get("intake_form_url") or "").strip() or None
    if intake_url and not intake_url.startswith(("https://", "http://")):
        raise ProfileError("intake_form_url", f"'{intake_url}' must start with https:// or http://")
    return ClinicProfile(
        name=_text(data, "name"),
        main_phone=_phone(data, "main_phone"),
        free_consultation=bool(data.get("free_consultation", False)),
        intake_form_url=intake_url,
        medical_director=(
            f"{_text(director, 'name', 'medical_director.')}, "
            f"{_text(director, 'credentials', 'medical_director.')}"
        ),
        locations=tuple(_location(location, index) for index, location in enumerate(locations)),
        crisis_lines=CrisisLines(
            lifeline=_short_code(lines, "lifeline", "crisis_lines."),
            veterans_text=_short_code(lines, "veterans_text", "crisis_lines."),
            text_line=_short_code(lines, "text_line", "crisis_lines."),
            text_line_keyword=_text(lines, "text_line_keyword", "crisis_lines."),
            emergency=_short_code(lines, "emergency", "crisis_lines."),
            poison_help=_phone(lines, "poison_help", "crisis_lines."),
            violence_hotline=_phone(lines, "violence_hotline", "crisis_lines."),
            violence_text_line=_short_code(lines, "violence_text_line", "crisis_lines."),
            violence_text_keyword=_text(lines, "violence_text_keyword", "crisis_lines."),
            child_abuse_hotline=_phone(lines, "child_abuse_hotline", "crisis_lines."),
        ),
    )


def load_profile(path: Optional[Path] = None) -> ClinicProfile:
    """Reads the profile named by CLINIC_PROFILE (or the bundled one)."""
    path = Path(path or os.environ.get("CLINIC_PROFILE") or DEFAULT_PROFILE_PATH)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError("(file)", f"cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ProfileError("(file)", f"{path} is not valid YAML: {error}") from error
    return parse_profile(data)


@lru_cache(maxsize=1)
def clinic_profile() -> ClinicProfile:
    """The profile of this process, loaded once."""
    return load_profile()
