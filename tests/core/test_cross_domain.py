"""What crosses the tabs: archiving a coop with business under way; pickers and searches."""

import openpyxl
import pytest

from occe_bureau.coops import under_way as coop_activity
from occe_bureau.coops import register as coop_svc
from occe_bureau import gifts
from occe_bureau.validation import ValidationError

from tests.core import donations_helpers as dh
from tests.core import loans_helpers as lh


def test_archiving_tells_what_is_still_under_way(db):
    coop = lh.make_coop(db)
    assert coop_activity.open_business(db, coop) == []
    cam = lh.make_item(db)
    box = lh.make_item(db, code="JC-01", name="Malle jeux coopératifs", category="Jeux coopératifs")
    lh.lend(db, coop, [cam], lh.d(3), lh.d(14))
    lh.book(db, coop, [box], lh.d(20), lh.d(25))
    gifts.enter_request(db, coop, [dh.gift("30"), dh.gift("20", donor=dh.person("Nowak", "Łukasz"))],
                       today=dh.TODAY)
    lines = coop_activity.open_business(db, coop)
    assert lines[0].startswith("1 prêt en cours")
    assert lines[1].startswith("1 réservation à venir")
    assert lines[2].startswith("2 dons sans reçu")


def test_archived_coops_are_offered_where_their_receipts_are_looked_at(db):
    coop = lh.make_coop(db)
    coop_svc.set_archived(db, coop, True)
    assert coop not in [cid for cid, _ in coop_svc.coop_choices(db)]
    labels = dict(coop_svc.coop_choices(db, include_archived=True))
    assert labels[coop].endswith("– archivée")


def test_receipts_are_found_by_the_coop_current_name(db):
    dh.setup_association(db)
    coop = dh.make_coop(db, name="École maternelle Victor Hugo")
    ids = gifts.enter_request(db, coop, [dh.gift("40")], today=dh.TODAY)
    gifts.issue_receipt(db, ids[0], today=dh.TODAY)
    detail = coop_svc.get_coop(db, coop)
    detail.data.name = "École maternelle Simone Veil"
    coop_svc.update_coop(db, coop, detail.data)
    found = gifts.list_receipts(db, gifts.ReceiptFilter(search="simone"))
    assert len(found) == 1
    assert "Victor Hugo" in found[0].coop_label  # the receipt keeps what it printed
    assert len(gifts.list_receipts(db, gifts.ReceiptFilter(search="victor"))) == 1


@pytest.mark.parametrize("name,content,fragment", [
    ("faux.xlsx", b"PK\x03\x04 not a workbook", "illisible ou abîmé"),
    ("notes.txt", b"\x00\x01binary", "binaire"),
    ("vide.csv", b"", "vide"),
])
def test_request_import_explains_unreadable_files_in_french(db, tmp_path, name, content, fragment):
    coop = dh.make_coop(db)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as err:
        gifts.plan_request_file(db, path, coop, today=dh.TODAY)
    message = err.value.errors["file"]
    assert fragment in message and name in message
    assert "Error" not in message and "BadZipFile" not in message


def test_request_import_reads_an_excel_file(db, tmp_path):
    coop = dh.make_coop(db)
    path = tmp_path / "demande.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Nom", "Prénom", "Adresse", "Code postal", "Commune", "Montant", "Date",
                      "Mode de paiement"])
    wb.active.append(["Nguyễn", "Anh", "3 rue Pasteur", 92000, "Nanterre", 80, dh.TODAY, "Chèque"])
    wb.save(path)
    rows = gifts.plan_request_file(db, path, coop, today=dh.TODAY).lines
    assert len(rows) == 1 and not rows[0].errors, rows[0].errors


def test_a_face_keeps_its_functions_once_every_module_is_loaded():
    """A function of a domain's face named like one of the domain's modules is replaced by
    that module the first time the module is imported late (a document loaded when it
    prints): the second invitation printed crashed so. Every name a face offers stays what it
    was once all the domain's modules are loaded."""
    import importlib
    import pkgutil
    from types import ModuleType

    import occe_bureau

    for info in pkgutil.iter_modules(occe_bureau.__path__):
        if not info.ispkg or info.name in ("migrations",):
            continue
        face = importlib.import_module(f"occe_bureau.{info.name}")
        offered = {name: getattr(face, name) for name in getattr(face, "__all__", ())}
        for sub in pkgutil.iter_modules(face.__path__):
            importlib.import_module(f"occe_bureau.{info.name}.{sub.name}")
        for name, value in offered.items():
            assert not isinstance(getattr(face, name), ModuleType) or isinstance(value, ModuleType), (
                f"occe_bureau.{info.name}.{name} became a module")
