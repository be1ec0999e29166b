"""Reactions to an issue: a world map of stances, who said what by region, and a timeline.

The issue is whatever the sidebar filters select: a topic word, a target, dates.
"""

from __future__ import annotations

import charts
import data
import streamlit as st
import widgets

REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania", "International", "Other")
REGION_TITLES = {"International": "International organisations", "Other": "Other actors"}

url, filters = widgets.page("Reactions to an issue")
states = data.actor_stances(url, filters)  # one row per source actor
widgets.stop_if_empty(url, len(states))
targets = data.top_actors(url, filters, "target", limit=1000)  # every targeted actor, most targeted first
st.markdown(
    f"**{states['reactions'].sum():,}** reactions by **{len(states):,}** states and organisations "
    f"towards **{len(targets):,}** actors."
)

world = charts.world_map(states[states["kind"] == "state"], targets["code"].head(10).tolist())
st.vega_lite_chart(world, width="stretch")
st.caption(
    "Each state in the colour of its most frequent stance (hover for all of them); small states are dots. "
    "Outlined in black: the most targeted actors. Organisations are listed below the map."
)

st.subheader("Who said what")
per_actor = st.slider("Reactions shown per actor", 1, 10, 3, key="issue_per_actor",
                      help="Each actor's most confident reactions first; the CSV has them all.")  # fmt: skip
rows = widgets.with_statement(data.reactions_by_actor(url, filters, per_actor))
columns = ["source_name", "stance_label", "target_names", "statement", "speaker_office", "published",
           "article_url", "actor_reactions"]  # fmt: skip
for region in [r for r in REGIONS if r in set(rows["region"])]:
    st.markdown(f"#### {REGION_TITLES.get(region, region)}")
    widgets.reaction_table(rows[rows["region"] == region], columns, key=f"issue-{region}")
if len(rows) >= 1000:
    st.caption("The first 1,000 rows; download the CSV for every reaction.")

st.subheader("Timeline")
frame, unit = data.timeline(url, filters)
st.altair_chart(charts.timeline(frame, unit), width="stretch")
widgets.csv_button(url, filters, "issue")
