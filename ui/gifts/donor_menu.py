"""The donor's right-click menu of the Dons list: edit the donor, and their personal data
(RGPD: export, erasure on request) in the safety domain's dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from occe_bureau import gifts, safety
from occe_bureau.gifts import GiftAction
from ui.shell import dialogs
from ui.shell.changes import Domain

PERSONAL_DATA = "Données personnelles du donateur (export, effacement)…"


def install_donor_menu(tab) -> None:
    """The Dons list's right-click menu, on the row clicked."""
    table = tab.donation_table
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.customContextMenuRequested.connect(
        lambda pos: _show(tab, table.viewport().mapToGlobal(pos), table.indexAt(pos)))


def _show(tab, where, index) -> None:
    if index.isValid():
        tab.donation_table.selectRow(index.row())
    menu = donor_menu(tab)
    if menu is not None:
        menu.exec(where)


def donor_menu(tab) -> QMenu | None:
    """The menu for the selected gift's donor (None without a selection)."""
    if tab.selected_donation() is None:
        return None
    menu = QMenu(tab)
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
