"""Prêts: inventory of material (categories seeded with the kinds the reports count), loans
and bookings item by item, reminders.

Revision ID: 0002_loans
Revises: 0001_foundation
Create Date: 2026-11-22 07:16:06.413747
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002_loans'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

SEED_CATEGORIES = [
    "Jeux coopératifs",
    "Précinéma",
    "Matériel de prise de vue et de son",
    "Lotos",
    "Théâtre, cinéma, poésie, land art",
    "Mallettes pédagogiques",
]


def upgrade() -> None:
    op.create_table('item_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('accessories', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('replacement_value_cents', sa.Integer(), nullable=False),
    sa.Column('default_loan_days', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("state IN ('available', 'maintenance', 'lost', 'retired')", name='ck_item_state'),
    sa.CheckConstraint('default_loan_days >= 1 AND default_loan_days <= 365', name='ck_item_days'),
    sa.CheckConstraint('replacement_value_cents >= 0', name='ck_item_value'),
    sa.ForeignKeyConstraint(['category_id'], ['item_category.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_code'), ['code'], unique=True)

    op.create_table('loan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_number', sa.Integer(), nullable=False),
    sa.Column('coop_id', sa.Integer(), nullable=False),
    sa.Column('borrower', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('handed_over_by', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('booked', 'out', 'closed', 'cancelled')", name='ck_loan_status'),
    sa.CheckConstraint('due_date >= start_date', name='ck_loan_dates'),
    sa.CheckConstraint('slip_number > 0', name='ck_loan_slip_number'),
    sa.ForeignKeyConstraint(['coop_id'], ['coop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_coop_id'), ['coop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_slip_number'), ['slip_number'], unique=True)
        batch_op.create_index(batch_op.f('ix_loan_status'), ['status'], unique=False)

    op.create_table('loan_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('condition', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('missing_accessories', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('return_notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('transferred_to_loan_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('booked', 'out', 'returned', 'lost', 'cancelled')", name='ck_loan_line_status'),
    sa.CheckConstraint('end_date >= start_date', name='ck_loan_line_dates'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ),
    sa.ForeignKeyConstraint(['loan_id'], ['loan.id'], ),
    sa.ForeignKeyConstraint(['transferred_to_loan_id'], ['loan.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('loan_id', 'item_id', name='uq_loan_line_item')
    )
    with op.batch_alter_table('loan_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_line_end_date'), ['end_date'], unique=False)
        batch_op.create_index('ix_loan_line_item_span', ['item_id', 'start_date', 'end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_line_loan_id'), ['loan_id'], unique=False)
        batch_op.create_index('ix_loan_line_status', ['status'], unique=False)

    op.create_table('loan_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['loan_id'], ['loan.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loan_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_reminder_loan_id'), ['loan_id'], unique=False)

    # The kinds of material the annual reports count (the secretary can rename or add).
    # No explicit ids: on PostgreSQL the id sequence must stay in step with the rows.
    category = sa.table('item_category', sa.column('name', sa.String),
                        sa.column('position', sa.Integer), sa.column('archived', sa.Boolean))
    op.bulk_insert(category, [
        {'name': name, 'position': i, 'archived': False}
        for i, name in enumerate(SEED_CATEGORIES, start=1)
    ])


def downgrade() -> None:
    with op.batch_alter_table('loan_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_reminder_loan_id'))

    op.drop_table('loan_reminder')
    with op.batch_alter_table('loan_line', schema=None) as batch_op:
        batch_op.drop_index('ix_loan_line_status')
        batch_op.drop_index(batch_op.f('ix_loan_line_loan_id'))
        batch_op.drop_index('ix_loan_line_item_span')
        batch_op.drop_index(batch_op.f('ix_loan_line_end_date'))

    op.drop_table('loan_line')
    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_status'))
        batch_op.drop_index(batch_op.f('ix_loan_slip_number'))
        batch_op.drop_index(batch_op.f('ix_loan_due_date'))
        batch_op.drop_index(batch_op.f('ix_loan_coop_id'))

    op.drop_table('loan')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_code'))
        batch_op.drop_index(batch_op.f('ix_item_category_id'))

    op.drop_table('item')
    op.drop_table('item_category')
