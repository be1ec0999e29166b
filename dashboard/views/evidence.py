"""Evidence: a searchable table of reactions, and each sentence with its actor, cue and targets marked."""

from __future__ import annotations

import data
import streamlit as st
import widgets

ORDERS = {"newest": "Newest first", "most_confident": "Most confident first",
          "least_confident": "Least confident first"}  # fmt: skip

url, filters = widgets.page("Evidence")
totals = data.summary(url, filters)
widgets.stop_if_empty(url, totals["reactions"])

left, right = st.columns([3, 1])
search = left.text_input("Search sentences, quotes and speakers", key="evidence_search",
                         placeholder="e.g. sovereignty, Guterres, spokesperson")  # fmt: skip
order = right.selectbox("Order", list(ORDERS), format_func=ORDERS.get, key="evidence_order")
rows = data.reactions(url, filters, data.ROW_CAP, order, search)
shown = f"{len(rows):,} matching reactions" if search else f"{len(rows):,} of {totals['reactions']:,}"
capped = f" (the first {data.ROW_CAP}; the download has every one)" if len(rows) == data.ROW_CAP else ""
st.caption(f"{shown}{capped}. Select a row to read its evidence.")
event = widgets.reaction_table(
    rows, ["published", "source_name", "stance_label", "target_names", "speaker_office", "quote", "sentence",
           "confidence", "status", "article_url"],
    key="evidence_table", select=True, height=380,
)  # fmt: skip
widgets.csv_button(url, filters, "evidence")

chosen = widgets.selected_row(event)
cards = rows.iloc[[chosen]] if chosen is not None and chosen < len(rows) else rows.head(10)
st.subheader("Selected reaction" if chosen is not None else "First reactions in the table")
widgets.legend()
for _, row in cards.iterrows():
    widgets.evidence_card(row)
