"""Overview: how many reactions, the stance mix, the most active and most targeted actors, the latest."""

from __future__ import annotations

import charts
import data
import streamlit as st
import widgets

url, filters = widgets.page("Overview")
totals = data.summary(url, filters)
widgets.stop_if_empty(url, totals["reactions"])

for column, (label, key) in zip(
    st.columns(4),
    [("Reactions", "reactions"), ("Articles", "articles"), ("Actors reacting", "sources"),
     ("Actors targeted", "targets")],
    strict=True,
):  # fmt: skip
    column.metric(label, f"{totals[key]:,}")

left, middle, right = st.columns(3)
with left:
    st.subheader("Stance mix")
    st.altair_chart(charts.stance_bars(data.stance_mix(url, filters)), width="stretch")
with middle:
    st.subheader("Most active sources")
    st.altair_chart(charts.actor_bars(data.top_actors(url, filters, "source", 12)), width="stretch")
with right:
    st.subheader("Most targeted")
    targeted = data.top_actors(url, filters, "target", 12)
    st.altair_chart(charts.actor_bars(targeted, "#e45756"), width="stretch")

st.subheader("Latest reactions")
latest = widgets.with_statement(data.reactions(url, filters, limit=25))
widgets.reaction_table(latest, ["published", "source_name", "stance_label", "target_names", "speaker_office",
                                "statement", "confidence", "article_url"])  # fmt: skip
st.caption(f"The 25 most recent of {totals['reactions']:,}; the Evidence page searches them all.")
widgets.csv_button(url, filters, "overview")
