"""Record versions: every record a form edits carries a version and its last change (who, on
which workstation, when), so that a save over a change it did not see is refused (see
occe_bureau/versions.py). Existing records start at version 1, their last change unknown.

Revision ID: 0008_record_versions
Revises: 0007_receipt_chain
"""

from alembic import op
import sqlalchemy as sa

revision = "0008_record_versions"
down_revision = "0007_receipt_chain"
branch_labels = None
depends_on = None

VERSIONED = ("coop", "coop_year", "item_category", "item", "loan", "donor", "donation",
             "association")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
            batch.add_column(sa.Column("changed_by", sa.String(length=100), nullable=False,
                                       server_default=""))
            batch.add_column(sa.Column("changed_from", sa.String(length=100), nullable=False,
                                       server_default=""))
            batch.add_column(sa.Column("changed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            for column in ("changed_at", "changed_from", "changed_by", "version"):
                batch.drop_column(column)
