"""Reviews keep what extraction said (reactions.original) and are indexed by time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable JSON column `original` and an index on `reviewed_at` to reactions."""
    with op.batch_alter_table("reactions") as batch:
        batch.add_column(sa.Column("original", sa.JSON(), nullable=True))
        batch.create_index(batch.f("ix_reactions_reviewed_at"), ["reviewed_at"])


def downgrade() -> None:
    """Drop them (corrections stay, what extraction said before them is lost)."""
    with op.batch_alter_table("reactions") as batch:
        batch.drop_index(batch.f("ix_reactions_reviewed_at"))
        batch.drop_column("original")
