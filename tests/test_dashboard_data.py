"""The dashboard's data: store queries on both databases, the data module on a real SQLite
demo database, review and re-extraction, and the Markdown that marks evidence sentences."""

from __future__ import annotations

import csv
import io
import shutil
import string
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine

from tracker import pipeline, store
from tracker.config import load_settings
from tracker.export import write_export
from tracker.store import ReactionFilter
from tracker.types import Reaction

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
sys.path.insert(0, str(DASHBOARD))

import charts  # noqa: E402
import data  # noqa: E402
import highlight  # noqa: E402


def ids_of(rows):
    return {row["id"] for row in rows}


def by_source(engine: Engine) -> dict[str, int]:
    """Reaction id of each source in conftest's SAMPLE (one reaction per source)."""
    rows = store.reaction_rows(engine, ReactionFilter(include_rejected=True))
    return {row["source"]: row["id"] for row in rows}


# --- store queries, on SQLite and PostgreSQL ------------------------------------------------


def test_store_summary_counts_what_the_filter_keeps(loaded):
    assert store.reaction_summary(loaded, ReactionFilter()) == {
        "reactions": 5, "articles": 3, "sources": 5, "targets": 2,
    }  # fmt: skip
    assert store.reaction_summary(loaded, ReactionFilter(targets=("RUS",))) == {
        "reactions": 3, "articles": 3, "sources": 3, "targets": 1,
    }  # fmt: skip
    assert store.reaction_summary(loaded, ReactionFilter(include_rejected=True))["reactions"] == 6


def test_store_stance_counts_most_frequent_first(loaded):
    counts = store.stance_counts(loaded, ReactionFilter())
    assert counts == {"condemn": 2, "appeal": 1, "protest": 1, "support": 1}
    assert next(iter(counts)) == "condemn"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("source", {"USA": 1, "JPN": 1, "KOR": 1, "UN": 1, "CHN": 1}), ("target", {"RUS": 3, "PRK": 2})],
)
def test_store_top_actors_by_role(loaded, role, expected):
    rows = store.top_actors(loaded, ReactionFilter(), role, limit=10)
    assert {row["code"]: row["reactions"] for row in rows} == expected
    assert rows[0]["reactions"] == max(expected.values())


def test_store_top_actors_rejects_unknown_role(loaded):
    with pytest.raises(ValueError, match="role"):
        store.top_actors(loaded, ReactionFilter(), "speaker")  # type: ignore[arg-type]


def test_store_actor_stance_counts_as_target_limited_to_filter_targets(loaded):
    rows = store.actor_stance_counts(loaded, ReactionFilter(targets=("RUS",)), "target")
    assert {(r["code"], r["stance"], r["reactions"]) for r in rows} == {
        ("RUS", "condemn", 1), ("RUS", "protest", 1), ("RUS", "support", 1),
    }  # fmt: skip
    assert {r["region"] for r in rows} == {"Europe"}


def test_store_dyad_counts_give_mean_polarity(loaded):
    rows = {(r["source"], r["target"]): r for r in store.dyad_counts(loaded, ReactionFilter())}
    assert set(rows) == {("USA", "PRK"), ("USA", "RUS"), ("JPN", "PRK"), ("KOR", "RUS"), ("CHN", "RUS")}
    assert rows[("CHN", "RUS")]["polarity"] == 0.0  # SAMPLE's reactions keep the default polarity
    assert rows[("USA", "RUS")]["target_name"] == "Russia"


@pytest.mark.parametrize("unit", store.PERIODS)
def test_store_period_counts_start_each_period(loaded, unit):
    rows = store.period_counts(loaded, ReactionFilter(), unit)
    assert sum(r["reactions"] for r in rows) == 5
    first = {"day": date(2024, 10, 1), "week": date(2024, 9, 30), "month": date(2024, 10, 1),
             "year": date(2024, 1, 1)}[unit]  # fmt: skip
    assert rows[0]["period"] == first


