"""The dashboard's only way to the data: cached queries taking the engine URL and filters.

Pages call these functions and render what they return; they never build SQL.
Cache lifetimes are explicit so that newly ingested articles appear.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from tracker import store
from tracker.config import load_settings

ROW_CAP = 500
TTL_SECONDS = 30


def database_url() -> str:
    return load_settings(env=os.environ).database_url


@st.cache_resource
def engine(url: str) -> Engine:
    return store.make_engine(url)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def counts(url: str) -> dict[str, int]:
    return store.stats(engine(url))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def reactions(url: str, filters: store.ReactionFilter, limit: int = ROW_CAP) -> pd.DataFrame:
    rows = []
    for row in store.iter_reaction_rows(engine(url), filters):
        rows.append(row)
        if len(rows) >= limit:
            break
    return pd.DataFrame(rows, columns=list(store.EXPORT_COLUMNS))
