"""Entry point of the dashboard: navigation between pages that only render."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

st.set_page_config(page_title="Reaction tracker", page_icon=":globe_with_meridians:", layout="wide")

PAGES = [
    st.Page("pages/reactions.py", title="Reactions", icon=":material/table:", default=True),
]

st.navigation(PAGES).run()
