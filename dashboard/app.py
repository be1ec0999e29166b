"""Entry point of the dashboard: the shared filters in the sidebar, and navigation between pages.

Pages only render: they read the filters with `sidebar.current()` and their data
from `data`, the module of cached queries.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402
import sidebar  # noqa: E402

st.set_page_config(page_title="Reaction tracker", layout="wide")  # no icon: a Material favicon is fetched online

PAGES = {
    "Explore": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/issue.py", title="Reactions to an issue", icon=":material/public:"),
        st.Page("pages/country.py", title="Country profile", icon=":material/flag:"),
        st.Page("pages/relations.py", title="Relations", icon=":material/grid_on:"),
        st.Page("pages/evidence.py", title="Evidence", icon=":material/format_quote:"),
    ],
    "Work": [
        st.Page("pages/review.py", title="Review", icon=":material/rule:"),
        st.Page("pages/add.py", title="Add articles", icon=":material/post_add:"),
    ],
}

page = st.navigation(PAGES)
sidebar.render(data.database_url())
page.run()
