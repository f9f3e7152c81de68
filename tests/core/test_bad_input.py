"""Issue 8, "Bad input": what the hostile tester typed is kept exactly as typed or refused
with a French message at the field; spreadsheets in and out; amounts that overflowed."""

import zipfile
from pathlib import Path

import openpyxl
import pytest

from occe_bureau import gifts, lending
from occe_bureau.coops import register as coops
from occe_bureau.tabular import OutColumn, TableError, read_table, safe_cell, write_table
from occe_bureau.validation import Checker, ValidationError
from tests.core.donations_helpers import TODAY, gift, make_coop, person, setup_association
from tests.core.loans_helpers import category_id, make_item
from tests.pdf import pdf_text


def _checked(value, **kw):
    c = Checker()
    text = c.text("f", "Nom", value, max_length=200, **kw)
    return text, c.errors.get("f", "")


# ---- characters the fonts cannot print --------------------------------------------------------

def test_an_emoji_in_a_donors_name_is_refused_with_the_character_named(db):
    setup_association(db)
    coop = make_coop(db)
    with pytest.raises(ValidationError) as err:
        gifts.create_donation(db, gift(coop_id=coop, donor=person("Martin 🎉", "Claire")),
                              today=TODAY)
    message = " ".join(err.value.errors.values())
    assert "« 🎉 » (U+1F389)" in message and "imprimé" in message
    assert gifts.list_donations(db, gifts.DonationFilter()) == []


def test_a_character_beyond_the_basic_plane_is_refused_even_when_the_font_has_it():
    # DejaVu Sans draws 😀, but ReportLab printed it as "ὠ": refused rather than changed.
    text, problem = _checked("Léa 😀")
    assert "U+1F600" in problem


def test_names_in_many_scripts_are_accepted_and_printed_exactly(db):
    setup_association(db)
    coop = make_coop(db)
    last, first = "Nguyễn-Đặng Ђорђевић", "Øyvind Ğülşen Łukasz Ωμέγα"
    gid = gifts.create_donation(db, gift(coop_id=coop, donor=person(last, first)), today=TODAY)
    pdf, _ = gifts.render_receipt(db, gifts.issue_receipt(db, gid, today=TODAY))
    text = pdf_text(pdf)
    assert last in text and first in text


def test_several_unprintable_characters_are_named_in_the_plural():
    _, problem = _checked("🎉 et 🎈")
    assert problem.startswith("Nom : les caractères « 🎉 » (U+1F389), « 🎈 » (U+1F388)")
    assert "ne peuvent pas être imprimés" in problem


def test_notes_not_bound_for_print_may_hold_an_emoji():
    assert _checked("Merci 🎉", printed=False) == ("Merci 🎉", "")


# ---- direction overrides ---------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069",
                                  "\u200f", "\u061c"])
def test_bidirectional_control_characters_are_refused(char):
    _, problem = _checked(f"facture{char}fdp.exe")
    assert f"U+{ord(char):04X}" in problem and "sens de l'écriture" in problem


def test_a_coop_name_with_a_direction_override_saves_nothing(db):
    with pytest.raises(ValidationError) as err:
        coops.create_coop(db, coops.CoopData(number="92-0001", name="École \u202eerèirP",
                                             kind="primaire"))
    assert "U+202E" in err.value.errors["name"]
    assert coops.list_coops(db, coops.CoopFilter(year=2025)) == []


# ---- stored as typed -------------------------------------------------------------------------

def test_text_is_kept_as_typed_but_for_its_outer_spaces():
    assert _checked("  Jean  de La   Fontaine \u00a0") == ("Jean  de La   Fontaine", "")
    text, problem = _checked("\tÉcole")
    assert "tabulation" in problem
    text, problem = _checked("École\nJean Jaurès")
    assert "retour à la ligne" in problem


def test_a_leading_tab_in_notes_is_kept():
    c = Checker()
    assert c.text("n", "Notes", "\tmalle rangée\n\t- au fond\n", max_length=100,
                  multiline=True) == "\tmalle rangée\n\t- au fond"
    assert c.errors == {}


def test_item_code_case_and_accessories_dashes_are_stored_as_typed(db):
    item = make_item(db, code="Straße-1", accessories="- trépied\n-20 °C : thermomètre")
    detail = lending.get_item(db, item)
    assert detail.data.code == "Straße-1"
    assert detail.data.accessories == "- trépied\n-20 °C : thermomètre"
    with pytest.raises(ValidationError) as err:  # still unique whatever the case
        make_item(db, code="straße-1")
    assert "Caméra HD" in err.value.errors["code"]


