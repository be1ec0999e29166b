"""The ten stances of the spec, with their CAMEO and PLOVER codes and polarity."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stance:
    """One stance type: its name, default CAMEO code, PLOVER code and polarity."""

    name: str
    cameo: str
    plover: str
    polarity: int
    label: str


STANCES: dict[str, Stance] = {
    s.name: s
    for s in (
        Stance("condemn", "111", "ACCUSE", -1, "Condemn"),
        Stance("concern", "012", "", -1, "Concern"),
        Stance("demand", "10", "REQUEST", -1, "Demand"),
        Stance("threaten", "13", "THREATEN", -1, "Threaten"),
        Stance("protest", "114", "ACCUSE", -1, "Protest"),
        Stance("sanction", "16", "SANCTION", -1, "Sanction"),
        Stance("reject", "12", "REJECT", -1, "Reject"),
        Stance("appeal", "0256", "REQUEST", 0, "Appeal for calm"),
        Stance("support", "051", "SUPPORT", 1, "Support"),
        Stance("no_comment", "011", "", 0, "No comment"),
    )
}

STANCE_NAMES: tuple[str, ...] = tuple(STANCES)
