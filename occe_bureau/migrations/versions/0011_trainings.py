"""Formations: themes (seeded with the report's), trainings and courses, sessions with their
times, mode and capacity, participants, registrations with their waiting order and recorded
history, attendance per half-day.

Revision ID: 0011_trainings
Revises: 0010_sales
Create Date: 2026-12-02 04:30:01.794682
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011_trainings'
down_revision = '0010_sales'
branch_labels = None
depends_on = None

SEED_THEMES = [
    "Comptabilité et juridique pour les mandataires",
    "Théâtre",
    "Cinéma",
    "Jeux coopératifs",
    "École dehors",
    "Autre",
]


def upgrade() -> None:
    op.create_table('training_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('trainers', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('partner', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('on_departmental_plan', sa.Boolean(), nullable=False),
    sa.Column('is_course', sa.Boolean(), nullable=False),
    sa.Column('what_to_bring', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('changed_by', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_from', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['theme_id'], ['training_theme.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_archived'), ['archived'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_theme_id'), ['theme_id'], unique=False)

    op.create_table('training_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('coop_id', sa.Integer(), nullable=True),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=220), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('changed_by', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_from', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['coop_id'], ['coop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_participant_coop_id'), ['coop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_participant_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_participant_name_key'), ['name_key'], unique=False)

    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('video_link', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('changed_by', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_from', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("mode IN ('in_person', 'video', 'both')", name='ck_training_session_mode'),
    sa.CheckConstraint('capacity > 0', name='ck_training_session_capacity'),
    sa.CheckConstraint('end_time > start_time', name='ck_training_session_times'),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_day'), ['day'], unique=False)
        batch_op.create_index('ix_training_session_training_day', ['training_id', 'day'], unique=False)

    op.create_table('training_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('half_day', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('presence', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("half_day IN ('matin', 'apres_midi')", name='ck_training_attendance_half_day'),
    sa.CheckConstraint("presence IN ('present', 'absent', 'excused')", name='ck_training_attendance_presence'),
    sa.ForeignKeyConstraint(['participant_id'], ['training_participant.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'participant_id', 'half_day', name='uq_training_attendance')
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendance_participant_id'), ['participant_id'], unique=False)

    op.create_table('training_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('queue_number', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('registered', 'waiting', 'cancelled')", name='ck_training_registration_status'),
    sa.ForeignKeyConstraint(['participant_id'], ['training_participant.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], ),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_registration_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_registration_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_training_registration_target', ['training_id', 'session_id', 'status'], unique=False)

    op.create_table('training_registration_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.CheckConstraint("kind IN ('registered', 'waiting', 'promoted', 'cancelled')", name='ck_training_event_kind'),
    sa.ForeignKeyConstraint(['registration_id'], ['training_registration.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('training_registration_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_registration_event_registration_id'), ['registration_id'], unique=False)

    # No explicit ids: on PostgreSQL the id sequence must stay in step with the rows.
    theme = sa.table('training_theme', sa.column('name', sa.String),
                     sa.column('position', sa.Integer), sa.column('archived', sa.Boolean))
    op.bulk_insert(theme, [
        {'name': name, 'position': i, 'archived': False}
        for i, name in enumerate(SEED_THEMES, start=1)
    ])


def downgrade() -> None:
    with op.batch_alter_table('training_registration_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_registration_event_registration_id'))

    op.drop_table('training_registration_event')
    with op.batch_alter_table('training_registration', schema=None) as batch_op:
        batch_op.drop_index('ix_training_registration_target')
        batch_op.drop_index(batch_op.f('ix_training_registration_session_id'))
        batch_op.drop_index(batch_op.f('ix_training_registration_participant_id'))

    op.drop_table('training_registration')
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_participant_id'))

    op.drop_table('training_attendance')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index('ix_training_session_training_day')
        batch_op.drop_index(batch_op.f('ix_training_session_day'))

    op.drop_table('training_session')
    with op.batch_alter_table('training_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_participant_name_key'))
        batch_op.drop_index(batch_op.f('ix_training_participant_email'))
        batch_op.drop_index(batch_op.f('ix_training_participant_coop_id'))

    op.drop_table('training_participant')
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_theme_id'))
        batch_op.drop_index(batch_op.f('ix_training_archived'))

    op.drop_table('training')
    op.drop_table('training_theme')