# ---- formula-like cells ----------------------------------------------------------------------

@pytest.mark.parametrize("value", [" =1+1", "\n=1+1", "\u00a0=HYPERLINK(\"x\")", "  +33 1",
                                   "\r\n@SUM(A1)", " \t-2+3"])
def test_blanks_before_a_formula_do_not_escape_the_neutraliser(value, tmp_path):
    assert safe_cell(value) == "'" + value
    path = tmp_path / "out.xlsx"
    write_table(path, [OutColumn("Nom")], [[value]])
    cell = openpyxl.load_workbook(path).active["A2"]
    # (openpyxl writes "\r\n" as "\n": the apostrophe still comes first)
    assert cell.data_type == "s" and cell.value.replace("\r", "") == ("'" + value).replace("\r", "")


def test_ordinary_text_is_not_neutralised():
    assert safe_cell(" École") == " École" and safe_cell("a=b") == "a=b"


# ---- damaged spreadsheets --------------------------------------------------------------------

def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Numéro", "Nom", "Type"])
    for i in range(300):
        sheet.append([f"92-{i:04d}", f"École numéro {i} de la ville", "primaire"])
    book.save(path)
    return path


def _rewrite(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, change(data) if info.filename == member else data)


def _break_deflate(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = raw.index(name) + len(name)  # the local header ends with the name and its extra field
    start = at + int.from_bytes(raw[at - len(name) - 2:at - len(name)], "little")
    for i in range(start + 10, start + 60):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def test_a_bad_deflate_stream_is_a_french_file_error(tmp_path):
    path = _workbook(tmp_path / "abîmé.xlsx")
    _break_deflate(path)
    with pytest.raises(TableError, match="« abîmé.xlsx » est illisible ou abîmé"):
        read_table(path)


def test_broken_xml_in_a_sheet_is_a_french_file_error(tmp_path):
    path = _workbook(tmp_path / "coupé.xlsx")
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2])
    with pytest.raises(TableError, match="illisible ou abîmé"):
        read_table(path)


# ---- amounts ---------------------------------------------------------------------------------

def test_an_item_value_past_the_bound_is_refused_in_french(db):
    with pytest.raises(ValidationError) as err:
        lending.create_item(db, lending.ItemData(code="X-1", name="Malle",
                                                 category_id=category_id(db),
                                                 replacement_value_cents=10**12 * 100))
    assert err.value.errors["replacement_value_cents"] == (
        "Valeur de remplacement : trop élevée (100 000 000 € au plus).")
    assert lending.list_items(db, lending.ItemFilter()) == []


def test_amounts_past_32_bits_are_stored_on_postgresql(pg_db_migrated):
    from sqlalchemy import text

    db = pg_db_migrated
    with db.engine.connect() as conn:
        types = dict(conn.execute(text(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE column_name LIKE '%\\_cents'")).all())
    assert set(types.values()) == {"bigint"} and len(types) == 6 + 8  # + the sales domain's 8
    setup_association(db)
    coop = make_coop(db)
    gid = gifts.create_donation(db, gift("30 000 000", coop_id=coop), today=TODAY)
    rid = gifts.issue_receipt(db, gid, today=TODAY)
    assert gifts.receipt_doc(db, rid).amount_cents == 3_000_000_000
    item = make_item(db, value=10_000_000 * 100)
    assert lending.get_item(db, item).data.replacement_value_cents == 1_000_000_000
    coops.update_coop(db, coop, coops.get_coop(db, coop).data,
                      {2024: coops.YearData(cotisation_due_cents=100_000 * 100)})


def test_a_printed_setting_refuses_what_the_fonts_cannot_print(db):
    from occe_bureau.association.settings import save_settings
    from occe_bureau.lending import papers, reminder_texts

    with pytest.raises(ValidationError) as err:
        save_settings(db, {papers.LOAN_CONDITIONS.key: "Merci d'en prendre soin 🎉"})
    assert "« 🎉 » (U+1F389)" in err.value.errors[papers.LOAN_CONDITIONS.key]
    with pytest.raises(ValidationError) as err:
        save_settings(db, {reminder_texts.REMINDER_TEXT.key: "Rendez-le le {echeance}\u202e"})
    assert "U+202E" in err.value.errors[reminder_texts.REMINDER_TEXT.key]
