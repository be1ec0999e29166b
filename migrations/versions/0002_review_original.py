"""Reviews keep what extraction said: reactions.original.

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
    """Add the nullable JSON column `original` to reactions."""
    with op.batch_alter_table("reactions") as batch:
        batch.add_column(sa.Column("original", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop `original` (corrections stay, their original values are lost)."""
    with op.batch_alter_table("reactions") as batch:
        batch.drop_column("original")
