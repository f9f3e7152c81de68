"""Tax receipts by the law: a receipt keeps the logo it was issued with (issued means frozen,
logo included); a gift in kind, and its receipt, carry the goods given and their valuation.

Receipts issued before this revision get the association's logo of the day of the upgrade:
the best knowledge there is of the logo they were printed with.

Revision ID: 0005_receipts_by_law
Revises: 0004_money_64_bits
Create Date: 2026-12-01 22:30:00
"""

import hashlib

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005_receipts_by_law'
down_revision = '0004_money_64_bits'
branch_labels = None
depends_on = None


def _in_kind_columns(batch_op) -> None:
    # Existing rows are gifts of money: empty texts.
    batch_op.add_column(sa.Column('kind_description', sqlmodel.sql.sqltypes.AutoString(length=1000),
                                  nullable=False, server_default=''))
    batch_op.add_column(sa.Column('kind_valuation', sqlmodel.sql.sqltypes.AutoString(length=500),
                                  nullable=False, server_default=''))


def upgrade() -> None:
    with op.batch_alter_table('donation', schema=None) as batch_op:
        _in_kind_columns(batch_op)
    with op.batch_alter_table('tax_receipt', schema=None) as batch_op:
        _in_kind_columns(batch_op)
        batch_op.add_column(sa.Column('logo_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_tax_receipt_logo_id_receipt_image', 'receipt_image',
                                    ['logo_id'], ['id'])
    conn = op.get_bind()
    logo = conn.execute(sa.text("SELECT logo FROM association WHERE id = 1")).scalar()
    issued = conn.execute(sa.text("SELECT count(*) FROM tax_receipt")).scalar()
    if not (logo and issued):
        return
    digest = hashlib.sha256(logo).hexdigest()
    find = sa.text("SELECT id FROM receipt_image WHERE sha256 = :h")
    image_id = conn.execute(find, {"h": digest}).scalar()
    if image_id is None:
        conn.execute(sa.text("INSERT INTO receipt_image (sha256, data) VALUES (:h, :d)"),
                     {"h": digest, "d": logo})
        image_id = conn.execute(find, {"h": digest}).scalar()
    conn.execute(sa.text("UPDATE tax_receipt SET logo_id = :i"), {"i": image_id})


def downgrade() -> None:
    with op.batch_alter_table('tax_receipt', schema=None) as batch_op:
        batch_op.drop_constraint('fk_tax_receipt_logo_id_receipt_image', type_='foreignkey')
        batch_op.drop_column('logo_id')
        batch_op.drop_column('kind_valuation')
        batch_op.drop_column('kind_description')
    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.drop_column('kind_valuation')
        batch_op.drop_column('kind_description')
