"""The clinic profile: the bundled one loads, and a malformed one is refused with the field named."""
from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.clinic.profile import DEFAULT_PROFILE_PATH, ProfileError, clinic_profile, load_profile, parse_profile

BUNDLED = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text())


def test_bundled_profile_has_the_articles_facts():
    profile = load_profile()
    assert profile.name == "Klarity Clinic"
    assert profile.main_phone == "844-552-7489"
    upland = profile.find_location("upland")
    las_vegas = profile.find_location("Las Vegas")
    assert (upland.address, upland.phone) == ("1060 E Foothill Blvd, Suite 203", "909-689-4900")
    assert las_vegas.address == "5145 South Durango Drive, Suite 103"
    assert profile.medical_director == "Dr. Henry Liang, DO"
    assert profile.crisis_lines.lifeline == "988" and profile.crisis_lines.poison_help == "1-800-222-1222"


def test_towns_beside_a_location_find_it():
    profile = load_profile()
    assert profile.find_location("rancho cucamonga").key == "upland"
    assert profile.find_location("Henderson").key == "las_vegas"
    assert profile.find_location("Phoenix") is None


def broken(path: str, value):
    data = copy.deepcopy(BUNDLED)
    *parents, leaf = path.split(".")
    target = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is None:
        del target[leaf]
    else:
        target[leaf] = value
    return data


@pytest.mark.parametrize(
    "path, value, field",
    [
        ("name", None, "name"),
        ("main_phone", "call us", "main_phone"),
        ("main_phone", "555-0000", "main_phone"),
        ("locations.1.phone", "12", "locations[1].phone"),
        ("locations.0.address", "", "locations[0].address"),
        ("crisis_lines.lifeline", "nine-eight-eight", "crisis_lines.lifeline"),
        ("medical_director", "someone", "medical_director"),
        ("intake_form_url", "ftp://example.org", "intake_form_url"),
        ("locations", [], "locations"),
    ],
)
def test_malformed_profile_names_the_field(path, value, field):
    with pytest.raises(ProfileError) as error:
        parse_profile(broken(path, value))
    assert error.value.field == field
    assert f"'{field}'" in str(error.value)


def test_start_up_check_stops_with_one_clear_line(tmp_path: Path):
    bad = tmp_path / "profile.yml"
    bad.write_text(yaml.safe_dump(broken("main_phone", "not a number")))
    result = subprocess.run(
        [sys.executable, "-m", "bot.preflight"],
        capture_output=True, text=True, check=False, env={**os.environ, "CLINIC_PROFILE": str(bad)},
    )
    assert result.returncode == 1
    assert "Cannot start: clinic profile field 'main_phone'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("typed, name", [("uplnd", "Upland"), ("Upalnd", "Upland"), ("las vages", "Las Vegas"),
                                         ("lasvegas", "Las Vegas"), ("the one in vegs pls", "Las Vegas"),
                                         ("fontanna", "Upland")])
def test_a_misspelt_answer_to_which_location_means_the_closest_one(typed, name):
    assert clinic_profile().closest_location(typed).name == name


@pytest.mark.parametrize("typed", ["yes", "phoenix", "i live in reno", "either", "idk", "mornings", "Maria", ""])
def test_an_answer_near_no_location_means_none(typed):
    assert clinic_profile().closest_location(typed) is None
