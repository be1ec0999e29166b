"""Country profile: one actor's reactions as source and as target over time.

And who condemned it, who supported it.
"""

from __future__ import annotations

from dataclasses import replace

import charts
import data
import pandas as pd
import streamlit as st
import widgets

from tracker.stances import STANCES

NEGATIVE = [name for name, stance in STANCES.items() if stance.polarity < 0]

url, filters = widgets.page("Country profile", caption=False)
actors = data.actors(url)
widgets.stop_if_empty(url, len(actors))
labels = dict(zip(actors["code"], actors["label"], strict=True))
busiest = actors.assign(n=actors["as_source"] + actors["as_target"]).sort_values("n", ascending=False)
default = next(iter(filters.sources or filters.targets or tuple(busiest["code"][:1])), None)
if st.session_state.get("profile_actor") not in labels:
    st.session_state["profile_actor"] = default if default in labels else busiest["code"].iloc[0]
code = st.selectbox("Actor", list(labels), key="profile_actor", format_func=labels.get)
name = actors.set_index("code").at[code, "name"]
as_source = replace(filters, sources=(code,))
as_target = replace(filters, targets=(code,))
st.caption(
    "The other sidebar filters apply; the actor chosen here replaces the source filter for its own reactions "
    "and the target filter for reactions towards it."
)

by_source = data.actor_stances(url, as_target, "source")  # who reacted to it
by_target = data.actor_stances(url, as_source, "target")  # whom it reacted to
critics = by_source[by_source[NEGATIVE].sum(axis=1) > 0]
supporters = by_source[by_source["support"] > 0]
metrics = [
    ("Its reactions", data.summary(url, as_source)["reactions"]),
    ("Reactions towards it", data.summary(url, as_target)["reactions"]),
    ("Actors criticising it", len(critics)),
    ("Actors supporting it", len(supporters)),
]
for column, (label, value) in zip(st.columns(4), metrics, strict=True):
    column.metric(label, f"{value:,}")


def ranked(frame: pd.DataFrame, stances: list[str], title: str) -> pd.DataFrame:
    counts = frame[stances].sum(axis=1)
    out = frame.assign(**{title: counts})[["name", title, "breakdown"]]
    out = out.sort_values(title, ascending=False)
    return out.rename(columns={"name": "Actor", "breakdown": "All stances"})


left, right = st.columns(2)
with left:
    st.subheader(f"Who condemned or criticised {name}")
    st.dataframe(ranked(critics, NEGATIVE, "Critical reactions"), hide_index=True)
with right:
    st.subheader(f"Who supported {name}")
    st.dataframe(ranked(supporters, ["support"], "Supportive reactions"), hide_index=True)

def side(title: str, view, per_actor: pd.DataFrame, other: str, empty: str, key: str, label: str):
    """One half of the profile: a timeline, the actors on the other side, a download."""
    st.subheader(title)
    frame, unit = data.timeline(url, view)
    if frame.empty:
        st.info(empty)
    else:
        st.altair_chart(charts.timeline(frame, unit, height=200), width="stretch")
        st.dataframe(per_actor[["name", "reactions", "main_label", "breakdown"]].rename(columns={
            "name": other, "reactions": "Reactions", "main_label": "Main stance",
            "breakdown": "All stances"}), hide_index=True)  # fmt: skip
    widgets.csv_button(url, view, key, label=label)


left, right = st.columns(2)
with left:
    side(f"{name} as source", as_source, by_target, "Towards", f"No reactions by {name} in this view.",
         f"{code}-as-source", f"Download CSV of {name}'s reactions")
with right:
    side(f"{name} as target", as_target, by_source, "From", f"No reactions towards {name} in this view.",
         f"{code}-as-target", f"Download CSV of reactions towards {name}")
