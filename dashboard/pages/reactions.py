"""Stored reactions, newest first, with their evidence."""

from __future__ import annotations

import streamlit as st

import data
from tracker.store import ReactionFilter

url = data.database_url()
st.title("Reactions")
counts = data.counts(url)
left, middle, right = st.columns(3)
left.metric("Articles", counts.get("articles", 0))
middle.metric("Reactions", counts.get("reactions", 0))
right.metric("Actors", counts.get("actors", 0))
frame = data.reactions(url, ReactionFilter())
if frame.empty:
    st.info("No reactions stored yet. Load some with `tracker demo` or `tracker ingest PATH`.")
else:
    st.caption(f"Showing up to {data.ROW_CAP} rows.")
    st.dataframe(
        frame[["published", "source_name", "stance", "target_name", "speaker", "quote",
               "sentence", "confidence", "article_title"]],
        hide_index=True,
    )
