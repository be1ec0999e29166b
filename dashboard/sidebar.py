"""The filters every page shares, in the sidebar. Together they make one `ReactionFilter`.

The entry point renders them on every run, before the page, and keeps the result in
session state; pages read it with `current()` and pass it to the data module.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import data
import pandas as pd
import streamlit as st

from tracker.models import STATUSES
from tracker.stances import STANCE_NAMES
from tracker.store import ReactionFilter

DEFAULT_STATUSES = ["auto", "confirmed", "corrected"]
"""Review statuses shown unless the user asks for rejected reactions too."""

KEYS = ("f_dates", "f_text", "f_sources", "f_targets", "f_stances", "f_confidence", "f_statuses")
STATE_KEY = "filters"


def render(url: str) -> ReactionFilter:
    """Draw the filters in the sidebar and return what they select (also kept for `current`)."""
    actors = data.actors(url)
    first, last = data.date_bounds(url)
    with st.sidebar:
        st.header("Filters")
        since, until = _dates(first, last)
        text = st.text_input("Topic", key="f_text", placeholder="words in titles and text",
                             help="Keeps reactions from articles whose title or text contains these words.")
        sources = _actors("Source actors", actors[actors["as_source"] > 0], "f_sources")
        targets = _actors("Target actors", actors[actors["as_target"] > 0], "f_targets")
        stances = st.multiselect("Stances", STANCE_NAMES, key="f_stances", format_func=data.stance_label,
                                 placeholder="all stances")
        confidence = st.slider("Minimum confidence", 0.0, 1.0, 0.0, 0.05, key="f_confidence")
        statuses = st.multiselect("Review status", STATUSES, default=DEFAULT_STATUSES, key="f_statuses",
                                  help="Rejected reactions are left out unless chosen here.")
        st.button("Reset filters", key="f_reset", on_click=_reset, icon=":material/filter_alt_off:")
    chosen = ReactionFilter(
        sources=tuple(sources), targets=tuple(targets), stances=tuple(stances), since=since, until=until,
        min_confidence=confidence or None, statuses=tuple(statuses) if set(statuses) != set(DEFAULT_STATUSES)
        else (), text=text.strip(),
    )  # fmt: skip
    st.session_state[STATE_KEY] = chosen
    return chosen


def current() -> ReactionFilter:
    """The filters the sidebar selected on this run."""
    return st.session_state.get(STATE_KEY, ReactionFilter())


def _dates(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """A date range picker over the stored dates; the whole range means no date filter.

    Without a date filter, articles with no publication date stay in.
    """
    if first is None or last is None:
        return None, None
    picked = st.date_input("Published between", value=(first, last), min_value=first, max_value=last,
                           key="f_dates", format="YYYY-MM-DD")  # fmt: skip
    picked = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
    since = picked[0] if picked and picked[0] > first else None
    until = picked[1] if len(picked) > 1 and picked[1] < last else None
    return since, until


def _actors(label: str, choices: pd.DataFrame, key: str) -> list[str]:
    names = dict(zip(choices["code"], choices["label"], strict=True))
    kept = [code for code in st.session_state.get(key, []) if code in names]
    if key in st.session_state and kept != st.session_state[key]:
        st.session_state[key] = kept
    return st.multiselect(label, list(names), key=key, format_func=lambda code: names.get(code, code),
                          placeholder="all actors")  # fmt: skip


def _reset() -> None:
    for key in KEYS:
        st.session_state.pop(key, None)


def describe(filters: ReactionFilter, names: dict[str, str] | None = None) -> str:
    """The filters in words, for a caption: `Topic "Kursk" · sources: Japan · from 2024-01-01`."""
    names = names or {}

    def listed(codes: tuple[str, ...]) -> str:
        return ", ".join(names.get(code, code) for code in codes)

    parts: list[Any] = []
    if filters.text:
        parts.append(f'topic "{filters.text}"')
    if filters.sources:
        parts.append(f"sources: {listed(filters.sources)}")
    if filters.targets:
        parts.append(f"targets: {listed(filters.targets)}")
    if filters.stances:
        parts.append("stances: " + ", ".join(data.stance_label(s) for s in filters.stances))
    if filters.since:
        parts.append(f"from {filters.since.isoformat()}")
    if filters.until:
        parts.append(f"until {filters.until.isoformat()}")
    if filters.min_confidence:
        parts.append(f"confidence at least {filters.min_confidence:.2f}")
    if filters.statuses:
        parts.append("status: " + ", ".join(filters.statuses))
    return " · ".join(parts) if parts else "all reactions (rejected ones left out)"
