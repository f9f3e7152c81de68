"""Money columns in 64 bits: PostgreSQL's INTEGER stopped at 21 474 836,47 € ("integer out
of range" for a 30 000 000 € gift). SQLite's INTEGER is 64-bit already: nothing to do there.

Revision ID: 0004_money_64_bits
Revises: 0003_donations
Create Date: 2026-12-01 22:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_money_64_bits'
down_revision = '0003_donations'
branch_labels = None
depends_on = None

MONEY_COLUMNS = (
    ("coop_year", "cotisation_due_cents"),
    ("coop_year", "cotisation_paid_cents"),
    ("item", "replacement_value_cents"),
    ("donation", "amount_cents"),
    ("tax_receipt", "amount_cents"),
    ("receipt_line", "amount_cents"),
)


def _change(to_type, from_type) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in MONEY_COLUMNS:
        op.alter_column(table, column, type_=to_type, existing_type=from_type,
                        existing_nullable=False)


def upgrade() -> None:
    _change(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _change(sa.Integer(), sa.BigInteger())