def test_store_reaction_rows_order_search_and_targets(loaded):
    newest = store.reaction_rows(loaded, ReactionFilter())
    assert [r["source"] for r in newest] == ["CHN", "UN", "KOR", "JPN", "USA"]
    least = store.reaction_rows(loaded, ReactionFilter(), order="least_confident", limit=1)
    assert least[0]["source"] == "CHN"
    usa = store.reaction_rows(loaded, ReactionFilter(), search="blinken")
    assert [r["source"] for r in usa] == ["USA"]
    assert usa[0]["targets"] == ["PRK", "RUS"] and usa[0]["target_names"] == ["North Korea", "Russia"]
    with pytest.raises(ValueError, match="order"):
        store.reaction_rows(loaded, ReactionFilter(), order="random")


def test_store_reactions_per_actor_rank_within_each_actor(loaded):
    rows = store.reactions_per_actor(loaded, ReactionFilter(include_rejected=True), per_actor=1)
    assert [r["rank"] for r in rows] == [1] * 6
    assert [r["region"] for r in rows] == sorted(r["region"] for r in rows)


def test_store_actors_in_use_and_date_bounds(loaded):
    actors = {a["code"]: a for a in store.actors_in_use(loaded)}
    assert actors["RUS"]["as_target"] == 4 and actors["RUS"]["as_source"] == 0
    assert actors["UN"]["kind"] == "organisation"
    assert store.date_bounds(loaded) == (date(2024, 10, 1), date(2024, 10, 10))


# --- review and re-extraction ------------------------------------------------------------------


def test_store_review_correction_keeps_what_extraction_said(loaded):
    rid = by_source(loaded)["JPN"]
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    row = store.review_reaction(loaded, rid, "correct", stance="concern", targets=["PRK", "CHN"], when=when)
    assert (row["source"], row["stance"], row["targets"], row["status"]) == (
        "JPN", "concern", ["CHN", "PRK"], "corrected")
    assert row["reviewed_at"].replace(tzinfo=row["reviewed_at"].tzinfo or UTC) == when
    assert row["original"]["stance"] == "condemn" and row["original"]["targets"] == ["PRK"]
    again = store.review_reaction(loaded, rid, "correct", source="KOR")
    assert again["source"] == "KOR" and again["original"]["source"] == "JPN"  # the first original stays
    exported = [r for r in store.iter_reaction_rows(loaded) if r["reaction_id"] == rid]
    assert {(r["source"], r["stance"], r["target"], r["status"]) for r in exported} == {
        ("KOR", "concern", "CHN", "corrected"), ("KOR", "concern", "PRK", "corrected")}


def test_store_review_stance_change_brings_its_codes(loaded):
    row = store.review_reaction(loaded, by_source(loaded)["CHN"], "correct", stance="sanction")
    assert row["polarity"] == -1
    exported = next(r for r in store.iter_reaction_rows(loaded) if r["reaction_id"] == row["id"])
    assert (exported["cameo"], exported["plover"]) == ("16", "SANCTION")


def test_store_review_reject_leaves_queries_and_exports(loaded):
    rid = by_source(loaded)["KOR"]
    assert store.review_reaction(loaded, rid, "reject")["status"] == "rejected"
    assert rid not in ids_of(store.reaction_rows(loaded, ReactionFilter()))
    assert rid not in {r["reaction_id"] for r in store.iter_reaction_rows(loaded)}
    assert rid in ids_of(store.reaction_rows(loaded, ReactionFilter(statuses=("rejected",))))
    assert store.review_reaction(loaded, rid, "confirm")["status"] == "confirmed"


@pytest.mark.parametrize(
    ("action", "change", "error"),
    [
        ("delete", {}, "action"),
        ("correct", {"stance": "applaud"}, "stance"),
        ("correct", {"source": " "}, "source"),
        ("correct", {"stance": "condemn"}, "changes nothing"),
        ("correct", {"targets": ["JPN"]}, "own target"),
    ],
)
def test_store_review_refuses_bad_reviews(loaded, action, change, error):
    with pytest.raises(ValueError, match=error):
        store.review_reaction(loaded, by_source(loaded)["JPN"], action, **change)


