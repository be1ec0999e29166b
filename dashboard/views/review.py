"""Review: confirm, correct or reject reactions where they are listed.

A correction is stored with its time, marked `corrected`, keeps what extraction
said, and is never overwritten by re-extraction; rejected reactions leave the
other pages and the exports unless the status filter asks for them.
"""

from __future__ import annotations

from dataclasses import replace

import data
import highlight
import streamlit as st
import widgets

from tracker.stances import STANCE_NAMES

QUEUES = {"unreviewed": "Not yet reviewed", "all": "Everything in the filters"}
ORDERS = {"least_confident": "Least confident first", "newest": "Newest first",
          "most_confident": "Most confident first"}  # fmt: skip
MESSAGE_KEY = "review_message"

url, filters = widgets.page("Review", caption=False)
st.caption(
    "Confirm, correct or reject a reaction. Corrections are kept with their time and never overwritten by a "
    "later extraction; rejected reactions leave the other pages and the exports (choose *rejected* in the "
    "review status filter to see them again)."
)
if MESSAGE_KEY in st.session_state:
    saved, message = st.session_state.pop(MESSAGE_KEY)
    (st.success if saved else st.warning)(highlight.escape_markdown(message))

left, right = st.columns(2)
queue = left.radio("Show", list(QUEUES), format_func=QUEUES.get, horizontal=True, key="review_queue")
order = right.selectbox("Order", list(ORDERS), format_func=ORDERS.get, key="review_order")
view = replace(filters, statuses=("auto",)) if queue == "unreviewed" else filters
rows = data.reactions(url, view, 200, order)
if rows.empty and queue == "unreviewed" and data.summary(url, filters)["reactions"]:
    st.success("Every reaction in these filters has been reviewed.")
    st.stop()
widgets.stop_if_empty(url, len(rows))

event = widgets.reaction_table(
    rows,
    ["id", "published", "source_name", "stance_label", "target_names", "sentence", "confidence", "status"],
    key="review_table", select=True, height=280,
)  # fmt: skip
st.caption(f"{len(rows)} reactions listed" + (" (the first 200)." if len(rows) == 200 else "."))
widgets.csv_button(url, view, "review")

ids = rows["id"].tolist()
picked = widgets.selected_row(event)
if picked is not None and picked < len(ids) and ids[picked] != st.session_state.get("review_picked"):
    st.session_state["review_picked"] = st.session_state["review_id"] = ids[picked]
if st.session_state.get("review_id") not in ids:
    st.session_state["review_id"] = ids[0]
summaries = {
    r.id: f"#{r.id} · {r.source_name} · {data.stance_label(r.stance)} → {r.target_names or 'no target'}"
    for r in rows.itertuples()
}
reaction_id = st.selectbox("Reaction to review", ids, key="review_id", format_func=summaries.get)
current = data.reaction(url, reaction_id)
if current is None:
    st.warning("That reaction is no longer in the database.")
    st.stop()

widgets.legend()
widgets.evidence_card(current | {"target_names": ", ".join(current["target_names"])})
if current["original"]:
    was = current["original"]
    st.caption(highlight.escape_markdown(
        f"Extraction said: {was['source']} · {data.stance_label(was['stance'])} → "
        f"{', '.join(was['targets']) or 'no target'}; corrected {current['reviewed_at']:%Y-%m-%d %H:%M} UTC."
    ))  # fmt: skip


def act(action: str, **correction: object) -> None:
    try:
        data.review(url, reaction_id, action, **correction)
    except ValueError as error:
        st.session_state[MESSAGE_KEY] = (False, f"Nothing saved: {error}.")
    else:
        st.session_state[MESSAGE_KEY] = (True, f"Reaction #{reaction_id}: {action}ed.")


confirm, reject, _ = st.columns([1, 1, 4])
confirm.button("Confirm", key="review_confirm", on_click=act, args=("confirm",), icon=":material/check:",
               type="primary")  # fmt: skip
reject.button("Reject", key="review_reject", on_click=act, args=("reject",), icon=":material/close:")

choices = data.actor_choices()
labels = dict(zip(choices["code"], choices["label"], strict=True))
for code in [current["source"], *current["targets"]]:
    labels.setdefault(code, code)
with st.form(f"correct-{reaction_id}"):
    st.markdown("**Correct it**")
    left, middle, right = st.columns([2, 1, 3])
    source = left.selectbox("Source", list(labels), index=list(labels).index(current["source"]),
                            format_func=labels.get, key=f"review_source_{reaction_id}")  # fmt: skip
    stance = middle.selectbox("Stance", STANCE_NAMES, index=STANCE_NAMES.index(current["stance"]),
                              format_func=data.stance_label, key=f"review_stance_{reaction_id}")  # fmt: skip
    targets = right.multiselect("Targets", list(labels), default=current["targets"], format_func=labels.get,
                                key=f"review_targets_{reaction_id}")  # fmt: skip
    if st.form_submit_button("Save correction", icon=":material/edit:"):
        act("correct", source=source, stance=stance, targets=targets)
        st.rerun()
