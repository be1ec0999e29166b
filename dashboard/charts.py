"""Altair charts of the dashboard, built from the data module's DataFrames.

Streamlit serves Vega-Lite itself and the map's geometry is bundled in `assets/`,
so every chart draws with no internet access: no tiles, scripts or shapes from a CDN.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from tracker.stances import STANCES

ASSETS = Path(__file__).resolve().parent / "assets"

STANCE_COLOURS: dict[str, str] = {
    "condemn": "#b2182b",
    "concern": "#f4a582",
    "demand": "#d6604d",
    "threaten": "#67001f",
    "protest": "#fdb863",
    "sanction": "#542788",
    "reject": "#8c510a",
    "appeal": "#4393c3",
    "support": "#1a9850",
    "no_comment": "#969696",
}
"""One colour per stance: reds for criticism, purple for penalties, blue for appeals, green for support."""

NO_REACTION = "No reaction"
NO_REACTION_COLOUR = "#e9ecef"


def stance_scale(with_none: bool = False) -> alt.Scale:
    """The colour scale over stance labels, in the spec's order."""
    labels = [STANCES[name].label for name in STANCE_COLOURS]
    colours = list(STANCE_COLOURS.values())
    if with_none:
        labels, colours = [*labels, NO_REACTION], [*colours, NO_REACTION_COLOUR]
    return alt.Scale(domain=labels, range=colours)


def _stance_colour(field: str = "label", title: str = "Stance", with_none: bool = False) -> alt.Color:
    return alt.Color(f"{field}:N", scale=stance_scale(with_none), title=title)


def stance_bars(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of reactions per stance (columns label, reactions)."""
    order = [STANCES[name].label for name in STANCE_COLOURS]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("reactions:Q", title="Reactions"),
            y=alt.Y("label:N", sort=order, title=None),
            color=_stance_colour(),
            tooltip=[alt.Tooltip("label:N", title="Stance"), alt.Tooltip("reactions:Q", title="Reactions")],
        )
        .properties(height=alt.Step(22))
    )


def actor_bars(frame: pd.DataFrame, colour: str = "#4c78a8") -> alt.Chart:
    """Horizontal bars of reactions per actor (columns name, code, reactions), most first."""
    return (
        alt.Chart(frame)
        .mark_bar(color=colour)
        .encode(
            x=alt.X("reactions:Q", title="Reactions"),
            y=alt.Y("name:N", sort="-x", title=None),
            tooltip=[alt.Tooltip("name:N", title="Actor"), "code:N", alt.Tooltip("reactions:Q")],
        )
        .properties(height=alt.Step(20))
    )


_TIME_UNITS = {"day": "yearmonthdate", "week": "yearmonthdate", "month": "yearmonth", "year": "year"}


def timeline(frame: pd.DataFrame, unit: str, height: int = 220) -> alt.Chart:
    """Stacked bars of reactions per period and stance (columns period, label, reactions)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("period:T", timeUnit=_TIME_UNITS.get(unit, "yearmonthdate"), title=f"Per {unit}"),
            y=alt.Y("sum(reactions):Q", title="Reactions"),
            color=_stance_colour(),
            tooltip=[
                alt.Tooltip("period:T", title=unit.capitalize(), timeUnit=_TIME_UNITS.get(unit)),
                alt.Tooltip("label:N", title="Stance"),
                alt.Tooltip("sum(reactions):Q", title="Reactions"),
            ],
        )
        .properties(height=height)
    )


# --- the world map ----------------------------------------------------------------------


@cache
def world_topology() -> dict[str, Any]:
    """Country shapes at 1:110m as TopoJSON, ids being actor codes; Antarctica left out."""
    topology = json.loads((ASSETS / "world-110m.json").read_text(encoding="utf-8"))
    countries = topology["objects"]["countries"]
    countries["geometries"] = [
        g for g in countries["geometries"] if g["properties"].get("name") != "Antarctica"
    ]
    return topology


@cache
def small_states() -> pd.DataFrame:
    """Points (code, lon, lat) for states too small to draw at 1:110m."""
    return pd.DataFrame(json.loads((ASSETS / "small-states.json").read_text(encoding="utf-8")))


def map_codes() -> set[str]:
    """Every actor code the map can show, as a shape or a point."""
    shapes = {g["id"] for g in world_topology()["objects"]["countries"]["geometries"] if g["id"]}
    return shapes | set(small_states()["code"])


def _scale(with_none: bool) -> dict[str, list[str]]:
    scale = stance_scale(with_none)
    return {"domain": list(scale.domain), "range": list(scale.range)}  # type: ignore[arg-type]