def test_store_review_unknown_reaction(loaded):
    with pytest.raises(LookupError):
        store.review_reaction(loaded, 10_000, "confirm")


def test_store_replace_reactions_never_undoes_a_review(engine, make_article):
    found = (
        Reaction("USA", "condemn", ("RUS",), char_start=0, char_end=10, confidence=0.9),
        Reaction("GBR", "condemn", ("RUS",), char_start=11, char_end=20, confidence=0.8),
        Reaction("FRA", "concern", ("RUS",), char_start=21, char_end=30, confidence=0.7),
    )
    article_id = store.save_article(engine, make_article(1), found, "v1").article_id
    assert article_id is not None
    ids = {r["source"]: r["id"] for r in store.reaction_rows(engine, ReactionFilter())}
    store.review_reaction(engine, ids["USA"], "correct", stance="demand")
    store.review_reaction(engine, ids["GBR"], "reject")
    added = store.replace_reactions(engine, article_id, found, "v2")
    assert added == 1  # only FRA's automatic reaction is made again
    rows = store.reaction_rows(engine, ReactionFilter(include_rejected=True))
    assert sorted((r["source"], r["stance"], r["status"]) for r in rows) == [
        ("FRA", "concern", "auto"), ("GBR", "condemn", "rejected"), ("USA", "demand", "corrected")]


