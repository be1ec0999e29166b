"""Every dashboard page renders on a real database (AppTest runs the app in-process)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tracker import store
from tracker.store import ReactionFilter
from tracker.types import Reaction

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"

PAGES = {
    "overview": "Overview",
    "issue": "Reactions to an issue",
    "country": "Country profile",
    "relations": "Relations",
    "evidence": "Evidence",
    "review": "Review",
    "add": "Add articles",
}
DATA_PAGES = [page for page in PAGES if page != "add"]


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    """A fresh copy of the demo database as DATABASE_URL, with empty Streamlit caches."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    clear_caches()
    engine = store.make_engine(url)
    yield engine
    engine.dispose()
    clear_caches()


def open_page(page: str, **sidebar: object) -> AppTest:
    """The app on a page, with sidebar widgets set by key (`f_stances=["condemn"]`)."""
    app = run(AppTest.from_file(str(APP), default_timeout=60))
    if page != "overview":
        app.switch_page(f"views/{page}.py")
    return run(app, **sidebar)


def run(app: AppTest, **sidebar: object) -> AppTest:
    """Set sidebar widgets by key, run the app and check it raised nothing."""
    for key, value in sidebar.items():
        widget = next(w for kind in ("multiselect", "text_input", "date_input", "slider")
                      for w in getattr(app, kind) if w.key == key)  # fmt: skip
        widget.set_value(value)
    app.run()
    assert not app.exception, app.exception[0].value if app.exception else ""
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def count(engine, **filters) -> int:
    return store.reaction_summary(engine, ReactionFilter(**filters))["reactions"]


