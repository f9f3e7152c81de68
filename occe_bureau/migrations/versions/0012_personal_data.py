"""Personal data (RGPD): a donor erased on request keeps a marker (`donor.erased_on`); a receipt
the law still keeps is withheld from lists and searches (`tax_receipt.withheld_on`); once past
its keeping time (six years after the end of its calendar year of issue) its donor's identity
may be blanked (`tax_receipt.anonymised_on`).

The receipt guards of 0006 still refuse any DELETE and any change of what a receipt printed,
with one exception written in the database itself: the donor's name, first names, address and
e-mail may be blanked, once, together with `anonymised_on`, and only when that day is after
the keeping time of the receipt.

The audit trail (0009_audit: append-only) gets `audit_entry.redacted_on`: the one UPDATE its
triggers now allow is a redaction (a person's values in an entry replaced, audit.redact): it
sets `redacted_on` (from NULL, or again to the same or a later day, when another field of the
record is erased later), changes only `title`, `before` and `after`, and leaves the entry's
when, who, table, record and action as they were. DELETE (and TRUNCATE) stay refused.

Revision ID: 0012_personal_data
Revises: 0011_trainings
"""

from alembic import op
import sqlalchemy as sa

revision = "0012_personal_data"
down_revision = "0011_trainings"
branch_labels = None
depends_on = None

# 0006's frozen columns, the donor's identity aside (that part may be anonymised, see above).
IDENTITY = ("donor_name", "donor_first_names", "donor_address", "donor_email")
FROZEN = (
    "number", "year", "seq", "kind", "issued_on", "issued_at", "donor_id", "coop_id",
    "donor_kind", "donor_siren", "donor_legal_form", "amount_cents", "amount_words", "gift_date",
    "period_start", "period_end", "form", "nature", "methods", "coop_label", "project",
    "beneficiary_name", "beneficiary_address", "beneficiary_siren_rna", "beneficiary_object",
    "beneficiary_type", "articles", "statement", "signatory_name", "signatory_title",
    "signature_id", "signed_place", "replaces_id", "logo_id", "kind_description",
    "kind_valuation",
)
# Frozen as well once the receipt chain (0007_receipt_chain on main) is below this revision.
CHAIN = ("chain_prev", "chain_hash")
FIXED = "Le contenu d'un reçu fiscal émis est figé : annulez-le et émettez-en un autre."
KEPT_FOR_LAW = ("Le contenu d'un reçu fiscal émis est figé : l'identité du donateur ne s'efface "
                "qu'après six ans, comptés de la fin de l'année d'émission.")


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _changed(columns, op_: str) -> str:
    return " OR ".join(f"NEW.{c} {op_} OLD.{c}" for c in columns)


def _anonymising(year_of) -> str:
    """The one change of the identity allowed: blanked at once, with its day, past keeping."""
    blank = " AND ".join(f"NEW.{c} = ''" for c in IDENTITY)
    return (f"(OLD.anonymised_on IS NULL AND NEW.anonymised_on IS NOT NULL AND {blank} "
            f"AND {year_of('OLD.issued_on')} + 6 < {year_of('NEW.anonymised_on')})")


def _sqlite_year(column: str) -> str:
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _pg_year(column: str) -> str:
    return f"EXTRACT(YEAR FROM {column})"


AUDIT_REFUSED = "Le journal des modifications ne se modifie pas et ne s'efface pas."
# What a redaction leaves as it was (title, before and after may change).
AUDIT_KEPT = ("id", "at", "user_name", "workstation", "table_name", "record_id", "owner_table",
              "owner_id", "action")


def _redacting(same: str) -> str:
    """The one UPDATE of audit_entry allowed: a redaction (see the module's text)."""
    kept = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in AUDIT_KEPT)
    return (f"(NEW.redacted_on IS NOT NULL AND (OLD.redacted_on IS NULL OR "
            f"NEW.redacted_on >= OLD.redacted_on) AND {kept})")


def _audit_upgrade(bind) -> None:
    op.add_column("audit_entry", sa.Column("redacted_on", sa.Date(), nullable=True))
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute(f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
                   f"WHEN NOT {_redacting('IS')} "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(AUDIT_REFUSED)}'); END")
        return
    op.execute(f"""
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF {_redacting('IS NOT DISTINCT FROM')} THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '{_quoted(AUDIT_REFUSED)}';
END $$ LANGUAGE plpgsql""")


