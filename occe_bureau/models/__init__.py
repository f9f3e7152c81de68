"""SQLModel tables, one module per domain. Importing this package registers them all."""

from occe_bureau.models.association import AppSetting, Association
from occe_bureau.models.coops import Coop, CoopKind, CoopYear
from occe_bureau.models.donations import (
    Donation, Donor, ReceiptCounter, ReceiptImage, ReceiptLine, TaxReceipt,
)
from occe_bureau.models.loans import Item, ItemCategory, Loan, LoanLine, LoanReminder

__all__ = ["AppSetting", "Association", "Coop", "CoopKind", "CoopYear",
           "Donation", "Donor", "ReceiptCounter", "ReceiptImage", "ReceiptLine", "TaxReceipt",
           "Item", "ItemCategory", "Loan", "LoanLine", "LoanReminder"]
