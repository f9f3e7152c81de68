"""Receipt guards: the database itself refuses to delete an issued tax receipt or one of its
lines, and to change what a receipt printed (only its printing, cancellation and search key
may change), on SQLite and on PostgreSQL.

Revision ID: 0006_receipt_guards
Revises: 0005_receipts_by_law
"""

from alembic import op

revision = "0006_receipt_guards"
down_revision = "0005_receipts_by_law"
branch_labels = None
depends_on = None

# What an issued receipt printed: frozen for good.
FROZEN = (
    "number", "year", "seq", "kind", "issued_on", "issued_at", "donor_id", "coop_id",
    "donor_kind", "donor_name", "donor_first_names", "donor_siren", "donor_legal_form",
    "donor_address", "donor_email", "amount_cents", "amount_words", "gift_date", "period_start",
    "period_end", "form", "nature", "methods", "coop_label", "project", "beneficiary_name",
    "beneficiary_address", "beneficiary_siren_rna", "beneficiary_object", "beneficiary_type",
    "articles", "statement", "signatory_name", "signatory_title", "signature_id", "signed_place",
    "replaces_id", "logo_id", "kind_description", "kind_valuation",
)
LINE_FROZEN = ("receipt_id", "donation_id", "received_on", "amount_cents", "method", "cheque_number")
KEPT = "Un reçu fiscal émis ne se supprime jamais : il s'annule, et reste."
FIXED = "Le contenu d'un reçu fiscal émis est figé : annulez-le et émettez-en un autre."


def _changed(columns, old="OLD", new="NEW", sqlite=True) -> str:
    op_ = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return " OR ".join(f"{new}.{c} {op_} {old}.{c}" for c in columns)


def upgrade() -> None:
    bind = op.get_bind()
    receipt_cols = [c for c in FROZEN if c in _columns(bind, "tax_receipt")]
    line_cols = [c for c in LINE_FROZEN if c in _columns(bind, "receipt_line")]
    if bind.dialect.name == "sqlite":
        for table, columns in (("tax_receipt", receipt_cols), ("receipt_line", line_cols)):
            op.execute(f"CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{KEPT.replace(chr(39), chr(39) * 2)}'); END")
            op.execute(f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
                       f"WHEN {_changed(columns)} "
                       f"BEGIN SELECT RAISE(ABORT, '{FIXED.replace(chr(39), chr(39) * 2)}'); END")
        return
    for table, columns in (("tax_receipt", receipt_cols), ("receipt_line", line_cols)):
        op.execute(f"""
CREATE FUNCTION {table}_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{KEPT.replace(chr(39), chr(39) * 2)}'; END IF;
  IF {_changed(columns, sqlite=False)} THEN
    RAISE EXCEPTION '{FIXED.replace(chr(39), chr(39) * 2)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")
        op.execute(f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_guard()")


def downgrade() -> None:
    bind = op.get_bind()
    for table in ("tax_receipt", "receipt_line"):
        if bind.dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_kept")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_guard()")


def _columns(bind, table: str) -> set[str]:
    import sqlalchemy as sa

    return {c["name"] for c in sa.inspect(bind).get_columns(table)}
