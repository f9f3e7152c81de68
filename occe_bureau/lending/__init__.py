"""The lending desk: the inventory of material, loans and bookings, returns, transfers to the
next school, reminders, the planning of the coming weeks and the days out of the annual report.

The public face; the UI, the demo, the bench and the other domains import from here:
- states and statuses with their French labels (`states.py`), how late a loan is
  (`lateness.py`), a line's span (`spans.py`);
- the inventory (`inventory.py`); the life of a loan (`loans.py`, checks in `checks.py`,
  the overlap rule in `conflicts.py`, the transfer in `transfer.py`);
- reading the loans (`queries.py`), what a loan allows (`actions.py`), which items are free
  for given dates (`availability.py`); the lock that makes the overlap check and the write
  one step (`locks.py`);
- the papers (`papers.py`; laid out by `slip_pdf.py`, imported only when a paper is made),
  reminders (`reminders.py`, their escalating texts in `reminder_texts.py`, the batch in
  `reminder_batch.py`);
- the planning grid (`planning.py`) and the days out (`days_out.py`).
"""

from occe_bureau.lending.actions import LoanAction, loan_actions, transfer_bookings
from occe_bureau.lending.availability import Availability, availability, free_instead
from occe_bureau.lending.checks import MAX_LOAN_DAYS, LoanData
from occe_bureau.lending.conflicts import Conflict, find_conflicts
from occe_bureau.lending.coop_business import open_loans_with
from occe_bureau.lending.days_out import (
    Figure, UsageReport, export_xlsx, loans_per_month, report_line, usage, usage_for_school_year,
)
from occe_bureau.lending.inventory import (
    SIT_ALL, SIT_BOOKED, SIT_FREE, SIT_OUT, SIT_OVERDUE, SITUATION_LABELS, CategoryRow, ItemData,
    ItemDetail, ItemFilter, ItemRow, add_category, check_item, create_item, get_item,
    item_choices, list_categories, list_items, rename_category, set_category_archived,
    set_item_state, update_item,
)
from occe_bureau.lending.lateness import days_late, is_late
from occe_bureau.lending.loans import (
    CONDITION_DAMAGED, CONDITION_GOOD, ReturnData, cancel_booking, check_out_booking,
    create_booking, create_loan, default_due_date, extend_loan, mark_lost, return_items, update_booking,
)
from occe_bureau.lending.papers import (
    LOAN_CONDITIONS, loan_slip_pdf, reminder_data, reminder_letter_pdf,
    reminder_letters_pdf, return_receipt_pdf, slip_data,
)
from occe_bureau.lending.planning import PlanningRow, Segment, planning_grid
from occe_bureau.lending.queries import (
    VIEW_ALL, VIEW_BOOKED, VIEW_LABELS, VIEW_OPEN, VIEW_OUT, VIEW_OVERDUE, LineDetail,
    LoanDetail, LoanFilter, LoanRow, booked_item_ids, bookings_for_items, get_loan, list_loans,
    overdue_loans, search_loans,
)
from occe_bureau.lending.reminder_batch import ReminderBatch
from occe_bureau.lending.reminder_texts import (
    LAST_REMINDER_TEXT, REMINDER_TEXT, SECOND_REMINDER_TEXT, ReminderStep, reminder_step, salutation,
)
from occe_bureau.lending.reminders import record_reminder, record_reminders
from occe_bureau.lending.spans import line_end
from occe_bureau.lending.states import ItemState, LineStatus, LoanStatus
from occe_bureau.lending.transfer import CONDITION_TRANSFER, TransferData, transfer_loan
from occe_bureau.lending.vocabulary import days_label, slip_label

from occe_bureau.lending.personal_data import personal_data  # RGPD: for the safety domain's privacy service

__all__ = [
    "CONDITION_DAMAGED", "CONDITION_GOOD", "CONDITION_TRANSFER", "LAST_REMINDER_TEXT",
    "LOAN_CONDITIONS", "MAX_LOAN_DAYS", "REMINDER_TEXT", "SECOND_REMINDER_TEXT",
    "SITUATION_LABELS", "SIT_ALL", "SIT_BOOKED", "SIT_FREE", "SIT_OUT", "SIT_OVERDUE",
    "VIEW_ALL", "VIEW_BOOKED", "VIEW_LABELS", "VIEW_OPEN", "VIEW_OUT", "VIEW_OVERDUE",
    "Availability", "CategoryRow", "Conflict", "Figure", "ItemData", "ItemDetail", "ItemFilter", "ItemRow",
    "ItemState", "LineDetail", "LineStatus", "LoanAction", "LoanData", "LoanDetail",
    "LoanFilter", "LoanRow", "LoanStatus", "PlanningRow", "ReminderBatch", "ReminderStep",
    "ReturnData", "Segment", "TransferData", "UsageReport",
    "add_category", "availability", "booked_item_ids", "bookings_for_items", "cancel_booking", "check_item",
    "check_out_booking", "create_booking", "create_item", "create_loan", "days_label",
    "days_late", "default_due_date", "export_xlsx", "extend_loan", "find_conflicts", "free_instead", "get_item",
    "get_loan", "is_late", "item_choices", "line_end", "list_categories", "list_items",
    "list_loans", "loan_actions", "loan_slip_pdf", "mark_lost", "open_loans_with", "overdue_loans",
    "planning_grid", "record_reminder", "record_reminders", "reminder_data",
    "reminder_letter_pdf", "reminder_letters_pdf", "reminder_step", "rename_category",
    "report_line", "return_items", "return_receipt_pdf", "salutation", "search_loans", "set_category_archived",
    "set_item_state", "slip_data", "slip_label", "transfer_bookings", "transfer_loan",
    "update_booking", "update_item", "loans_per_month", "usage", "usage_for_school_year",
    "personal_data",
]

# How the history names this domain's records and fields (the audit trail, occe_bureau/audit.py).
from occe_bureau.lending import history as history  # noqa: E402,F401
