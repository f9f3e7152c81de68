"""Sales: the catalogue, stock movements, payers, orders with lines and payments, invoices and
credit notes with their frozen lines and numbering counters; and the guards by which the
database itself refuses to delete an issued invoice or one of its lines, or to change what it
printed (only its cancellation and printing may change), on SQLite and on PostgreSQL.

Revision ID: 0010_sales
Revises: 0009_audit
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010_sales'
down_revision = '0009_audit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sale_counter',
    sa.Column('series', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.CheckConstraint('last_seq >= 0', name='ck_sale_counter_seq'),
    sa.PrimaryKeyConstraint('series', 'year')
    )
    op.create_table('sale_payer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('service_code', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('changed_by', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_from', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('coop', 'mairie', 'autre')", name='ck_sale_payer_kind'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sale_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=True),
    sa.Column('edition_year', sa.Integer(), nullable=True),
    sa.Column('unit_price_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('low_stock', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('changed_by', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_from', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(kind <> 'agenda') OR (cycle IN (1, 2, 3) AND edition_year IS NOT NULL)", name='ck_sale_product_agenda'),
    sa.CheckConstraint("kind IN ('agenda', 'livre', 'kit', 'autre')", name='ck_sale_product_kind'),
    sa.CheckConstraint('low_stock >= 0', name='ck_sale_product_low_stock'),
    sa.CheckConstraint('unit_price_cents > 0', name='ck_sale_product_price'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_product_active'), ['active'], unique=False)

    op.create_table('sale_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('ordered_on', sa.Date(), nullable=False),
    sa.Column('coop_id', sa.Integer(), nullable=False),
    sa.Column('payer_kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=True),
    sa.Column('commitment_number', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('total_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('paid_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('reminders', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('changed_by', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_from', sa.String(length=100), nullable=False, server_default=''),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(payer_kind = 'coop') OR (payer_id IS NOT NULL)", name='ck_sale_order_payer'),
    sa.CheckConstraint("payer_kind IN ('coop', 'mairie', 'autre')", name='ck_sale_order_payer_kind'),
    sa.CheckConstraint("state IN ('commandee', 'livree', 'payee', 'annulee')", name='ck_sale_order_state'),
    sa.CheckConstraint('total_cents >= 0 AND paid_cents >= 0', name='ck_sale_order_amounts'),
    sa.ForeignKeyConstraint(['coop_id'], ['coop.id'], ),
    sa.ForeignKeyConstraint(['payer_id'], ['sale_payer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('year', 'seq', name='uq_sale_order_year_seq')
    )
    with op.batch_alter_table('sale_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_order_coop_id'), ['coop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_order_ordered_on'), ['ordered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_order_payer_id'), ['payer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_order_year'), ['year'], unique=False)
        batch_op.create_index('ix_sale_order_year_state', ['year', 'state'], unique=False)

    op.create_table('sale_invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('credited_id', sa.Integer(), nullable=True),
    sa.Column('seller_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('seller_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('seller_postal_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('seller_city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('seller_siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('seller_rna', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('seller_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('buyer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('buyer_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('buyer_postal_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('buyer_city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('buyer_siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('buyer_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('buyer_public', sa.Boolean(), nullable=False),
    sa.Column('service_code', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('commitment_number', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('total_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('vat_mention', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('payment_terms', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('late_penalty_text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('recovery_indemnity', sa.Boolean(), nullable=False),
    sa.Column('bank_details', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('order_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('delivered_to', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('credit_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('printed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('facture', 'avoir')", name='ck_sale_invoice_kind'),
    sa.CheckConstraint('(NOT cancelled) OR (cancelled_on IS NOT NULL)', name='ck_sale_invoice_cancel'),
    sa.CheckConstraint('seq > 0', name='ck_sale_invoice_seq'),
    sa.ForeignKeyConstraint(['credited_id'], ['sale_invoice.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'year', 'seq', name='uq_sale_invoice_series'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('sale_invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_invoice_cancelled'), ['cancelled'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_invoice_credited_id'), ['credited_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_invoice_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_invoice_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_invoice_year'), ['year'], unique=False)

    op.create_table('sale_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint('quantity > 0', name='ck_sale_order_line_quantity'),
    sa.CheckConstraint('unit_price_cents > 0', name='ck_sale_order_line_price'),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['sale_product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_order_line_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_order_line_product_id'), ['product_id'], unique=False)

    op.create_table('sale_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("method IN ('cheque', 'virement', 'especes', 'mandat')", name='ck_sale_payment_method'),
    sa.CheckConstraint('amount_cents > 0', name='ck_sale_payment_amount'),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_payment_order_id'), ['order_id'], unique=False)

    op.create_table('sale_stock_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('moved_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("reason IN ('reception', 'vente', 'retour', 'correction')", name='ck_sale_stock_movement_reason'),
    sa.CheckConstraint('quantity <> 0', name='ck_sale_stock_movement_quantity'),
    sa.ForeignKeyConstraint(['order_id'], ['sale_order.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['sale_product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale_stock_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_stock_movement_moved_on'), ['moved_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_stock_movement_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_stock_movement_product_id'), ['product_id'], unique=False)

    op.create_table('sale_invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('total_cents', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint('quantity > 0', name='ck_sale_invoice_line_quantity'),
    sa.ForeignKeyConstraint(['invoice_id'], ['sale_invoice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale_invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_invoice_line_invoice_id'), ['invoice_id'], unique=False)
    _create_guards()


def downgrade() -> None:
    _drop_guards()
    with op.batch_alter_table('sale_invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_invoice_line_invoice_id'))

    op.drop_table('sale_invoice_line')
    with op.batch_alter_table('sale_stock_movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_stock_movement_product_id'))
        batch_op.drop_index(batch_op.f('ix_sale_stock_movement_order_id'))
        batch_op.drop_index(batch_op.f('ix_sale_stock_movement_moved_on'))

    op.drop_table('sale_stock_movement')
    with op.batch_alter_table('sale_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_payment_order_id'))

    op.drop_table('sale_payment')
    with op.batch_alter_table('sale_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_order_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_sale_order_line_order_id'))

    op.drop_table('sale_order_line')
    with op.batch_alter_table('sale_invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_invoice_year'))
        batch_op.drop_index(batch_op.f('ix_sale_invoice_order_id'))
        batch_op.drop_index(batch_op.f('ix_sale_invoice_issued_on'))
        batch_op.drop_index(batch_op.f('ix_sale_invoice_credited_id'))
        batch_op.drop_index(batch_op.f('ix_sale_invoice_cancelled'))

    op.drop_table('sale_invoice')
    with op.batch_alter_table('sale_order', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_order_year_state')
        batch_op.drop_index(batch_op.f('ix_sale_order_year'))
        batch_op.drop_index(batch_op.f('ix_sale_order_payer_id'))
        batch_op.drop_index(batch_op.f('ix_sale_order_ordered_on'))
        batch_op.drop_index(batch_op.f('ix_sale_order_coop_id'))

    op.drop_table('sale_order')
    with op.batch_alter_table('sale_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_product_active'))

    op.drop_table('sale_product')
    op.drop_table('sale_payer')
    op.drop_table('sale_counter')


# What an issued invoice printed: everything but its cancellation and its printing.
MUTABLE = {"id", "cancelled", "cancelled_on", "printed_at"}
KEPT = "Une facture émise ne se supprime jamais : elle s'annule par un avoir, et reste."
FIXED = "Le contenu d'une facture émise est figé : annulez-la par un avoir."
GUARDED = ("sale_invoice", "sale_invoice_line")


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _changed(columns, sqlite: bool) -> str:
    op_ = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return " OR ".join(f"NEW.{c} {op_} OLD.{c}" for c in columns)


def _frozen_columns(bind, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(bind).get_columns(table) if c["name"] not in MUTABLE]


def _create_guards() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for table in GUARDED:
        columns = _frozen_columns(bind, table)
        if sqlite:
            op.execute(f"CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{_quoted(KEPT)}'); END")
            op.execute(f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
                       f"WHEN {_changed(columns, True)} "
                       f"BEGIN SELECT RAISE(ABORT, '{_quoted(FIXED)}'); END")
            continue
        op.execute(f"""
CREATE FUNCTION {table}_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{_quoted(KEPT)}'; END IF;
  IF {_changed(columns, False)} THEN
    RAISE EXCEPTION '{_quoted(FIXED)}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""")
        op.execute(f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_guard()")


def _drop_guards() -> None:
    bind = op.get_bind()
    for table in GUARDED:
        if bind.dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_kept")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_guard()")
