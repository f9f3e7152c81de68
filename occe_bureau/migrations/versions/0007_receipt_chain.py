"""The receipt chain: each tax receipt stores the previous receipt's hash and its own (a
SHA-256 of its frozen content and of that previous hash, gifts/chain.py), the register
`receipt_chain` holds the chain's end; the receipts already issued are chained in issue
order, and the guards of 0006 now freeze both hashes too (SQLite and PostgreSQL).

Revision ID: 0007_receipt_chain
Revises: 0006_receipt_guards
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_receipt_chain"
down_revision = "0006_receipt_guards"
branch_labels = None
depends_on = None

CHAIN = ("chain_prev", "chain_hash")
# What 0006 froze (its FROZEN, LINE_FROZEN, KEPT and FIXED, repeated: a migration stands alone).
FROZEN = (
    "number", "year", "seq", "kind", "issued_on", "issued_at", "donor_id", "coop_id",
    "donor_kind", "donor_name", "donor_first_names", "donor_siren", "donor_legal_form",
    "donor_address", "donor_email", "amount_cents", "amount_words", "gift_date", "period_start",
    "period_end", "form", "nature", "methods", "coop_label", "project", "beneficiary_name",
    "beneficiary_address", "beneficiary_siren_rna", "beneficiary_object", "beneficiary_type",
    "articles", "statement", "signatory_name", "signatory_title", "signature_id", "signed_place",
    "replaces_id", "logo_id", "kind_description", "kind_valuation",
)
KEPT = "Un reçu fiscal émis ne se supprime jamais : il s'annule, et reste."
FIXED = "Le contenu d'un reçu fiscal émis est figé : annulez-le et émettez-en un autre."
REGISTER_KEPT = "Le registre de la chaîne des reçus ne se supprime pas et ne recule jamais."
GENESIS = "0" * 64


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _changed(columns, sqlite: bool) -> str:
    op_ = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return " OR ".join(f"NEW.{c} {op_} OLD.{c}" for c in columns)


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("tax_receipt") as batch:
        batch.add_column(sa.Column("chain_prev", sa.String(64), nullable=True))
        batch.add_column(sa.Column("chain_hash", sa.String(64), nullable=True))
    op.create_table(
        "receipt_chain",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("receipts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_id", sa.Integer(), nullable=True),
        sa.Column("last_hash", sa.String(64), nullable=False, server_default=GENESIS),
    )
    op.execute(f"INSERT INTO receipt_chain (id, receipts, last_id, last_hash) VALUES (1, 0, NULL, '{GENESIS}')")
    _chain_existing(bind)
    _guard(bind)


def _chain_existing(bind) -> None:
    """The receipts issued before the chain, chained in issue order (the guards of 0006 do
    not cover the new columns yet)."""
    from occe_bureau.gifts.chain import FIELDS, LINE_FIELDS, link_hash, record_inserted

    lines: dict[int, list] = {}
    for row in bind.execute(sa.text(f"SELECT receipt_id, {', '.join(LINE_FIELDS)} FROM receipt_line "
                                    "ORDER BY receipt_id, donation_id")):
        lines.setdefault(row[0], []).append(list(row[1:]))
    prev = GENESIS
    updates = []
    for row in bind.execute(sa.text(f"SELECT id, {', '.join(FIELDS)} FROM tax_receipt ORDER BY id")).all():
        digest = link_hash(prev, list(row[1:]), lines.get(row[0], []))
        updates.append({"p": prev, "h": digest, "i": row[0]})
        prev = digest
    if updates:
        bind.execute(sa.text("UPDATE tax_receipt SET chain_prev = :p, chain_hash = :h WHERE id = :i"),
                     updates)
    record_inserted(bind)


def _guard(bind) -> None:
    columns = {c["name"] for c in sa.inspect(bind).get_columns("tax_receipt")}
    frozen = [c for c in FROZEN if c in columns] + list(CHAIN)
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_frozen")
        op.execute(f"CREATE TRIGGER tax_receipt_frozen BEFORE UPDATE ON tax_receipt "
                   f"WHEN {_changed(frozen, True)} "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(FIXED)}'); END")
        op.execute(f"CREATE TRIGGER receipt_chain_kept BEFORE DELETE ON receipt_chain "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(REGISTER_KEPT)}'); END")
        op.execute(f"CREATE TRIGGER receipt_chain_forward BEFORE UPDATE ON receipt_chain "
                   f"WHEN NEW.receipts < OLD.receipts OR NEW.id IS NOT OLD.id "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(REGISTER_KEPT)}'); END")
        return
    op.execute(f"""
CREATE OR REPLACE FUNCTION tax_receipt_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{_quoted(KEPT)}'; END IF;
  IF {_changed(frozen, False)} THEN
    RAISE EXCEPTION '{_quoted(FIXED)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")
    op.execute(f"""
CREATE FUNCTION receipt_chain_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.receipts < OLD.receipts OR NEW.id IS DISTINCT FROM OLD.id THEN
    RAISE EXCEPTION '{_quoted(REGISTER_KEPT)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")
    op.execute("CREATE TRIGGER receipt_chain_guard BEFORE UPDATE OR DELETE ON receipt_chain "
               "FOR EACH ROW EXECUTE FUNCTION receipt_chain_guard()")


def downgrade() -> None:
    bind = op.get_bind()
    columns = {c["name"] for c in sa.inspect(bind).get_columns("tax_receipt")}
    frozen = [c for c in FROZEN if c in columns]
    if bind.dialect.name == "sqlite":
        for name in ("tax_receipt_frozen", "receipt_chain_kept", "receipt_chain_forward"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS receipt_chain_guard ON receipt_chain")
        op.execute("DROP FUNCTION IF EXISTS receipt_chain_guard()")
    op.drop_table("receipt_chain")
    with op.batch_alter_table("tax_receipt") as batch:
        batch.drop_column("chain_hash")
        batch.drop_column("chain_prev")
    if bind.dialect.name == "sqlite":  # the table was rebuilt: its triggers with it
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_kept")
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_frozen")
        op.execute(f"CREATE TRIGGER tax_receipt_kept BEFORE DELETE ON tax_receipt "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(KEPT)}'); END")
        op.execute(f"CREATE TRIGGER tax_receipt_frozen BEFORE UPDATE ON tax_receipt "
                   f"WHEN {_changed(frozen, True)} "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(FIXED)}'); END")
    else:
        op.execute(f"""
CREATE OR REPLACE FUNCTION tax_receipt_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{_quoted(KEPT)}'; END IF;
  IF {_changed(frozen, False)} THEN
    RAISE EXCEPTION '{_quoted(FIXED)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")
