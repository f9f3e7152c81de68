"""The right-click menus of the Dons et reçus lists: on a gift, edit the donor and their
personal data (RGPD: export, erasure on request, in the safety domain's dialog); on the
receipts, print one, or find by its exact number a receipt the law keeps after its donor was
erased (withheld from the lists, still verifiable and printable as a duplicate)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from occe_bureau import gifts, safety
from occe_bureau.gifts import GiftAction
from ui.shell import dialogs
from ui.shell.changes import Domain

PERSONAL_DATA = "Données personnelles du donateur (export, effacement)…"
KEPT_RECEIPT = "Retrouver un reçu conservé (donateur effacé) par son numéro…"


def receipt_menu(tab, menu: QMenu | None = None) -> QMenu:
    """The receipts list's own right-click entries (the history's follow them)."""
    menu = menu if menu is not None else QMenu(tab)
    if tab.selected_receipt() is not None:
        show = QAction("Aperçu / imprimer…", menu)
        show.triggered.connect(dialogs.guard(tab, "l'aperçu du reçu", tab.preview_selected))
        menu.addAction(show)
    kept = QAction(KEPT_RECEIPT, menu)
    kept.triggered.connect(dialogs.guard(tab, "la recherche d'un reçu conservé",
                                         lambda: find_kept_receipt(tab)))
    menu.addAction(kept)
    return menu


def find_kept_receipt(tab) -> None:
    """A receipt withheld from the lists (its donor erased on request), found by its exact
    number, shown to be verified and printed as a duplicate."""
    number = dialogs.ask_line(tab, "Reçu conservé", "Numéro du reçu (par exemple 2025-00042) :")
    if not number or not number.strip():
        return
    found = gifts.list_receipts(tab.db, gifts.ReceiptFilter(search=number.strip()))
    found = [r for r in found if r.number == number.strip()]
    if not found:
        dialogs.show_warning(tab, "Reçu conservé", f"Aucun reçu ne porte le numéro « {number.strip()} ».")
        return
    tab.status.emit(tab.show_receipt(found[0].id))


def donor_menu(tab, menu: QMenu | None = None) -> QMenu | None:
    """The Dons list's own right-click entries, for the selected gift's donor (None without a
    selection; the history's entries follow them)."""
    if tab.selected_donation() is None:
        return None
    menu = menu if menu is not None else QMenu(tab)
    edit = QAction(GiftAction.EDIT_DONOR.label + "…", menu)
    edit.triggered.connect(dialogs.guard(tab, "la modification du donateur", tab.edit_donor))
    personal = QAction(PERSONAL_DATA, menu)
    personal.triggered.connect(dialogs.guard(tab, "les données personnelles du donateur",
                                             lambda: open_personal_data(tab)))
    menu.addAction(edit)
    menu.addAction(personal)
    return menu


def person_of(db, donor_id: int) -> safety.Person:
    donor = gifts.get_donor(db, donor_id)
    return safety.Person(donor.display_name, donor.email, {"gifts": donor_id})


def open_personal_data(tab):
    """The personal data dialog of the selected gift's donor; after an erasure, every tab
    showing people reloads."""
    from ui.shell.privacy_dialog import PersonalDataDialog

    d = tab.selected_donation()
    if d is None:
        return None
    dialog = PersonalDataDialog(tab.db, person_of(tab.db, d.donor_id), tab)
    dialog.exec()
    if dialog.erased:
        tab.reload()
        tab.announce(Domain.GIFTS, Domain.COOPS, Domain.LENDING)
        tab.status.emit(f"Données personnelles de {dialog.person.name} effacées ; ce que la loi "
                        "conserve n'apparaît plus dans les listes.")
    return dialog
