"""Add articles: paste text, upload files or give URLs; see the reactions found, then save.

Reading goes through the CLI's readers and saving through `pipeline.save`, as
`tracker ingest` does, so an article added here is stored exactly like one ingested
from the command line (and one seen before is skipped).
"""

from __future__ import annotations

import data
import highlight
import streamlit as st
import widgets

from tracker.actors import actor_name
from tracker.ingest import SUPPORTED_SUFFIXES

PREVIEW_KEY = "add_preview"
MESSAGE_KEY = "add_message"

url = data.database_url()
st.title("Add articles")
st.caption(
    "Nothing is stored until you press **Save**. Articles already stored (same text or URL) are skipped."
)
if MESSAGE_KEY in st.session_state:
    st.success(st.session_state.pop(MESSAGE_KEY))

paste, upload, link = st.tabs(["Paste text", "Upload files", "From a URL"])
with paste, st.form("add_paste"):
    title = st.text_input("Title", key="add_title")
    left, middle, right = st.columns(3)
    published = left.date_input("Published", value=None, key="add_published", format="YYYY-MM-DD")
    address = middle.text_input("Article URL (optional)", key="add_url")
    outlet = right.text_input("Outlet (optional)", key="add_outlet")
    text = st.text_area("Text", height=220, key="add_text", placeholder="Paste the article's text here.")
    if st.form_submit_button("Extract reactions", icon=":material/manage_search:"):
        st.session_state[PREVIEW_KEY] = data.preview_text(text, title, published, address, outlet)
with upload:
    files = st.file_uploader("Files", accept_multiple_files=True, key="add_files",
                             type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
                             help="Text, Markdown, HTML, JSON, JSON Lines or CSV, read as `tracker ingest` "
                             "reads them.")
    if st.button("Extract reactions", key="add_files_extract", disabled=not files,
                 icon=":material/manage_search:"):  # fmt: skip
        st.session_state[PREVIEW_KEY] = data.preview_files([(f.name, f.getvalue()) for f in files or []])
with link:
    urls = st.text_area("Page or feed URLs, one a line", key="add_urls", height=100)
    if st.button("Fetch and extract", key="add_urls_extract", disabled=not urls.strip(),
                 icon=":material/travel_explore:"):  # fmt: skip
        with st.spinner("Fetching..."):
            st.session_state[PREVIEW_KEY] = data.preview_urls(urls.splitlines())

preview = st.session_state.get(PREVIEW_KEY)
if preview is None:
    st.stop()

st.subheader("Before saving")
for error in preview.errors:
    st.warning(highlight.escape_markdown(str(error)))
if not preview.articles:
    st.stop()
widgets.legend()
for article, reactions in preview.articles:
    with st.container(border=True):
        details = [article.published.isoformat() if article.published else "undated",
                   article.outlet, f"language {article.language or 'unknown'}",
                   f"{len(reactions)} reaction{'' if len(reactions) == 1 else 's'}"]
        st.markdown(f"**{highlight.escape_markdown(article.title or article.origin)}**  \n"
                    + highlight.escape_markdown(" · ".join(d for d in details if d)))  # fmt: skip
        if article.language and article.language != "en":
            st.caption("Not English: it will be stored without reactions.")
        for reaction in reactions:
            targets = ", ".join(actor_name(t) for t in reaction.targets) or "no target"
            st.markdown(
                f"{highlight.escape_markdown(actor_name(reaction.source))} · "
                f"{highlight.escape_markdown(data.stance_label(reaction.stance))} → "
                f"{highlight.escape_markdown(targets)} · confidence {reaction.confidence:.2f}  \n"
                + highlight.highlighted({"sentence": reaction.sentence, "source": reaction.source,
                                         "targets": list(reaction.targets), "cue": reaction.cue,
                                         "speaker": reaction.speaker})
            )  # fmt: skip

count = len(preview.articles)
save, discard, _ = st.columns([1, 1, 3])
if save.button(f"Save {count} article{'s' if count > 1 else ''}", key="add_save", type="primary",
               icon=":material/save:"):  # fmt: skip
    report = data.save_articles(url, [article for article, _ in preview.articles])
    del st.session_state[PREVIEW_KEY]
    failed = "; ".join(str(error) for error in report.errors)
    st.session_state[MESSAGE_KEY] = highlight.escape_markdown(
        f"Saved: {report.added} added with {report.reactions} reactions, {report.duplicates} already stored"
        + (f"; failed: {failed}" if failed else "") + "."
    )
    st.rerun()
if discard.button("Discard", key="add_discard"):
    del st.session_state[PREVIEW_KEY]
    st.rerun()
