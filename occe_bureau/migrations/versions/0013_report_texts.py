"""Bilan: the free text of each section of a period's activity report (kept per period, versioned,
in the audit trail).

Revision ID: 0013_report_texts
Revises: 0012_personal_data
"""

from alembic import op
import sqlalchemy as sa

revision = "0013_report_texts"
down_revision = "0012_personal_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("changed_by", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("changed_from", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_start", "period_end", "section", name="uq_report_text"),
    )


def downgrade() -> None:
    op.drop_table("report_text")
