"""Relations: a source by target matrix of stance polarity, and the evidence behind any cell."""

from __future__ import annotations

from dataclasses import replace

import charts
import data
import streamlit as st
import widgets

url, filters = widgets.page("Relations")
dyads = data.dyads(url, filters)
widgets.stop_if_empty(url, len(dyads))

size = st.slider("Actors on each axis", 5, 40, 20, key="relations_size")
shown = data.matrix(dyads, size)
st.caption(
    "Rows are sources, columns targets; red cells are mostly criticism, blue mostly support, the number "
    "is how many reactions. Click a cell, or pick a pair below, to read the evidence."
)
event = st.altair_chart(charts.relation_matrix(shown), on_select="rerun", key="relations_matrix",
                        selection_mode="cell", width="content")  # fmt: skip
picked = (event.selection.get("cell") or [None])[0] if event else None
if picked and picked != st.session_state.get("relations_picked"):
    st.session_state["relations_picked"] = picked
    st.session_state["relations_source"] = picked["source"]
    st.session_state["relations_target"] = picked["target"]

st.subheader("Evidence for a pair")
names = dict(zip(dyads["source"], dyads["source_name"], strict=True)) | dict(
    zip(dyads["target"], dyads["target_name"], strict=True)
)
sources = list(dict.fromkeys(dyads["source"]))
if st.session_state.get("relations_source") not in sources:
    st.session_state["relations_source"] = sources[0]
left, right = st.columns(2)
source = left.selectbox("Source", sources, key="relations_source", format_func=lambda c: f"{names[c]} ({c})")
targets = list(dict.fromkeys(dyads.loc[dyads["source"] == source, "target"]))
if st.session_state.get("relations_target") not in targets:
    st.session_state["relations_target"] = targets[0]
target = right.selectbox("Target", targets, key="relations_target", format_func=lambda c: f"{names[c]} ({c})")

pair = replace(filters, sources=(source,), targets=(target,))
evidence = data.reactions(url, pair, limit=200)
st.markdown(f"**{len(evidence)}** reactions of {names[source]} towards {names[target]}"
            + (" (the first 200)" if len(evidence) == 200 else "") + ".")  # fmt: skip
widgets.legend()
for _, row in evidence.head(20).iterrows():
    widgets.evidence_card(row)
if len(evidence) > 20:
    st.caption("The first 20 are shown; the table and the download have the rest.")
    widgets.reaction_table(evidence, ["published", "stance_label", "speaker_office", "sentence", "confidence",
                                      "article_url"], key="relations_rows")  # fmt: skip
left, right = st.columns(2)
with left:
    widgets.csv_button(url, pair, f"{source}-{target}", label="Download CSV of this pair")
with right:
    widgets.csv_button(url, filters, "relations", label="Download CSV of all relations")