def _tooltip(name_field: str, stance_field: str) -> list[dict[str, str]]:
    return [
        {"field": name_field, "type": "nominal", "title": "Country"},
        {"field": stance_field, "type": "nominal", "title": "Main stance"},
        {"field": "reactions", "type": "quantitative", "title": "Reactions"},
        {"field": "breakdown", "type": "nominal", "title": "All stances"},
    ]


def world_map(states: pd.DataFrame, targeted: Sequence[str] = (), height: int = 430) -> dict[str, Any]:
    """Each state coloured by its main stance, small states as dots, targeted states outlined in black.

    The Vega-Lite specification is written out here rather than with Altair,
    which walks every nested list of inline data (seconds for a world topology);
    the shapes come from `assets/`, named once as the dataset `world`.

    Args:
        states: one row per state with code, name, main_label, reactions, breakdown
            (`data.actor_stances`).
        targeted: codes of the actors the reactions are directed at.
        height: in pixels.

    Returns:
        A Vega-Lite specification for `st.vega_lite_chart`.
    """
    fields = ["name", "main_label", "reactions", "breakdown"]
    values = json.loads(states[["code", *fields]].to_json(orient="records"))
    shapes = {"name": "world", "format": {"type": "topojson", "feature": "countries"}}
    layers: list[dict[str, Any]] = [{
        "data": shapes,
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.4},
        "transform": [
            {"lookup": "id", "from": {"data": {"values": values}, "key": "code", "fields": fields}},
            {"calculate": f"isValid(datum.main_label) ? datum.main_label : '{NO_REACTION}'", "as": "stance"},
        ],
        "encoding": {
            "color": {"field": "stance", "type": "nominal", "scale": _scale(True), "title": "Main stance"},
            "tooltip": _tooltip("properties.name", "stance"),
        },
    }]  # fmt: skip
    if len(targeted):
        layers.append({
            "data": shapes,
            "mark": {"type": "geoshape", "filled": False, "stroke": "#111111", "strokeWidth": 1.4},
            "transform": [{"filter": {"field": "id", "oneOf": list(targeted)}}],
        })  # fmt: skip
    dots = small_states().merge(states[["code", *fields]], on="code")
    if not dots.empty:
        layers.append({
            "data": {"values": json.loads(dots.to_json(orient="records"))},
            "mark": {"type": "circle", "size": 45, "opacity": 1, "stroke": "white", "strokeWidth": 0.6},
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "color": {"field": "main_label", "type": "nominal", "scale": _scale(True),
                          "title": "Main stance"},
                "tooltip": _tooltip("name", "main_label"),
            },
        })  # fmt: skip
    return {
        "height": height,
        "projection": {"type": "equalEarth"},
        "datasets": {"world": world_topology()},
        "layer": layers,
    }


# --- relations ---------------------------------------------------------------------------


def relation_matrix(frame: pd.DataFrame) -> alt.LayerChart:
    """Sources (rows) by targets (columns), coloured by mean polarity, with the count in each cell.

    Clicking a cell selects it (selection parameter `cell`, fields source and target).
    """
    sources = frame.groupby("source_name")["reactions"].sum().sort_values(ascending=False).index.tolist()
    targets = frame.groupby("target_name")["reactions"].sum().sort_values(ascending=False).index.tolist()
    cell = alt.selection_point(name="cell", fields=["source", "target"], on="click")
    base = alt.Chart(frame).encode(
        x=alt.X("target_name:N", sort=targets, title="Target",
                axis=alt.Axis(labelAngle=-45, orient="top", labelOverlap=False)),
        y=alt.Y("source_name:N", sort=sources, title="Source", axis=alt.Axis(labelOverlap=False)),
    )
    tooltip = [
        alt.Tooltip("source_name:N", title="Source"), alt.Tooltip("target_name:N", title="Target"),
        alt.Tooltip("reactions:Q", title="Reactions"), alt.Tooltip("negative:Q", title="Negative"),
        alt.Tooltip("positive:Q", title="Positive"),
        alt.Tooltip("polarity:Q", title="Mean polarity", format=".2f"),
    ]  # fmt: skip
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("polarity:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1]),
                        title="Mean polarity"),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.55)),
        tooltip=tooltip,
    ).add_params(cell)
    text = base.mark_text(fontSize=10).encode(
        text="reactions:Q",
        color=alt.condition("abs(datum.polarity) > 0.5", alt.value("white"), alt.value("black")),
        tooltip=tooltip,
    )
    size = max(18, min(28, 800 // max(len(targets), 1)))
    return alt.layer(rect, text).properties(width=alt.Step(size), height=alt.Step(size))