def _audit_downgrade(bind) -> None:
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        with op.batch_alter_table("audit_entry") as batch_op:
            batch_op.drop_column("redacted_on")
        for verb in ("UPDATE", "DELETE"):  # 0009's, made anew (the table may be rebuilt)
            op.execute(f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON "
                       f"audit_entry BEGIN SELECT RAISE(ABORT, '{_quoted(AUDIT_REFUSED)}'); END")
        return
    op.execute(f"""
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{_quoted(AUDIT_REFUSED)}';
END $$ LANGUAGE plpgsql""")
    op.drop_column("audit_entry", "redacted_on")


def upgrade() -> None:
    _audit_upgrade(op.get_bind())
    with op.batch_alter_table("donor") as batch_op:
        batch_op.add_column(sa.Column("erased_on", sa.Date(), nullable=True))
    with op.batch_alter_table("tax_receipt") as batch_op:
        batch_op.add_column(sa.Column("withheld_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    frozen = _present(bind, FROZEN + CHAIN)
    # batch_alter_table may rebuild the table on SQLite, dropping its triggers: all made anew.
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_frozen")
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_kept")
        op.execute("CREATE TRIGGER tax_receipt_kept BEFORE DELETE ON tax_receipt BEGIN SELECT "
                   "RAISE(ABORT, 'Un reçu fiscal émis ne se supprime jamais : il s''annule, et "
                   "reste.'); END")
        op.execute(f"CREATE TRIGGER tax_receipt_frozen BEFORE UPDATE ON tax_receipt "
                   f"WHEN {_changed(frozen, 'IS NOT')} "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(FIXED)}'); END")
        op.execute(f"CREATE TRIGGER tax_receipt_identity BEFORE UPDATE ON tax_receipt "
                   f"WHEN ({_changed(IDENTITY, 'IS NOT')} OR (OLD.anonymised_on IS NOT NULL AND "
                   f"NEW.anonymised_on IS NOT OLD.anonymised_on)) "
                   f"AND NOT {_anonymising(_sqlite_year)} "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(KEPT_FOR_LAW)}'); END")
        return
    op.execute(f"""
CREATE OR REPLACE FUNCTION tax_receipt_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Un reçu fiscal émis ne se supprime jamais : il s''annule, et reste.';
  END IF;
  IF {_changed(frozen, 'IS DISTINCT FROM')} THEN
    RAISE EXCEPTION '{_quoted(FIXED)}';
  END IF;
  IF ({_changed(IDENTITY, 'IS DISTINCT FROM')} OR (OLD.anonymised_on IS NOT NULL AND
      NEW.anonymised_on IS DISTINCT FROM OLD.anonymised_on))
     AND NOT {_anonymising(_pg_year)} THEN
    RAISE EXCEPTION '{_quoted(KEPT_FOR_LAW)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")


def _present(bind, columns) -> tuple:
    here = {c["name"] for c in sa.inspect(bind).get_columns("tax_receipt")}
    return tuple(c for c in columns if c in here)


def downgrade() -> None:
    bind = op.get_bind()
    _audit_downgrade(bind)
    every = _present(bind, FROZEN + IDENTITY + CHAIN)
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_identity")
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_frozen")
        op.execute("DROP TRIGGER IF EXISTS tax_receipt_kept")
    with op.batch_alter_table("tax_receipt") as batch_op:
        batch_op.drop_column("anonymised_on")
        batch_op.drop_column("withheld_on")
    with op.batch_alter_table("donor") as batch_op:
        batch_op.drop_column("erased_on")
    if bind.dialect.name == "sqlite":
        op.execute("CREATE TRIGGER tax_receipt_kept BEFORE DELETE ON tax_receipt BEGIN SELECT "
                   "RAISE(ABORT, 'Un reçu fiscal émis ne se supprime jamais : il s''annule, et "
                   "reste.'); END")
        op.execute(f"CREATE TRIGGER tax_receipt_frozen BEFORE UPDATE ON tax_receipt "
                   f"WHEN {_changed(every, 'IS NOT')} "
                   f"BEGIN SELECT RAISE(ABORT, '{_quoted(FIXED)}'); END")
        return
    op.execute(f"""
CREATE OR REPLACE FUNCTION tax_receipt_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Un reçu fiscal émis ne se supprime jamais : il s''annule, et reste.';
  END IF;
  IF {_changed(every, 'IS DISTINCT FROM')} THEN
    RAISE EXCEPTION '{_quoted(FIXED)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")
