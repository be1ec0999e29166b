"""The tables: articles, actors, reactions and their targets.

Only migrations change the schema; `migrations/versions` must match these models
(a test compares them). Constraint names follow `NAMING_CONVENTION`, so Alembic's
batch mode can find them on SQLite.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUSES: tuple[str, ...] = ("auto", "confirmed", "corrected", "rejected")
"""Review states of a reaction: as extracted, or as a person left it."""

ACTOR_KINDS: tuple[str, ...] = ("state", "organisation", "non-state", "unknown")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base holding the shared, convention-named metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    """One stored article; unique by content hash and, when present, by URL."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String)
    url: Mapped[str | None] = mapped_column(String, unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String, default="")
    outlet: Mapped[str] = mapped_column(String, default="")
    published_at: Mapped[date | None] = mapped_column(Date, index=True)
    ingested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    language: Mapped[str] = mapped_column(String(8), default="")
    origin: Mapped[str] = mapped_column(String, default="")
    text: Mapped[str] = mapped_column(Text)

    reactions: Mapped[list[Reaction]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class Actor(Base):
    """A state, organisation or other actor, keyed by its code (`USA`, `EU`)."""

    __tablename__ = "actors"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String(16), default="unknown")
    region: Mapped[str] = mapped_column(String, default="")


class Reaction(Base):
    """One reaction of a source actor, with its evidence and review status."""

    __tablename__ = "reactions"
    __table_args__ = (
        Index("ix_reactions_source_code_stance", "source_code", "stance"),
        CheckConstraint("status IN ({})".format(", ".join(f"'{s}'" for s in STATUSES)), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    source_code: Mapped[str] = mapped_column(ForeignKey("actors.code"))
    stance: Mapped[str] = mapped_column(String(16), index=True)
    cameo: Mapped[str] = mapped_column(String, default="")
    plover: Mapped[str] = mapped_column(String, default="")
    polarity: Mapped[int] = mapped_column(Integer, default=0)
    speaker: Mapped[str] = mapped_column(String, default="")
    speaker_title: Mapped[str] = mapped_column(String, default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    sentence: Mapped[str] = mapped_column(Text, default="")
    char_start: Mapped[int] = mapped_column(Integer, default=0)
    char_end: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    cue: Mapped[str] = mapped_column(String, default="")
    rule: Mapped[str] = mapped_column(String, default="")
    extractor_version: Mapped[str] = mapped_column(String, default="")
    status: Mapped[str] = mapped_column(String(16), default="auto", server_default="auto", index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    original: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What extraction said (source, stance, targets, codes) before a reviewer corrected it."""
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )

    article: Mapped[Article] = relationship(back_populates="reactions")
    targets: Mapped[list[ReactionTarget]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class ReactionTarget(Base):
    """One actor a reaction is directed at."""

    __tablename__ = "reaction_targets"

    reaction_id: Mapped[int] = mapped_column(ForeignKey("reactions.id", ondelete="CASCADE"), primary_key=True)
    target_code: Mapped[str] = mapped_column(ForeignKey("actors.code"), primary_key=True, index=True)
