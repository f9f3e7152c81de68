"""The audit trail: one row per change to an audited record (coops, material, loans, donors,
gifts, receipts, settings…), with when, who, which workstation, what, before and after.
Append-only: triggers refuse any UPDATE or DELETE of it, on SQLite and on PostgreSQL (and a
TRUNCATE on PostgreSQL).

Revision ID: 0009_audit
Revises: 0008_record_versions
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0009_audit"
down_revision = "0008_record_versions"
branch_labels = None
depends_on = None

REFUSED = "Le journal des modifications ne se modifie pas et ne s''efface pas."


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", text(length=100), nullable=False),
        sa.Column("workstation", text(length=100), nullable=False),
        sa.Column("table_name", text(length=60), nullable=False),
        sa.Column("record_id", text(length=60), nullable=False),
        sa.Column("owner_table", text(length=60), nullable=True),
        sa.Column("owner_id", text(length=60), nullable=True),
        sa.Column("action", text(length=20), nullable=False),
        sa.Column("title", text(length=300), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entry_record", "audit_entry", ["table_name", "record_id"])
    op.create_index("ix_audit_entry_owner", "audit_entry", ["owner_table", "owner_id"])
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.create_index("ix_audit_entry_kind_at", "audit_entry", ["table_name", "at"])
    op.create_index("ix_audit_entry_user_at", "audit_entry", ["user_name", "at"])
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END")
        return
    op.execute(f"""
CREATE FUNCTION audit_entry_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{REFUSED}';
END $$ LANGUAGE plpgsql""")
    op.execute("CREATE TRIGGER audit_entry_guard BEFORE UPDATE OR DELETE ON audit_entry "
               "FOR EACH ROW EXECUTE FUNCTION audit_entry_guard()")
    op.execute("CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_guard ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_guard()")
    op.drop_table("audit_entry")