def markdown(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


@pytest.mark.parametrize(("page", "title"), PAGES.items())
def test_dashboard_page_renders(demo_db, page, title):
    app = open_page(page)
    assert app.title[0].value == title
    assert app.session_state["filters"] == ReactionFilter()  # the sidebar's filters were read
    if page in DATA_PAGES:
        assert app.get("download_button"), f"{page} offers no CSV download"


def test_dashboard_overview_counts_the_demo(demo_db):
    shown = metrics(open_page("overview"))
    assert shown["Articles"] == "18"
    assert shown["Reactions"] == f"{count(demo_db):,}"


def test_dashboard_sidebar_defaults_to_all_but_rejected(demo_db):
    app = open_page("overview")
    assert app.session_state["filters"] == ReactionFilter()
    assert app.multiselect(key="f_statuses").value == ["auto", "confirmed", "corrected"]
    assert app.date_input(key="f_dates").value == (date(2017, 6, 2), date(2024, 7, 30))


@pytest.mark.parametrize(
    ("sidebar", "expected"),
    [
        ({"f_text": "Navalny"}, ReactionFilter(text="Navalny")),
        ({"f_dates": (date(2018, 1, 1), date(2023, 12, 31))},
         ReactionFilter(since=date(2018, 1, 1), until=date(2023, 12, 31))),
        ({"f_dates": (date(2017, 6, 2), date(2024, 7, 30))}, ReactionFilter()),
        ({"f_sources": ["USA", "CHN"]}, ReactionFilter(sources=("USA", "CHN"))),
        ({"f_targets": ["RUS"]}, ReactionFilter(targets=("RUS",))),
        ({"f_stances": ["condemn", "support"]}, ReactionFilter(stances=("condemn", "support"))),
        ({"f_confidence": 0.7}, ReactionFilter(min_confidence=0.7)),
        ({"f_statuses": ["auto", "rejected"]}, ReactionFilter(statuses=("auto", "rejected"))),
        ({"f_statuses": []}, ReactionFilter()),
    ],
)  # fmt: skip
def test_dashboard_sidebar_widgets_make_the_filter(demo_db, sidebar, expected):
    app = open_page("evidence", **sidebar)
    assert app.session_state["filters"] == expected
    shown = app.dataframe[0].value
    assert len(shown) == min(store.reaction_summary(demo_db, expected)["reactions"], 500)
    app.button(key="f_reset").click().run()
    assert app.session_state["filters"] == ReactionFilter()


def test_dashboard_filters_apply_to_every_page(demo_db):
    app = open_page("overview", f_stances=["condemn"])
    assert metrics(app)["Reactions"] == f"{count(demo_db, stances=('condemn',)):,}"
    assert r"stances\: Condemn" in app.caption[0].value  # escaped Markdown
    for page in ("evidence", "issue", "relations", "review"):
        app.switch_page(f"views/{page}.py")
        run(app)
        assert r"stances\: Condemn" in app.caption[0].value or page == "review"
        frames = [frame.value for frame in app.dataframe]
        stances = {s for frame in frames for column in ("stance_label", "Stance") if column in frame
                   for s in frame[column]}  # fmt: skip
        assert stances <= {"Condemn"}, page
    assert set(app.dataframe[0].value["stance_label"]) == {"Condemn"}


def test_dashboard_topic_filter_narrows_to_its_articles(demo_db):
    app = open_page("overview", f_text="Navalny")
    assert metrics(app)["Articles"] == "1"


def test_dashboard_filter_with_no_match_says_so(demo_db):
    app = open_page("issue", f_text="no such topic anywhere")
    assert "No reaction matches" in app.info[0].value


def test_dashboard_issue_page_map_is_offline_and_lists_regions(demo_db):
    app = open_page("issue")
    charts = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    world = next(spec for spec in charts if "datasets" in spec and "world" in spec["datasets"])
    assert world["datasets"]["world"]["type"] == "Topology"
    assert "http" not in json.dumps(world).replace(world.get("$schema", ""), "")
    headings = [m.value for m in app.markdown if m.value.startswith("####")]
    assert "#### Europe" in headings and "#### International organisations" in headings
    app.slider(key="issue_per_actor").set_value(1).run()
    assert all(frame.value["Actor" if "Actor" in frame.value else "source_name"].is_unique
               for frame in app.dataframe)  # fmt: skip


def test_dashboard_country_profile_follows_the_chosen_actor(demo_db):
    app = open_page("country")
    app.selectbox(key="profile_actor").set_value("RUS").run()
    shown = metrics(app)
    assert shown["Reactions towards it"] == f"{count(demo_db, targets=('RUS',)):,}"
    assert shown["Its reactions"] == f"{count(demo_db, sources=('RUS',)):,}"
    assert any(h.value.startswith("Who condemned or criticised Russia") for h in app.subheader)


def test_dashboard_relations_shows_the_evidence_of_a_pair(demo_db):
    app = open_page("relations")
    app.selectbox(key="relations_source").set_value("USA").run()
    app.selectbox(key="relations_target").set_value("RUS").run()
    expected = count(demo_db, sources=("USA",), targets=("RUS",))
    assert f"**{expected}** reactions of United States towards Russia" in markdown(app)
    assert ":orange-background[" in markdown(app)


def test_dashboard_evidence_search_and_marked_sentences(demo_db):
    app = open_page("evidence")
    app.text_input(key="evidence_search").input("Guterres").run()
    rows = app.dataframe[0].value
    said = rows["sentence"] + " " + rows["speaker_office"] + " " + rows["quote"]
    assert len(rows) >= 1 and said.str.contains("Guterres").all()
    assert ":blue-background[" in markdown(app)


def test_dashboard_evidence_never_renders_article_text_as_html(demo_db, make_article):
    hostile = ('Russia condemned <img src=x onerror="alert(1)"> the **strike** '
               "[here](javascript:alert(1)) $x$.")  # fmt: skip
    article = make_article(20, title="Hostile <b>title</b>", text=hostile, url="javascript:alert(1)")
    store.save_article(demo_db, article, [Reaction("RUS", "condemn", ("UKR",), sentence=hostile,
                                                   quote="<script>x</script>", cue="condemned")], "test")
    app = open_page("evidence")
    app.text_input(key="evidence_search").input("onerror").run()
    text = markdown(app)
    assert r"\<img src\=x onerror\=\"alert\(1\)\"\>" in text and not re.search(r"(?<!\\)<", text)
    assert r"\<script\>" in text and "](javascript" not in text
    assert r"\*\*strike\*\*" in text


def test_dashboard_review_confirms_and_corrects(demo_db):
    app = open_page("review")
    first = app.selectbox(key="review_id").value
    app.button(key="review_confirm").click().run()
    assert store.get_reaction(demo_db, first)["status"] == "confirmed"
    assert "confirmed" in app.success[0].value
    assert app.selectbox(key="review_id").value != first  # the queue moves on

    target = app.selectbox(key="review_id").value
    before = store.get_reaction(demo_db, target)
    new_stance = "concern" if before["stance"] != "concern" else "condemn"
    app.selectbox(key=f"review_stance_{target}").set_value(new_stance)
    new_target = "UN" if before["source"] != "UN" else "USA"
    app.multiselect(key=f"review_targets_{target}").set_value([new_target])
    next(b for b in app.button if b.label == "Save correction").click().run()
    assert app.success[0].value == rf"Reaction \#{target}\: corrected\."
    after = store.get_reaction(demo_db, target)
    assert (after["status"], after["stance"], after["targets"]) == ("corrected", new_stance, [new_target])
    assert after["original"]["stance"] == before["stance"] and after["reviewed_at"] is not None


def test_dashboard_review_correction_that_changes_nothing_is_refused(demo_db):
    app = open_page("review")
    target = app.selectbox(key="review_id").value
    next(b for b in app.button if b.label == "Save correction").click().run()
    assert "changes nothing" in app.warning[0].value
    assert store.get_reaction(demo_db, target)["status"] == "auto"


def test_dashboard_review_reject_leaves_the_other_pages(demo_db):
    app = open_page("review")
    rejected = app.selectbox(key="review_id").value
    total = count(demo_db)
    app.button(key="review_reject").click().run()
    assert store.get_reaction(demo_db, rejected)["status"] == "rejected"
    app.switch_page("views/overview.py")
    run(app)
    assert metrics(app)["Reactions"] == f"{total - 1:,}"
    run(app, f_statuses=["rejected"])
    assert metrics(app)["Reactions"] == "1"


def test_dashboard_add_article_preview_then_save(demo_db):
    app = open_page("add")
    app.text_input(key="add_title").input("Japan protests launch")
    app.text_area(key="add_text").input(
        "Japan condemned North Korea's missile launch on Monday. Tokyo lodged a protest with Pyongyang."
    )
    next(b for b in app.button if b.label == "Extract reactions").click().run()
    assert not app.exception
    assert "Japan protests launch" in markdown(app)
    assert ":orange-background[condemned]" in markdown(app)
    assert store.stats(demo_db)["articles"] == 18  # nothing stored before saving
    app.button(key="add_save").click().run()
    assert store.stats(demo_db)["articles"] == 19
    assert "1 added" in app.success[0].value


@pytest.mark.parametrize("page", DATA_PAGES)
def test_dashboard_empty_database_says_how_to_load(sqlite_url, monkeypatch, page):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    clear_caches()
    app = open_page(page)
    assert "tracker demo" in app.info[0].value
    clear_caches()
