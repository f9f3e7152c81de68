"""Issued means frozen: the logo too; a duplicate says when it was delivered; a receipt is
never cancelled before it was issued."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from occe_bureau import clock, gifts
from occe_bureau.association.settings import get_association, save_association
from occe_bureau.db import Database
from occe_bureau.validation import ValidationError
from tests.core.donations_helpers import PNG_1PX, TODAY, gift, make_coop, person, setup_association
from tests.pdf import pdf_text


def _png(colour: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, "PNG")
    return out.getvalue()


RED, BLUE = _png("red"), _png("blue")


@pytest.fixture
def coop(db):
    setup_association(db, signature=PNG_1PX, logo=RED)
    return make_coop(db)


def _issue(db, coop) -> int:
    gid = gifts.create_donation(db, gift("80", coop_id=coop, donor=person()), today=TODAY)
    return gifts.issue_receipt(db, gid, today=TODAY)


def test_a_duplicate_printed_after_a_logo_change_keeps_the_original_logo(db, coop):
    rid = _issue(db, coop)
    gifts.mark_printed(db, [rid])
    a = get_association(db)
    a.logo = BLUE
    save_association(db, a)
    assert gifts.receipt_doc(db, rid).logo == RED
    later = gifts.create_donation(db, gift("5", coop_id=coop, donor=person("Nowak", "Ewa")),
                                  today=TODAY)
    assert gifts.receipt_doc(db, gifts.issue_receipt(db, later, today=TODAY)).logo == BLUE


def test_a_duplicate_says_when_it_was_delivered(db, coop):
    rid = _issue(db, coop)
    first = " ".join(pdf_text(gifts.render_receipt(db, rid)[0]).split())
    gifts.mark_printed(db, [rid])
    with clock.fixed(date(2026, 4, 2)):
        again = " ".join(pdf_text(gifts.render_receipt(db, rid)[0]).split())
    assert "Duplicata délivré le 02/04/2026" in again and "Duplicata délivré" not in first


def test_a_receipt_cannot_be_cancelled_before_it_was_issued(db, coop):
    rid = _issue(db, coop)  # issued on 15/06/2025
    with pytest.raises(ValidationError, match="précède l'émission du reçu 2024-00001") as refused:
        gifts.cancel_receipt(db, rid, "Erreur", on=date(2025, 6, 14), replace=True)
    assert "on" in refused.value.errors
    row = gifts.list_receipts(db, gifts.ReceiptFilter())
    assert len(row) == 1 and not row[0].cancelled
    gifts.cancel_receipt(db, rid, "Erreur", on=date(2025, 6, 15))
    assert gifts.list_receipts(db, gifts.ReceiptFilter())[0].cancelled_on == date(2025, 6, 15)


def test_receipts_issued_before_the_upgrade_get_the_logo_of_the_day(tmp_path):
    from alembic import command
    from alembic.config import Config

    from occe_bureau.migrate import MIGRATIONS_DIR, prepare_database

    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).parent.parent / "fixtures" / "db-0001.sqlite3", path)
    db = Database(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url)
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0003_donations")
    with db.engine.begin() as conn:
        coop_id = conn.execute(text("SELECT id FROM coop ORDER BY number LIMIT 1")).scalar()
        conn.execute(text("DELETE FROM association"))
        conn.execute(text("INSERT INTO association (id, name, address, postal_code, city, email, "
                          "phone, siren_rna, object, signatory_name, signatory_title, logo) VALUES "
                          "(1, 'OCCE 92', '1 rue A', '92000', 'Nanterre', '', '', 'W922000092', "
                          "'Objet', 'Marie', '', :logo)"), {"logo": RED})
        conn.execute(text("INSERT INTO donor (id, kind, last_name, first_names, company_name, siren, "
                          "legal_form, address, postal_code, city, country, email, name_key, "
                          "search_key, created_at, updated_at) VALUES (1, 'person', 'Nowak', 'Ewa', "
                          "'', '', '', '1 rue B', '92000', 'Nanterre', '', '', 'nowak ewa', '', "
                          "'2025-06-01 00:00:00', '2025-06-01 00:00:00')"))
        conn.execute(text(
            "INSERT INTO tax_receipt (id, number, year, seq, kind, issued_on, issued_at, donor_id, "
            "coop_id, donor_kind, donor_name, donor_first_names, donor_siren, donor_legal_form, "
            "donor_address, donor_email, amount_cents, amount_words, gift_date, form, nature, "
            "methods, coop_label, project, beneficiary_name, beneficiary_address, "
            "beneficiary_siren_rna, beneficiary_object, beneficiary_type, articles, statement, "
            "signatory_name, signatory_title, signed_place, cancelled, cancel_reason, search_key) "
            "VALUES (1, '2024-00001', 2024, 1, 'single', '2025-06-01', '2025-06-01 00:00:00', 1, "
            ":coop, 'person', 'Nowak', 'Ewa', '', '', '1 rue B', '', 1000, 'dix euros', "
            "'2025-06-01', 'manuel', 'numeraire', 'cheque', '', '', 'OCCE 92', '', '', '', '', "
            "'200', '', 'Marie', '', 'Nanterre', 0, '', '')"), {"coop": coop_id})
    prepare_database(db, tmp_path / "backups")
    assert gifts.receipt_doc(db, 1).logo == RED
    db.dispose()
