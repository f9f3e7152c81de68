"""Donations: donors, gifts to coops, frozen tax receipts with their lines and numbering counter.

Revision ID: 0003_donations
Revises: 0002_loans
Create Date: 2026-11-22 07:18:29.065735
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003_donations'
down_revision = '0002_loans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('donor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('first_names', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('company_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('siren', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('legal_form', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(length=800), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'company')", name='ck_donor_kind'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('donor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donor_name_key'), ['name_key'], unique=False)

    op.create_table('receipt_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.CheckConstraint('last_seq >= 0', name='ck_receipt_counter_seq'),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('receipt_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('tax_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=False),
    sa.Column('coop_id', sa.Integer(), nullable=False),
    sa.Column('donor_kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('donor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('donor_first_names', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('donor_siren', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('donor_legal_form', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('donor_address', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('donor_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('amount_words', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('gift_date', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('nature', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('methods', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('coop_label', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('project', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('beneficiary_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('beneficiary_address', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('beneficiary_siren_rna', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('beneficiary_object', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('beneficiary_type', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('articles', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('statement', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('signatory_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('signatory_title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=True),
    sa.Column('signed_place', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('printed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(length=800), nullable=False),
    sa.CheckConstraint("(NOT cancelled) OR (cancelled_on IS NOT NULL AND cancel_reason <> '')", name='ck_tax_receipt_cancel'),
    sa.CheckConstraint("donor_kind IN ('person', 'company')", name='ck_tax_receipt_donor_kind'),
    sa.CheckConstraint("kind IN ('single', 'summary')", name='ck_tax_receipt_kind'),
    sa.CheckConstraint('amount_cents > 0', name='ck_tax_receipt_amount'),
    sa.CheckConstraint('seq > 0', name='ck_tax_receipt_seq'),
    sa.ForeignKeyConstraint(['coop_id'], ['coop.id'], ),
    sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], ),
    sa.ForeignKeyConstraint(['replaces_id'], ['tax_receipt.id'], ),
    sa.ForeignKeyConstraint(['signature_id'], ['receipt_image.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('year', 'seq', name='uq_tax_receipt_year_seq')
    )
    with op.batch_alter_table('tax_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_receipt_cancelled'), ['cancelled'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_receipt_coop_id'), ['coop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_receipt_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_receipt_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_receipt_replaces_id'), ['replaces_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_receipt_year'), ['year'], unique=False)

    op.create_table('donation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=False),
    sa.Column('coop_id', sa.Integer(), nullable=False),
    sa.Column('project', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('cheque_number', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('nature', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('service_confirmed', sa.Boolean(), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('withdrawn_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("form IN ('authentique', 'seing_prive', 'manuel', 'autre')", name='ck_donation_form'),
    sa.CheckConstraint("method IN ('especes', 'cheque', 'virement')", name='ck_donation_method'),
    sa.CheckConstraint("nature IN ('numeraire', 'titres', 'autre')", name='ck_donation_nature'),
    sa.CheckConstraint("source IN ('coop', 'plateforme', 'autre')", name='ck_donation_source'),
    sa.CheckConstraint('amount_cents > 0', name='ck_donation_amount'),
    sa.ForeignKeyConstraint(['coop_id'], ['coop.id'], ),
    sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['tax_receipt.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donation_coop_id'), ['coop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_receipt_id'), ['receipt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_donation_received_on'), ['received_on'], unique=False)

    op.create_table('receipt_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('cheque_number', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name='ck_receipt_line_amount'),
    sa.ForeignKeyConstraint(['donation_id'], ['donation.id'], ),
    sa.ForeignKeyConstraint(['receipt_id'], ['tax_receipt.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_id', 'donation_id', name='uq_receipt_line')
    )
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_line_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_line_receipt_id'), ['receipt_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_line_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_receipt_line_donation_id'))

    op.drop_table('receipt_line')
    with op.batch_alter_table('donation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donation_received_on'))
        batch_op.drop_index(batch_op.f('ix_donation_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_donation_donor_id'))
        batch_op.drop_index(batch_op.f('ix_donation_coop_id'))

    op.drop_table('donation')
    with op.batch_alter_table('tax_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tax_receipt_year'))
        batch_op.drop_index(batch_op.f('ix_tax_receipt_replaces_id'))
        batch_op.drop_index(batch_op.f('ix_tax_receipt_issued_on'))
        batch_op.drop_index(batch_op.f('ix_tax_receipt_donor_id'))
        batch_op.drop_index(batch_op.f('ix_tax_receipt_coop_id'))
        batch_op.drop_index(batch_op.f('ix_tax_receipt_cancelled'))

    op.drop_table('tax_receipt')
    op.drop_table('receipt_image')
    op.drop_table('receipt_counter')
    with op.batch_alter_table('donor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_donor_name_key'))

    op.drop_table('donor')
