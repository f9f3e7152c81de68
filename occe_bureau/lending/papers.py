"""A loan's papers: the data of the slip, the return receipt and the reminder letters, and
the settings they print (lending/slip_pdf.py lays them out; it is imported when a paper is
made, so that importing the lending desk does not load ReportLab)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from occe_bureau.db import Database
from occe_bureau.formats import format_money
from occe_bureau.lending.states import LineStatus, LoanStatus
from occe_bureau.lending.queries import LoanDetail, get_loan
from occe_bureau.lending.reminder_texts import ReminderStep, fill_fields, reminder_step, salutation
from occe_bureau.lending.reminders import record_reminder
from occe_bureau.association import define_setting, get_association, letterhead, setting_value
from occe_bureau.validation import ValidationError
from occe_bureau import clock

if TYPE_CHECKING:
    from occe_bureau.lending.slip_pdf import ReminderData, SlipData

LOAN_CONDITIONS = define_setting(
    "loans.conditions",
    "Prêts : conditions imprimées sur le bon de prêt",
    "Le matériel est prêté gratuitement aux coopératives affiliées, pour un usage pédagogique "
    "dans la classe. L'emprunteur vérifie le contenu à la remise et au retour, en prend soin et "
    "le rend propre et complet à la date prévue. Toute perte ou détérioration est signalée "
    "sans délai ; le matériel perdu ou détérioré peut être facturé à la coopérative à sa valeur "
    "de remplacement. Une prolongation se demande avant la date de retour.",
    multiline=True,
)


def reminder_text(db: Database, loan: LoanDetail, today: date | None = None) -> str:
    """The text of the next letter for this loan: first, second or last (lending/reminder_texts.py)."""
    today = today or clock.today()
    step = reminder_step(len(loan.reminders) + 1)
    value = sum(line.replacement_value_cents for line in loan.open_lines)
    return fill_fields(setting_value(db, step.setting), due=loan.due_date,
                       days_late=loan.days_late(today),
                       previous=max(loan.reminders) if loan.reminders else None,
                       value=format_money(value))


def conditions_text(db: Database) -> str:
    return setting_value(db, LOAN_CONDITIONS)


# ---- printed documents -----------------------------------------------------------------------

def slip_data(db: Database, loan_id: int, *, only_items: list[int] | None = None) -> SlipData:
    """The plain data of a loan's papers (lending/slip_pdf.py lays it out)."""
    from occe_bureau.lending.slip_pdf import SlipData, SlipItem

    loan = get_loan(db, loan_id)
    lines = [l for l in loan.lines
             if l.status != LineStatus.CANCELLED or loan.status == LoanStatus.CANCELLED]
    if only_items is not None:
        lines = [l for l in lines if l.item_id in set(only_items)]
    return SlipData(
        slip_label=loan.slip_label, coop_number=loan.coop_number, coop_name=loan.coop_name,
        coop_address_lines=loan.coop_address_lines, borrower=loan.borrower,
        start_date=loan.start_date, due_date=loan.due_date,
        items=[SlipItem(code=l.code, name=l.name, accessories=l.accessories,
                        replacement_value_cents=l.replacement_value_cents,
                        status_label=l.status_label, returned_on=l.returned_on,
                        condition=l.condition, missing_accessories=l.missing_accessories,
                        return_notes=l.return_notes, still_out=l.status == LineStatus.OUT)
               for l in lines],
        handed_over_by=loan.handed_over_by, mandataire_name=loan.mandataire_name,
        notes=loan.notes, conditions=conditions_text(db),
        is_booking=loan.status == LoanStatus.BOOKED,
    )


def _letterhead(db: Database):
    return letterhead(db)


def loan_slip_pdf(db: Database, loan_id: int) -> bytes:
    from occe_bureau.lending import slip_pdf

    return slip_pdf.loan_slip_pdf(slip_data(db, loan_id), _letterhead(db))


def return_receipt_pdf(db: Database, loan_id: int) -> bytes:
    from occe_bureau.lending import slip_pdf

    return slip_pdf.return_receipt_pdf(slip_data(db, loan_id), _letterhead(db))


def reminder_data(db: Database, loan_id: int, today: date | None = None) -> ReminderData:
    """What the reminder letter of an overdue loan says (its number counts the ones sent)."""
    from occe_bureau.lending.slip_pdf import ReminderData

    today = today or clock.today()
    loan = get_loan(db, loan_id)
    if loan.status != LoanStatus.OUT:
        raise ValidationError({"loan": "Relance : ce prêt n'a plus de matériel sorti."})
    if loan.days_late(today) <= 0:
        raise ValidationError({"loan": "Relance : ce prêt n'est pas en retard."})
    data = slip_data(db, loan_id, only_items=[l.item_id for l in loan.open_lines])
    number = len(loan.reminders) + 1
    return ReminderData(slip=data, today=today, days_late=loan.days_late(today),
                        reminder_number=number, text=reminder_text(db, loan, today),
                        place=get_association(db).city, salutation=salutation(loan.borrower),
                        last=reminder_step(number) == ReminderStep.LAST)


def reminder_letter_pdf(db: Database, loan_id: int, *, today: date | None = None,
                        record: bool = True) -> bytes:
    """The reminder letter for an overdue loan; with record=True the reminder is logged
    (with today's date) in the same step, so that a printed letter is never forgotten."""
    from occe_bureau.lending import slip_pdf

    today = today or clock.today()
    pdf = slip_pdf.reminder_letter_pdf(reminder_data(db, loan_id, today), _letterhead(db))
    if record:
        record_reminder(db, loan_id, today)
    return pdf


def reminder_letters_pdf(db: Database, letters: list[ReminderData]) -> bytes:
    from occe_bureau.lending import slip_pdf

    return slip_pdf.reminder_letters_pdf(letters, _letterhead(db))
