"""Entry point of the dashboard: the shared filters in the sidebar, and navigation between pages.

Pages (in `views/`, a name Streamlit's automatic `pages/` navigation leaves alone)
only render: they read the filters with `sidebar.current()` and their data from
`data`, the module of cached queries.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402
import sidebar  # noqa: E402

# No page icons: Streamlit fetches a Material icon's favicon from the internet.
st.set_page_config(page_title="Reaction tracker", layout="wide")

PAGES = {
    "Explore": [
        st.Page("views/overview.py", title="Overview", default=True),
        st.Page("views/issue.py", title="Reactions to an issue"),
        st.Page("views/country.py", title="Country profile"),
        st.Page("views/relations.py", title="Relations"),
        st.Page("views/evidence.py", title="Evidence"),
    ],
    "Work": [
        st.Page("views/review.py", title="Review"),
        st.Page("views/add.py", title="Add articles"),
    ],
}

page = st.navigation(PAGES)
sidebar.render(data.database_url())
page.run()
