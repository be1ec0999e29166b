"""Initial schema: articles, actors, reactions, reaction_targets.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str) -> sa.Column:
    """A required string column without a length limit."""
    return sa.Column(name, sa.String(), nullable=False)


def create_actors() -> None:
    """Actors, keyed by code."""
    op.create_table(
        "actors",
        sa.Column("code", sa.String(length=16), nullable=False),
        _text("name"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _text("region"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_actors")),
    )


def create_articles() -> None:
    """Articles, unique by content hash and by URL."""
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        _text("title"),
        _text("outlet"),
        sa.Column("published_at", sa.Date(), nullable=True),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        _text("origin"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_articles_content_hash")),
        sa.UniqueConstraint("url", name=op.f("uq_articles_url")),
    )
    op.create_index(op.f("ix_articles_published_at"), "articles", ["published_at"])


def create_reactions() -> None:
    """Reactions with their evidence and review status."""
    op.create_table(
        "reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_code", sa.String(length=16), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        _text("cameo"),
        _text("plover"),
        sa.Column("polarity", sa.Integer(), nullable=False),
        _text("speaker"),
        _text("speaker_title"),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        _text("cue"),
        _text("rule"),
        _text("extractor_version"),
        sa.Column("status", sa.String(length=16), server_default="auto", nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('auto', 'confirmed', 'corrected', 'rejected')",
            name=op.f("ck_reactions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_reactions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_code"], ["actors.code"], name=op.f("fk_reactions_source_code_actors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reactions")),
    )
    op.create_index(op.f("ix_reactions_article_id"), "reactions", ["article_id"])
    op.create_index("ix_reactions_source_code_stance", "reactions", ["source_code", "stance"])
    op.create_index(op.f("ix_reactions_stance"), "reactions", ["stance"])
    op.create_index(op.f("ix_reactions_status"), "reactions", ["status"])


def create_reaction_targets() -> None:
    """The actors each reaction is directed at."""
    op.create_table(
        "reaction_targets",
        sa.Column("reaction_id", sa.Integer(), nullable=False),
        sa.Column("target_code", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["reaction_id"],
            ["reactions.id"],
            name=op.f("fk_reaction_targets_reaction_id_reactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_code"],
            ["actors.code"],
            name=op.f("fk_reaction_targets_target_code_actors"),
        ),
        sa.PrimaryKeyConstraint("reaction_id", "target_code", name=op.f("pk_reaction_targets")),
    )
    op.create_index(op.f("ix_reaction_targets_target_code"), "reaction_targets", ["target_code"])


def upgrade() -> None:
    """Create the four tables and their indexes."""
    create_actors()
    create_articles()
    create_reactions()
    create_reaction_targets()


def downgrade() -> None:
    """Drop everything, dependants first."""
    for table in ("reaction_targets", "reactions", "articles", "actors"):
        op.drop_table(table)
