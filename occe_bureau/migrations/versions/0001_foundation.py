"""Foundation: association settings, the register of coops and their yearly figures.

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-22 07:10:31.065573
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('app_setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('association',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('siren_rna', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('object', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('signatory_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('signatory_title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('signature', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('coop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('kind', sa.Enum('MATERNELLE', 'ELEMENTAIRE', 'PRIMAIRE', 'COLLEGE', 'LYCEE', 'SEGPA', 'SPECIALISE', 'AUTRE', name='coop_kind', native_enum=False, length=20), nullable=False),
    sa.Column('uai', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('commune', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('circonscription', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('mandataire_name', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('mandataire_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('mandataire_phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('director', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('archived_on', sa.Date(), nullable=True),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(length=800), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uai')
    )
    with op.batch_alter_table('coop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_archived'), ['archived'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_circonscription'), ['circonscription'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_commune'), ['commune'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_number'), ['number'], unique=True)

    op.create_table('coop_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coop_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('classes', sa.Integer(), nullable=False),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.Column('adults', sa.Integer(), nullable=False),
    sa.Column('cotisation_due_cents', sa.Integer(), nullable=False),
    sa.Column('cotisation_paid_cents', sa.Integer(), nullable=False),
    sa.Column('cotisation_paid_on', sa.Date(), nullable=True),
    sa.Column('cra_received_on', sa.Date(), nullable=True),
    sa.Column('crf_received_on', sa.Date(), nullable=True),
    sa.Column('quitus_on', sa.Date(), nullable=True),
    sa.Column('control_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('control_on', sa.Date(), nullable=True),
    sa.Column('control_outcome', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.CheckConstraint('classes >= 0 AND pupils >= 0 AND adults >= 0', name='ck_coop_year_counts'),
    sa.CheckConstraint('cotisation_due_cents >= 0 AND cotisation_paid_cents >= 0', name='ck_coop_year_money'),
    sa.ForeignKeyConstraint(['coop_id'], ['coop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('coop_id', 'year', name='uq_coop_year')
    )
    with op.batch_alter_table('coop_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_year_coop_id'), ['coop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_year_year'), ['year'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('coop_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_year_year'))
        batch_op.drop_index(batch_op.f('ix_coop_year_coop_id'))

    op.drop_table('coop_year')
    with op.batch_alter_table('coop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_number'))
        batch_op.drop_index(batch_op.f('ix_coop_commune'))
        batch_op.drop_index(batch_op.f('ix_coop_circonscription'))
        batch_op.drop_index(batch_op.f('ix_coop_archived'))

    op.drop_table('coop')
    op.drop_table('association')
    op.drop_table('app_setting')

