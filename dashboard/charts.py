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


_PLACEHOLDER = {
    "type": "Topology",
    "objects": {"countries": {"type": "GeometryCollection", "geometries": []}},
    "arcs": [],
    "placeholder": "world",
}


def world_map(states: pd.DataFrame, targeted: Sequence[str] = (), height: int = 430) -> dict[str, Any]:
    """Each state coloured by its main stance; targeted states outlined in black.

    Altair walks every nested list of inline data, which takes seconds for a world
    topology, so the chart is built around a placeholder and the bundled shapes
    go into the finished Vega-Lite spec (for `st.vega_lite_chart`).

    Args:
        states: one row per state with code, name, main_label, reactions, breakdown
            (`data.actor_stances`).
        targeted: codes of the actors the reactions are directed at.
        height: in pixels.

    Returns:
        A Vega-Lite specification.
    """
    spec = _world_chart(states, targeted, height).to_dict()
    return _with_world(spec, world_topology())


def _with_world(node: Any, topology: dict[str, Any]) -> Any:
    """The spec with every placeholder replaced by the world topology."""
    if isinstance(node, dict):
        if node == _PLACEHOLDER:
            return topology
        return {key: _with_world(value, topology) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_world(value, topology) for value in node]
    return node


def _world_chart(states: pd.DataFrame, targeted: Sequence[str], height: int) -> alt.LayerChart:
    fields = ["name", "main_label", "reactions", "breakdown"]
    values = states[["code", *fields]].to_dict("records")
    shapes = alt.Data(values=_PLACEHOLDER, format=alt.DataFormat(type="topojson", feature="countries"))
    tooltip = [
        alt.Tooltip("properties.name:N", title="Country"),
        alt.Tooltip("stance:N", title="Main stance"),
        alt.Tooltip("reactions:Q", title="Reactions"),
        alt.Tooltip("breakdown:N", title="All stances"),
    ]
    countries = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(lookup="id", from_=alt.LookupData(alt.Data(values=values), "code", fields))
        .transform_calculate(stance=f"isValid(datum.main_label) ? datum.main_label : '{NO_REACTION}'")
        .encode(color=alt.Color("stance:N", scale=stance_scale(True), title="Main stance"), tooltip=tooltip)
    )
    layers: list[alt.Chart] = [countries]
    if targeted:
        layers.append(
            alt.Chart(shapes)
            .mark_geoshape(filled=False, stroke="#111111", strokeWidth=1.4)
            .transform_filter(alt.FieldOneOfPredicate(field="id", oneOf=list(targeted)))
        )
    dots = small_states().merge(states, on="code")
    if not dots.empty:
        layers.append(
            alt.Chart(dots)
            .mark_circle(size=45, stroke="white", strokeWidth=0.6, opacity=1)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                color=alt.Color("main_label:N", scale=stance_scale(True), title="Main stance"),
                tooltip=[alt.Tooltip("name:N", title="Country"),
                         alt.Tooltip("main_label:N", title="Main stance"),
                         alt.Tooltip("reactions:Q", title="Reactions"),
                         alt.Tooltip("breakdown:N", title="All stances")],
            )
        )  # fmt: skip
    return alt.layer(*layers).project("equalEarth").properties(height=height)


# --- relations ---------------------------------------------------------------------------


def relation_matrix(frame: pd.DataFrame) -> alt.LayerChart:
    """Sources (rows) by targets (columns), coloured by mean polarity, with the count in each cell.

    Clicking a cell selects it (selection parameter `cell`, fields source and target).
    """
    sources = frame.groupby("source_name")["reactions"].sum().sort_values(ascending=False).index.tolist()
    targets = frame.groupby("target_name")["reactions"].sum().sort_values(ascending=False).index.tolist()
    cell = alt.selection_point(name="cell", fields=["source", "target"], on="click")
    base = alt.Chart(frame).encode(
        x=alt.X("target_name:N", sort=targets, title="Target", axis=alt.Axis(labelAngle=-45, orient="top")),
        y=alt.Y("source_name:N", sort=sources, title="Source"),
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
    text = base.mark_text(fontSize=10).encode(text="reactions:Q", tooltip=tooltip)
    size = max(14, min(26, 700 // max(len(targets), 1)))
    return alt.layer(rect, text).properties(width=alt.Step(size), height=alt.Step(size))
