"""Pieces several pages draw: the CSV download, reaction tables, evidence cards, notices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import data
import highlight
import pandas as pd
import sidebar
import streamlit as st

from tracker.store import ReactionFilter

EMPTY_DATABASE = (
    "No reactions stored yet. Load the demo articles with `tracker demo`, ingest your own with "
    "`tracker ingest PATH`, or paste an article on the **Add articles** page."
)

TABLE_COLUMNS: dict[str, Any] = {
    "published": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "source_name": st.column_config.TextColumn("Actor", width="medium"),
    "source": st.column_config.TextColumn("Code"),
    "speaker_office": st.column_config.TextColumn("Speaker and office"),
    "stance_label": st.column_config.TextColumn("Stance"),
    "target_names": st.column_config.TextColumn("Towards"),
    "statement": st.column_config.TextColumn("Quote or sentence", width=480),
    "quote": st.column_config.TextColumn("Quote", width="medium"),
    "sentence": st.column_config.TextColumn("Sentence", width="large"),
    "speaker": st.column_config.TextColumn("Speaker"),
    "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
    "status": st.column_config.TextColumn("Review"),
    "article_url": st.column_config.LinkColumn("Article", display_text="open"),
    "article_title": st.column_config.TextColumn("Article title"),
    "id": st.column_config.NumberColumn("Reaction", format="%d"),
    "actor_reactions": st.column_config.NumberColumn("In all", help="The actor's reactions in this view"),
}


def csv_button(url: str, filters: ReactionFilter, name: str, *, label: str = "Download CSV",
               key: str | None = None) -> None:  # fmt: skip
    """A download of every reaction of the filtered view, in `tracker export` CSV columns."""
    st.download_button(
        label,
        data=data.csv_download(url, filters),
        file_name=f"tracker-{name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=key or f"csv-{name}",
        help="Every reaction of this view (not only the rows shown), one row per reaction and target, "
        "with the columns of `tracker export`.",
    )


def page(title: str, caption: bool = True) -> tuple[str, ReactionFilter]:
    """Open a data page: its title, the shared filters, and (with ``caption``) what it shows.

    Returns:
        The database URL and the current filters.
    """
    url, filters = data.database_url(), sidebar.current()
    st.title(title)
    if caption:
        filter_caption(url, filters)
    return url, filters


def filter_caption(url: str, filters: ReactionFilter) -> None:
    """Say which reactions the page shows."""
    actors = data.actors(url)
    names = dict(zip(actors["code"], actors["name"], strict=True))
    st.caption("Showing " + highlight.escape_markdown(sidebar.describe(filters, names)))


def stop_if_empty(url: str, total: int) -> None:
    """Explain and stop the page when there is nothing to show."""
    if total:
        return
    if data.summary(url, ReactionFilter(include_rejected=True))["reactions"] == 0:
        st.info(EMPTY_DATABASE)
    else:
        st.info("No reaction matches these filters. Widen them in the sidebar, or reset them.")
    st.stop()


def with_statement(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `statement`: the quote in quotation marks when there is one, else the sentence."""
    statements = [f"“{q}”" if q else s for q, s in zip(frame["quote"], frame["sentence"], strict=True)]
    return frame.assign(statement=statements)


def reaction_table(frame: pd.DataFrame, columns: Sequence[str], *, key: str | None = None,
                   select: bool = False, height: int | str = "auto") -> Any:  # fmt: skip
    """A read-only table of reactions (text shown as text), optionally with single-row selection."""
    options: dict[str, Any] = {"on_select": "rerun", "selection_mode": "single-row"} if select else {}
    return st.dataframe(
        frame[list(columns)],
        column_config={c: TABLE_COLUMNS[c] for c in columns if c in TABLE_COLUMNS},
        hide_index=True,
        key=key,
        height=height,
        **options,
    )


def selected_row(event: Any) -> int | None:
    """The index of the row selected in a `reaction_table(select=True)`, if any."""
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return rows[0] if rows else None


def safe_link(title: str, url: str | None) -> str:
    """A Markdown link whose text is escaped and whose address is http(s) and percent-encoded."""
    text = highlight.escape_markdown(title or "article")
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return text
    return f"[{text}]({quote(url, safe=':/?#@!$&*+,;=%~.-_')})"


def evidence_card(row: Mapping[str, Any]) -> None:
    """One reaction: who, stance, toward whom, when, the marked sentence, the quote and the article."""
    esc = highlight.escape_markdown
    targets = row.get("target_names") or "no target"
    speaker = data.speaker_office(row.get("speaker") or "", row.get("speaker_title") or "")
    stance = data.stance_label(row["stance"])
    head = f"**{esc(str(row['source_name']))}** · {esc(stance)} → {esc(str(targets))}"
    date = row.get("published")
    details = [f"#{row['id']}", str(date) if date else "undated", f"confidence {row['confidence']:.2f}",
               f"review: {row['status']}"]  # fmt: skip
    with st.container(border=True):
        st.markdown(head + "  \n" + esc(" · ".join(details)) + (f" · {esc(speaker)}" if speaker else ""))
        st.markdown(highlight.highlighted(row))
        if row.get("quote"):
            st.markdown("Quote: “" + esc(str(row["quote"])) + "”")
        st.markdown("Source: " + safe_link(str(row.get("article_title") or ""), row.get("article_url")))


def legend() -> None:
    st.caption(highlight.LEGEND)
