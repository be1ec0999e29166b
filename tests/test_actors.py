"""Tests of the actor data files and their loader, on the real files."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from tracker.actors import (
    KINDS,
    ActorInfo,
    actor_name,
    load_actors,
    load_office_holders,
    office_holder_on,
)

SPEC_STATES = tuple("USA GBR KOR PRK RUS CHN UKR JPN FRA DEU IRN ISR PSE TWN XKX VAT".split())
SPEC_ORGS = tuple(
    "UN NATO EU AU ASEAN G7 G20 OIC ECOWAS ARAB_LEAGUE GCC OSCE OAS IAEA SCO BRICS CSTO "
    "CARICOM QUAD COE".split()
)
G20_STATES = tuple(
    "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA".split()
)
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
STRONG_FIELDS = ("names", "adjectives", "demonyms", "capitals", "seats")


@pytest.fixture(scope="module")
def actors() -> dict[str, ActorInfo]:
    return load_actors()


def _of_kind(actors: dict[str, ActorInfo], kind: str) -> list[ActorInfo]:
    return [a for a in actors.values() if a.kind == kind]


def _alias_owner(actors: dict[str, ActorInfo], alias: str) -> set[str]:
    return {a.code for a in actors.values() for f in STRONG_FIELDS if alias in getattr(a, f)}


def test_actors_counts(actors):
    assert len(_of_kind(actors, "state")) == 197
    assert len(_of_kind(actors, "organisation")) == 20
    assert len(actors) == 217


@pytest.mark.parametrize("code", SPEC_STATES + SPEC_ORGS)
def test_actors_spec_code_present(actors, code):
    assert code in actors


def test_actors_organisations_are_exactly_the_spec_list(actors):
    assert {a.code for a in _of_kind(actors, "organisation")} == set(SPEC_ORGS)


def test_actors_state_fields_are_well_formed(actors):
    for state in _of_kind(actors, "state"):
        assert len(state.code) == 3 and state.code.isupper(), state.code
        assert state.region in REGIONS, state.code
        assert state.subregion, state.code
        assert state.iso_numeric == "-99" or (
            len(state.iso_numeric) == 3 and state.iso_numeric.isdigit()
        ), state.code
        assert state.names[0] == state.name, state.code


def test_actors_iso_numeric_unique(actors):
    numbers = [a.iso_numeric for a in _of_kind(actors, "state")]
    assert len(numbers) == len(set(numbers))


def test_actors_kor_lookup(actors):
    kor = actors["KOR"]
    assert kor.name == "South Korea"
    assert kor.kind == "state"
    assert (kor.region, kor.subregion, kor.iso_numeric) == ("Asia", "Eastern Asia", "410")
    assert "Republic of Korea" in kor.names
    assert "South Korean" in kor.adjectives
    assert "Seoul" in kor.capitals
    assert "Korea" in kor.weak and "Korea" not in kor.names


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("U.S.", "USA"),
        ("America", "USA"),
        ("White House", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Downing Street", "GBR"),
        ("Holland", "NLD"),
        ("Czechia", "CZE"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("DPRK", "PRK"),
        ("Burma", "MMR"),
        ("UAE", "ARE"),
        ("KSA", "SAU"),
        ("DRC", "COD"),
        ("Congo-Brazzaville", "COG"),
        ("Vatican", "VAT"),
        ("Kremlin", "RUS"),
        ("Elysee", "FRA"),
        ("Zhongnanhai", "CHN"),
        ("Kiev", "UKR"),
        ("Kyiv", "UKR"),
        ("The Hague", "NLD"),
        ("La Paz", "BOL"),
        ("U.N.", "UN"),
        ("Security Council", "UN"),
        ("UNRWA", "UN"),
        ("E.U.", "EU"),
        ("European Commission", "EU"),
        ("G-7", "G7"),
        ("League of Arab States", "ARAB_LEAGUE"),
        ("Council of Europe", "COE"),
    ],
)
def test_actors_alias_belongs_to(actors, alias, code):
    assert _alias_owner(actors, alias) == {code}


def test_actors_congo_is_weak_for_both_congos(actors):
    assert _alias_owner(actors, "Congo") == set()
    assert "Congo" in actors["COG"].weak and "Congo" in actors["COD"].weak


def test_actors_aliases_unique_across_codes(actors):
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in actors.values():
        for field in STRONG_FIELDS:
            for alias in getattr(actor, field):
                owners[alias.casefold()].add(actor.code)
    shared = {alias: codes for alias, codes in owners.items() if len(codes) > 1}
    assert shared == {}


def test_actors_no_alias_has_leading_the(actors):
    for actor in actors.values():
        for field in STRONG_FIELDS + ("weak",):
            for alias in getattr(actor, field):
                assert not alias.startswith("the "), (actor.code, alias)
                assert alias == alias.strip() and alias, (actor.code, alias)


def test_actors_secretary_general_is_a_title_of_un_and_nato(actors):
    assert "Secretary-General" in actors["UN"].titles
    assert "Secretary-General" in actors["NATO"].titles
    assert "Secretary-General" not in actors["UN"].names


def test_actors_kinds_are_known(actors):
    assert {a.kind for a in actors.values()} <= set(KINDS)


def test_actor_name_known_and_unknown():
    assert actor_name("KOR") == "South Korea"
    assert actor_name("ARAB_LEAGUE") == "Arab League"
    assert actor_name("XYZ") == "XYZ"


def test_load_actors_returns_a_fresh_dict():
    first = load_actors()
    first.pop("KOR")
    assert "KOR" in load_actors()


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_load_actors_extra_file_adds_and_merges(tmp_path):
    extra = _write_jsonl(
        tmp_path / "extra.jsonl",
        [
            {"code": "KOR", "names": ["Hanguk", "South Korea"], "seats": ["Sejong"]},
            {"code": "HAMAS", "name": "Hamas", "kind": "non-state", "names": ["Hamas"]},
        ],
    )
    actors = load_actors([extra])
    kor = actors["KOR"]
    assert kor.names[-1] == "Hanguk" and kor.names.count("South Korea") == 1
    assert "Blue House" in kor.seats and "Sejong" in kor.seats
    assert kor.name == "South Korea"
    assert actors["HAMAS"] == ActorInfo(
        code="HAMAS", name="Hamas", kind="non-state", names=("Hamas",)
    )
    assert "Hanguk" not in load_actors()["KOR"].names


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"code": "KOR", "nmes": ["x"]}', "unknown key"),
        ('{"name": "Nowhere"}', "missing 'code'"),
        ('{"code": "KOR", "names": "Seoul"}', "list of strings"),
        ('{"code": "NEW", "kind": "company"}', "'kind'"),
        ('{"code": "KOR",', "invalid JSON"),
        ('["KOR"]', "JSON object"),
    ],
)
def test_load_actors_malformed_extra_file_names_file_and_line(tmp_path, line, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"code": "KOR"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_actors([bad])
    assert f"{bad}:3" in str(info.value)


# --- office holders -------------------------------------------------------------------


@pytest.fixture(scope="module")
def holders():
    return load_office_holders()


def test_office_holders_actors_exist(actors, holders):
    assert {h.actor for h in holders} <= set(actors)


def test_office_holders_terms_are_ordered(holders):
    for holder in holders:
        assert holder.end is None or holder.start <= holder.end, holder


def test_office_holders_same_office_terms_do_not_overlap(holders):
    by_office = defaultdict(list)
    for holder in holders:
        by_office[(holder.actor, holder.office)].append(holder)
    for (_actor, office), terms in by_office.items():
        if office in ("Spokesperson", "Acting President", "Crown Prince"):
            continue  # several spokespeople serve at once
        terms.sort(key=lambda t: t.start)
        for before, after in zip(terms, terms[1:], strict=False):
            assert before.end is not None and before.end <= after.start, (before, after)


@pytest.mark.parametrize("code", G20_STATES + ("UKR", "ISR", "IRN", "PRK", "EU", "UN", "NATO"))
def test_office_holders_cover_today(holders, code):
    day = date(2025, 1, 1)
    assert any(h.actor == code and h.holds_on(day) for h in holders), code


@pytest.mark.parametrize(
    ("name", "day", "actor", "office"),
    [
        ("Biden", date(2022, 1, 1), "USA", "President"),
        ("Joe Biden", date(2015, 1, 1), "USA", "Vice President"),
        ("Blinken", date(2022, 1, 1), "USA", "Secretary of State"),
        ("Boris Johnson", date(2020, 6, 1), "GBR", "Prime Minister"),
        ("Boris Johnson", date(2017, 6, 1), "GBR", "Foreign Secretary"),
        ("Johnson", date(2017, 6, 1), "GBR", "Foreign Secretary"),
        ("Wang Yi", date(2024, 5, 1), "CHN", "Foreign Minister"),
        ("Erdogan", date(2013, 1, 1), "TUR", "Prime Minister"),
        ("Erdoğan", date(2020, 1, 1), "TUR", "President"),
        ("cavusoglu", date(2019, 1, 1), "TUR", "Foreign Minister"),
        ("Guterres", date(2024, 10, 21), "UN", "Secretary-General"),
        ("Stoltenberg", date(2022, 3, 1), "NATO", "Secretary-General"),
        ("Zakharova", date(2024, 10, 21), "RUS", "Spokesperson"),
        ("Yoon Suk Yeol", date(2024, 10, 21), "KOR", "President"),
        ("Kim Jong Un", date(2024, 10, 21), "PRK", "Supreme Leader"),
        ("Netanyahu", date(2023, 10, 8), "ISR", "Prime Minister"),
        ("Zelenskyy", date(2023, 1, 1), "UKR", "President"),
        ("Mogherini", date(2016, 1, 1), "EU", "High Representative"),
    ],
)
def test_office_holder_on_day(name, day, actor, office):
    holder = office_holder_on(name, day)
    assert holder is not None
    assert (holder.actor, holder.office) == (actor, office)


def test_office_holder_on_outside_any_term():
    assert office_holder_on("Biden", date(2018, 1, 1)) is None
    assert office_holder_on("Nobody Atall", date(2020, 1, 1)) is None


def test_office_holder_on_without_day_prefers_most_recent_term():
    holder = office_holder_on("Boris Johnson", None)
    assert holder is not None and holder.office == "Prime Minister"
    trump = office_holder_on("Trump", None)
    assert trump is not None and trump.start == date(2025, 1, 20) and trump.end is None


def test_office_holder_on_day_boundaries_are_inclusive():
    biden = office_holder_on("Biden", date(2021, 1, 20))
    assert biden is not None and biden.office == "President"
    assert office_holder_on("Blinken", date(2025, 1, 20)) is not None


def test_office_holder_on_custom_holders(tmp_path):
    extra = _write_jsonl(
        tmp_path / "people.jsonl",
        [
            {
                "name": "Kim Hong-kyun",
                "aliases": ["Kim Hong Kyun"],
                "actor": "KOR",
                "office": "Vice Foreign Minister",
                "start": "2024-06-01",
                "end": None,
            },
        ],
    )
    holders = load_office_holders([extra])
    assert len(holders) == len(load_office_holders()) + 1
    holder = office_holder_on("kim hong kyun", date(2024, 10, 21), holders)
    assert holder is not None and holder.actor == "KOR"
    assert office_holder_on("Kim Hong-kyun", date(2024, 10, 21)) is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {
                "name": "X",
                "actor": "KOR",
                "office": "President",
                "start": "2020-01-01",
                "party": "none",
            },
            "unknown key",
        ),
        ({"name": "X", "actor": "KOR", "office": "President"}, "missing 'start'"),
        ({"name": "X", "actor": "KOR", "office": "President", "start": "2020-13-01"}, "date"),
        (
            {
                "name": "X",
                "actor": "KOR",
                "office": "President",
                "start": "2020-01-01",
                "end": "2019-01-01",
            },
            "before",
        ),
    ],
)
def test_load_office_holders_malformed_extra_file(tmp_path, row, message):
    bad = _write_jsonl(tmp_path / "bad_people.jsonl", [row])
    with pytest.raises(ValueError, match=message) as info:
        load_office_holders([bad])
    assert f"{bad}:1" in str(info.value)
