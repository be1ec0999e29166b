"""The dashboard renders on a real database (AppTest runs the app in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tracker import pipeline, store
from tracker.config import load_settings
from tracker.demo import demo_path

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


@pytest.fixture
def demo_db(sqlite_url, monkeypatch):
    engine = store.make_engine(sqlite_url)
    pipeline.ingest([str(demo_path())], engine, load_settings(db=sqlite_url))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield sqlite_url
    st.cache_data.clear()
    st.cache_resource.clear()


def test_dashboard_reactions_page_lists_stored_reactions(demo_db):
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app.exception
    assert app.title[0].value == "Reactions"
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Articles"]) == 18
    frame = app.dataframe[0].value
    assert len(frame) > 50 and set(frame["stance"]) >= {"condemn", "support"}


def test_dashboard_empty_database_says_how_to_load(sqlite_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app.exception
    assert "tracker demo" in app.info[0].value