# --- the data module on the demo ------------------------------------------------------------------


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch) -> str:
    """A fresh copy of the demo database; its URL is DATABASE_URL and every cache is empty."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    data.engine(url).dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def test_data_summary_counts_the_demo(demo):
    stats = store.stats(data.engine(demo))
    summary = data.summary(demo, ReactionFilter())
    assert summary["articles"] == stats["articles"] == 18
    assert summary["reactions"] == stats["reactions"]


def test_data_stance_mix_in_spec_order(demo):
    mix = data.stance_mix(demo, ReactionFilter())
    assert list(mix["stance"]) == [s for s in store.STANCE_NAMES if s in set(mix["stance"])]
    assert mix["reactions"].sum() == data.summary(demo, ReactionFilter())["reactions"]
    assert "Appeal for calm" in set(mix["label"])


def test_data_actor_stance_table_main_stance_is_most_frequent_then_latest():
    long = pd.DataFrame(
        [("FRA", "France", "state", "Europe", "condemn", 2, -1, date(2024, 1, 1)),
         ("FRA", "France", "state", "Europe", "support", 2, 1, date(2024, 3, 1)),
         ("FRA", "France", "state", "Europe", "appeal", 1, 0, date(2024, 5, 1)),
         ("CHN", "China", "state", "Asia", "reject", 1, -1, date(2024, 1, 1))],
        columns=["code", "name", "kind", "region", "stance", "reactions", "polarity", "last"],
    )  # fmt: skip
    table = data.actor_stance_table(long).set_index("code")
    assert table.at["FRA", "main_stance"] == "support"  # tied with condemn, but later
    assert table.at["FRA", "reactions"] == 5 and table.at["FRA", "polarity"] == 0.0
    assert table.at["FRA", "breakdown"] == "Condemn 2, Appeal for calm 1, Support 2"
    assert list(table.index) == ["FRA", "CHN"]


def test_data_actor_stances_cover_every_source(demo):
    states = data.actor_stances(demo, ReactionFilter())
    assert states["reactions"].sum() == data.summary(demo, ReactionFilter())["reactions"]
    assert set(states["main_stance"]) <= set(store.STANCE_NAMES)
    assert {"International"} <= set(states["region"])


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [(date(2024, 1, 1), date(2024, 1, 20), "day"), (date(2024, 1, 1), date(2024, 9, 1), "week"),
     (date(2021, 1, 1), date(2024, 1, 1), "month"), (date(2017, 1, 1), date(2024, 1, 1), "year"),
     (None, None, "day")],
)  # fmt: skip
def test_data_period_unit_grows_with_the_span(first, last, unit):
    assert data.period_unit(first, last) == unit


def test_data_timeline_sums_to_the_dated_reactions(demo):
    frame, unit = data.timeline(demo, ReactionFilter())
    assert unit == "year"  # the demo spans 2017 to 2024
    assert frame["reactions"].sum() == data.summary(demo, ReactionFilter())["reactions"]
    assert {p.month for p in frame["period"]} == {1}


def test_data_reactions_by_actor_groups_by_region_with_totals(demo):
    rows = data.reactions_by_actor(demo, ReactionFilter(), per_actor=2)
    assert rows.groupby("source").size().max() <= 2
    regions = {"Africa", "Americas", "Asia", "Europe", "Oceania", "International", "Other"}
    assert set(rows["region"]) <= regions
    totals = data.actor_stances(demo, ReactionFilter()).set_index("code")["reactions"]
    assert all(rows["actor_reactions"] == rows["source"].map(totals))


def test_data_reactions_search_and_cap(demo):
    assert len(data.reactions(demo, ReactionFilter(), limit=7)) == 7
    found = data.reactions(demo, ReactionFilter(), search="Guterres")
    assert len(found) and all("Guterres" in f"{r.sentence} {r.speaker} {r.quote}" for r in found.itertuples())


def test_data_matrix_keeps_the_busiest_actors(demo):
    dyads = data.dyads(demo, ReactionFilter())
    small = data.matrix(dyads, 3)
    assert small["source"].nunique() <= 3 and small["target"].nunique() <= 3
    assert small["reactions"].sum() <= dyads["reactions"].sum()


def test_data_csv_is_the_export_of_the_filtered_view(demo):
    filters = ReactionFilter(stances=("condemn",))
    body = data.csv_download(demo, filters)().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0]) == store.EXPORT_COLUMNS
    assert {r["stance"] for r in rows} == {"condemn"}
    expected = io.StringIO(newline="")
    write_export(data.engine(demo), expected, "csv", filters)
    assert body == expected.getvalue()


def test_data_queries_are_cached_until_the_data_changes(demo, monkeypatch, make_article):
    calls = []
    real = store.reaction_summary
    monkeypatch.setattr(store, "reaction_summary", lambda *a: calls.append(a) or real(*a))
    first = data.summary(demo, ReactionFilter())
    assert data.summary(demo, ReactionFilter()) == first and len(calls) == 1
    data.summary(demo, ReactionFilter(stances=("condemn",)))
    assert len(calls) == 2  # other filters, another entry
    saved = pipeline.save(data.engine(demo), make_article(30), load_settings(db=demo))  # as the CLI would
    assert saved.status == "added"
    data.data_version.clear()  # as VERSION_SECONDS passing does
    assert data.summary(demo, ReactionFilter())["articles"] == first["articles"] + 1
    assert len(calls) == 3


def test_data_review_clears_the_caches(demo):
    before = data.summary(demo, ReactionFilter())["reactions"]
    first = data.reactions(demo, ReactionFilter(), limit=1).iloc[0]
    data.review(demo, int(first["id"]), "reject")
    assert data.summary(demo, ReactionFilter())["reactions"] == before - 1


def test_data_new_articles_appear_through_the_cli_ingest_path(demo):
    text = ("Japan condemned North Korea's missile launch on Monday. "
            "Foreign Minister Yoko Kamikawa said Tokyo had lodged a protest with Pyongyang.")  # fmt: skip
    preview = data.preview_text(text, title="Japan protests launch", published=date(2024, 5, 6))
    assert not preview.errors
    (article, reactions), = preview.articles
    assert article.title == "Japan protests launch" and article.origin == "pasted text"
    assert {(r.source, r.stance) for r in reactions} >= {("JPN", "condemn")}
    before = data.summary(demo, ReactionFilter())
    report = data.save_articles(demo, [article])
    assert (report.added, report.reactions) == (1, len(reactions))
    after = data.summary(demo, ReactionFilter())
    assert after["articles"] == before["articles"] + 1
    assert data.save_articles(demo, [article]).duplicates == 1


def test_data_preview_files_names_uploads_by_their_own_name(demo):
    preview = data.preview_files([
        ("note.txt", b"Seoul protests\n\nSouth Korea summoned the Russian ambassador on Tuesday."),
        ("broken.json", b"{not json"),
    ])  # fmt: skip
    assert [a.origin for a, _ in preview.articles] == ["note.txt"]
    assert [e.origin for e in preview.errors] == ["broken.json"]


def test_data_preview_text_refuses_blank_text(demo):
    preview = data.preview_text("   ")
    assert not preview.articles and "blank" in preview.errors[0].reason


# --- the map -------------------------------------------------------------------------------


def test_charts_world_map_is_offline_and_covers_every_state():
    from tracker.actors import load_actors

    states = [code for code, info in load_actors().items() if info.kind == "state"]
    assert set(states) <= charts.map_codes()
    frame = pd.DataFrame([{"code": "FRA", "name": "France", "main_label": "Condemn", "reactions": 2,
                           "breakdown": "Condemn 2"},
                          {"code": "MLT", "name": "Malta", "main_label": "Support", "reactions": 1,
                           "breakdown": "Support 1"}])  # fmt: skip
    spec = charts.world_map(frame, ["RUS"])
    text = str(spec)
    assert "http" not in text and "url" not in {k for layer in spec["layer"] for k in layer["data"]}
    assert spec["datasets"]["world"]["type"] == "Topology"
    assert spec["layer"][2]["data"]["values"][0]["code"] == "MLT"  # a small state as a dot


# --- marked evidence ----------------------------------------------------------------------------


def test_highlight_marks_actor_cue_and_targets():
    sentence = "U.S. President Joe Biden condemned Russia's attack on Ukraine, the White House said."
    spans = highlight.marks(sentence, source="USA", targets=["RUS", "UKR"], cue="condemned",
                            speaker="Joe Biden")  # fmt: skip
    marked = {sentence[s:e]: kind for s, e, kind in spans}
    assert marked == {"U.S.": "actor", "Joe Biden": "actor", "condemned": "cue", "Russia": "target",
                      "Ukraine": "target", "White House": "actor"}  # fmt: skip


def test_highlight_cue_wins_over_an_actor_inside_it():
    spans = highlight.marks("China urged restraint.", source="CHN", cue="China urged")
    assert spans == [(0, 11, "cue")]


def unescaped_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation in Markdown that no backslash escapes."""
    found, index = [], 0
    while index < len(markdown):
        if markdown[index] == "\\":
            index += 2
            continue
        if markdown[index] in string.punctuation:
            found.append(markdown[index])
        index += 1
    return found


@pytest.mark.parametrize(
    "hostile",
    ["<img src=x onerror=alert(1)>", "**bold** _it_ `code`", "[link](javascript:alert(1))", "$x^2$",
     ":smile: :red[red]", "# heading", "a\nb | c", "\\*", "https://example.com/x_y", "&amp; &#60;"],
)  # fmt: skip
def test_highlight_markdown_escapes_everything(hostile):
    text = highlight.to_markdown(f"Russia said {hostile}.", [(0, 6, "target")])
    assert text.startswith(":violet-background[Russia] said ")
    assert unescaped_punctuation(text.removeprefix(":violet-background[Russia]")) == []
    assert "\n" not in text


def test_widgets_safe_link_only_links_web_addresses():
    import widgets

    assert widgets.safe_link("A (b)", "https://x.org/a b(1)") == r"[A \(b\)](https://x.org/a%20b%281%29)"
    assert widgets.safe_link("Bad", "javascript:alert(1)") == "Bad"
    assert widgets.safe_link("", None) == "article"
