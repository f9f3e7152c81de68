import csv
from datetime import date

import openpyxl
import pytest

from occe_bureau.coops import exchange as ex
from occe_bureau.coops import register as svc
from occe_bureau.validation import ValidationError
from occe_bureau.tabular import OutColumn, TableError, read_table, safe_cell, write_table


def test_csv_semicolon_windows_1252(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("Numéro;Nom;Type\n92-1;École Éluard;élémentaire\n".encode("cp1252"))
    table = read_table(path)
    assert table.headers == ["Numéro", "Nom", "Type"]
    assert table.rows == [["92-1", "École Éluard", "élémentaire"]]


def test_csv_comma_utf8_with_bom_and_quotes(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffNuméro,Nom,Type\n92-1,\"École \"\"Les Lilas\"\", Sceaux\",maternelle\n".encode())
    table = read_table(path)
    assert table.rows[0][1] == 'École "Les Lilas", Sceaux'


def test_xlsx_numbers_come_back_as_typed(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Numéro", "Nom", "Code postal", "Élèves"])
    wb.active.append(["92-1", "École", 92000, 250.0])
    wb.save(path)
    table = read_table(path)
    from occe_bureau.tabular import cell_text

    assert [cell_text(c) for c in table.rows[0]] == ["92-1", "École", "92000", "250"]


@pytest.mark.parametrize("name,content,message", [
    ("vide.csv", b"", "vide"),
    ("titres.csv", b"Numero;Nom\n", "que la ligne des titres"),
    ("binaire.csv", b"\x00\x01\x02PK", "binaire"),
    ("abime.xlsx", b"PK\x03\x04garbage", "illisible"),
    ("vieux.xls", b"\xd0\xcf\x11\xe0", ".xls"),
    ("image.png", b"\x89PNG", "Format non reconnu"),
])
def test_malformed_files_give_a_french_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TableError, match=message):
        read_table(path)


def test_formula_cells_are_neutralised_in_xlsx_and_csv(tmp_path):
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("École") == "École" and safe_cell(12) == 12
    columns = [OutColumn("Texte"), OutColumn("Montant", "money"), OutColumn("Date", "date")]
    rows = [["=HYPERLINK(\"http://x\")", 123456, date(2025, 3, 5)], ["+33 1 02", 0, None]]
    write_table(tmp_path / "e.xlsx", columns, rows)
    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'+33 1 02"
    assert sheet["B2"].value == 1234.56 and sheet["C2"].value.date() == date(2025, 3, 5)
    write_table(tmp_path / "e.csv", columns, rows)
    with open(tmp_path / "e.csv", encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines[1] == ["'=HYPERLINK(\"http://x\")", "1234,56", "05/03/2025"]


def _table(tmp_path, text):
    path = tmp_path / "i.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def test_guess_mapping_from_usual_titles(tmp_path):
    table = _table(tmp_path, "N° OCCE;Nom de l'école;Type;RNE;Ville;Nb élèves;Courriel\nx;y;z;;;;\n")
    mapping = ex.guess_mapping(table.headers)
    assert mapping["number"] == 0 and mapping["name"] == 1 and mapping["kind"] == 2
    assert mapping["uai"] == 3 and mapping["commune"] == 4 and mapping["pupils"] == 5
    assert mapping["mandataire_email"] == 6 and mapping["adults"] is None


def test_wrong_types_and_missing_required_columns(db, tmp_path):
    table = _table(tmp_path, "Numéro;Nom;Type;Élèves\n92-1;École A;maternelle;beaucoup\n92-2;;primaire;12,5\n")
    plan = ex.plan_import(db, table, ex.guess_mapping(table.headers), 2025)
    assert [r.action for r in plan.rows] == [ex.RowAction.ERROR, ex.RowAction.ERROR]
    assert "nombre entier" in plan.rows[0].errors["pupils"]
    assert "obligatoire" in plan.rows[1].errors["name"]
    assert "nombre entier" in plan.rows[1].errors["pupils"]
    with pytest.raises(ValidationError, match="Type"):
        ex.plan_import(db, table, {**ex.guess_mapping(table.headers), "kind": None}, 2025)


def test_import_is_all_or_nothing_and_reimport_updates_by_number(db, tmp_path):
    table = _table(tmp_path, "Numéro;Nom;Type;UAI;Élèves;Adultes\n"
                             "92-1;École A;maternelle;0750654D;100;8\n92-2;École B;primaire;;50;4\n")
    mapping = ex.guess_mapping(table.headers)
    result = ex.apply_import(db, ex.plan_import(db, table, mapping, 2025))
    assert (result.created, result.updated, result.skipped) == (2, 0, 0)
    again = _table(tmp_path, "Numéro;Nom;Type;UAI;Élèves;Adultes\n"
                             "92-1;École A bis;maternelle;0750654D;110;9\n")
    plan = ex.plan_import(db, again, ex.guess_mapping(again.headers), 2025)
    assert plan.rows[0].action == ex.RowAction.UPDATE
    ex.apply_import(db, plan)
    rows = svc.list_coops(db, svc.CoopFilter(year=2025))
    assert [(r.number, r.name, r.pupils) for r in rows] == [("92-1", "École A bis", 110), ("92-2", "École B", 50)]

    # A conflict appearing between the preview and the import leaves the register untouched.
    clash = _table(tmp_path, "Numéro;Nom;Type\n92-3;École C;primaire\n92-4;École D;primaire\n")
    plan = ex.plan_import(db, clash, ex.guess_mapping(clash.headers), 2025)
    svc.create_coop(db, svc.CoopData(number="92-4", name="Arrivée entre-temps", kind="primaire"))
    with pytest.raises(ValidationError, match="rien n'a été importé"):
        ex.apply_import(db, plan)
    numbers = [r.number for r in svc.list_coops(db, svc.CoopFilter(year=2025))]
    assert numbers == ["92-1", "92-2", "92-4"]


def test_uai_of_another_coop_is_an_error(db, tmp_path):
    svc.create_coop(db, svc.CoopData(number="92-1", name="École A", kind="maternelle", uai="0750654D"))
    table = _table(tmp_path, "Numéro;Nom;Type;UAI\n92-9;École Z;primaire;0750654D\n")
    plan = ex.plan_import(db, table, ex.guess_mapping(table.headers), 2025)
    assert "n° 92-1" in plan.rows[0].errors["uai"]


def test_reimport_with_blank_cells_keeps_what_is_stored(db, tmp_path):
    svc.create_coop(db, svc.CoopData(number="92-001", name="École Jean Jaurès", kind="elementaire",
                                     uai="0750654D", mandataire_email="a.b@ac-versailles.fr",
                                     mandataire_phone="01 02 03 04 05"),
                    {2024: svc.YearData(classes=10, pupils=200, adults=12)})
    table = _table(tmp_path, "Numéro;Nom;Type;UAI;E-mail;Téléphone;Classes;Élèves;Adultes\n"
                             "92-001;École Jean Jaurès;;;;;;210;\n")
    plan = ex.plan_import(db, table, ex.guess_mapping(table.headers), 2024)
    assert plan.rows[0].action == ex.RowAction.UPDATE and plan.rows[0].message == "modifie : Élèves"
    ex.apply_import(db, plan)
    detail = svc.get_coop(db, plan.rows[0].coop_id)
    assert (detail.data.uai, detail.data.mandataire_email, detail.data.mandataire_phone) == (
        "0750654D", "a.b@ac-versailles.fr", "01 02 03 04 05")
    year = detail.years[2024]
    assert (year.classes, year.pupils, year.adults) == (10, 210, 12)


def test_numbers_are_matched_as_stored_and_archived_coops_are_not_imported(db, tmp_path):
    cid = svc.create_coop(db, svc.CoopData(number="92 777", name="École A", kind="primaire"))
    table = _table(tmp_path, "Numéro;Nom;Type\n92  777;École A bis;primaire\n92 778;École B;primaire\n"
                             "92   778;École B bis;primaire\n")
    plan = ex.plan_import(db, table, ex.guess_mapping(table.headers), 2025)
    assert [r.action for r in plan.rows] == [ex.RowAction.UPDATE, ex.RowAction.CREATE, ex.RowAction.ERROR]
    assert "déjà présent ligne 3" in plan.rows[2].message
    svc.set_archived(db, cid, True)
    plan = ex.plan_import(db, table, ex.guess_mapping(table.headers), 2025)
    assert plan.rows[0].action == ex.RowAction.ERROR and "archivée" in plan.rows[0].message


def test_unterminated_quote_in_csv_is_reported(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('Numéro;Nom;Type\n92-1;"École A;primaire\n92-2;École B;primaire\n', encoding="utf-8")
    with pytest.raises(TableError, match="guillemet"):
        read_table(path)


def test_a_workbook_of_several_sheets_is_neutralised_like_one_table(tmp_path):
    from openpyxl import load_workbook

    from occe_bureau.tabular import OutSheet

    path = tmp_path / "deux.xlsx"
    count = write_table(path, sheets=[
        OutSheet("Par matériel", [OutColumn("Nom"), OutColumn("Valeur", "money")], [["=HYPERLINK(1)", 12345]]),
        OutSheet("Par coopérative", [OutColumn("Nom"), OutColumn("Jours", "int")], [["@SUM(A1)", 3], ["École", 4]]),
    ])
    assert count == 3
    book = load_workbook(path)
    assert book.sheetnames == ["Par matériel", "Par coopérative"]
    assert book["Par matériel"]["A2"].value == "'=HYPERLINK(1)"
    assert book["Par matériel"]["B2"].value == 123.45
    assert book["Par coopérative"]["A2"].value == "'@SUM(A1)"
    assert book["Par coopérative"]["A3"].value == "École"
