"""Gifts to the coops and the tax receipts the association issues for them (Dons et reçus).

The public face: the UI, the demo, the bench and the other domains import from here. Where
things live: donors (details, finding a donor again), donations (a gift, its checks, lists),
request_plan (entering gifts: plan then apply), request_import (a request from a spreadsheet),
numbering (financial year, "2025-00042"), issuing (a receipt's number and frozen content in
one transaction, cancel and replace), replacement (correct the donor or the gift, then cancel
and replace), batch (pending receipts in one transaction), receipts (lists, documents,
printed once), chain (each receipt's hash chained to the previous one's, and its
verification), declaration (article 222 bis, totals), figures (a period's figures for the
Bilan), actions (what a gift or a receipt
allows), enums (the codes and their French labels); the documents receipt_pdf,
declaration_pdf and declaration_xlsx, loaded only when something prints.
"""

from occe_bureau.gifts.actions import GiftAction, ReceiptAction, gift_actions, receipt_actions
from occe_bureau.gifts.batch import (
    ONE_PDF, PER_DONOR, BatchCancelled, BatchResult, BatchSelection, ReceiptBatch, pending_count,
    pending_groups,
)
from occe_bureau.gifts.chain import (
    ChainBreak, ChainReport, ReceiptChainCheck, receipt_chain_problem, verify_connection,
    verify_receipt_chain, verify_receipt_window,
)
from occe_bureau.gifts.declaration import (
    YearTotals, current_financial_year, declaration, declaration_document, declaration_totals,
    declared_year,
    export_declaration, last_closed_financial_year, year_totals,
)
from occe_bureau.gifts.donations import (
    CoopDonationTotals, DonationData, DonationFilter, DonationOrder, DonationRow, GiftState,
    list_donations, page_of_donations,
    parse_method, pending_gift_count, search_rows, service_warnings, totals_by_coop,
    withdraw_donation,
)
from occe_bureau.gifts.donors import (
    DonorData, DonorRow, get_donor, open_donor, search_donors, update_donor,
)
from occe_bureau.gifts.enums import (
    DonorKind, GiftForm, GiftNature, GiftSource, OrganisationType, PaymentMethod, ReceiptKind,
)
from occe_bureau.gifts.figures import (
    DeclaredFigures, GiftFigures, MonthFigure, SourceFigure, declared_figures, period_figures,
)
from occe_bureau.gifts.issuing import (
    cancel_receipt, check_summary_period, default_summary_period, issue_receipt, issue_summary,
    reissue_for_donation,
)
from occe_bureau.gifts.numbering import (
    BENEFICIARY_TYPE, FINANCIAL_YEAR_START, RUP_DECREE, RUP_JOURNAL, financial_year_bounds,
    financial_year_label, financial_year_of, financial_year_start, format_number,
)
from occe_bureau.gifts.personal_data import personal_data
from occe_bureau.gifts.receipts import (
    ReceiptFilter, ReceiptOrder, ReceiptRow, ReceiptState, list_receipts, mark_printed,
    page_of_receipts, receipt_doc,
    receipt_years, render_receipt,
)
from occe_bureau.gifts.replacement import ReplacementDraft, cancel_and_replace, replacement_draft
from occe_bureau.gifts.request_import import (
    import_request, import_steps, plan_file_steps, plan_request_file,
)
from occe_bureau.gifts.request_plan import (
    DonorCandidate, DonorMatch, PlannedGift, RequestPlan, apply_request, create_donation,
    apply_steps, enter_request, find_duplicates, plan_request, plan_steps,
)

__all__ = [
    # codes
    "DonorKind", "GiftForm", "GiftNature", "GiftSource", "OrganisationType", "PaymentMethod",
    "ReceiptKind",
    # donors and gifts
    "DonorData", "DonorRow", "get_donor", "open_donor", "search_donors", "update_donor",
    "CoopDonationTotals", "DonationData", "DonationFilter", "DonationOrder", "DonationRow", "GiftState",
    "page_of_donations", "page_of_receipts", "ReceiptOrder",
    "list_donations", "parse_method", "pending_gift_count", "search_rows", "service_warnings",
    "totals_by_coop", "withdraw_donation",
    # entering gifts: plan, then apply
    "DonorCandidate", "DonorMatch", "PlannedGift", "RequestPlan", "apply_request",
    "create_donation", "enter_request", "find_duplicates", "import_request", "plan_request",
    "plan_request_file", "apply_steps", "import_steps", "plan_file_steps", "plan_steps",
    # what a gift or a receipt allows
    "GiftAction", "ReceiptAction", "gift_actions", "receipt_actions",
    # receipts
    "BENEFICIARY_TYPE", "FINANCIAL_YEAR_START", "RUP_DECREE", "RUP_JOURNAL", "financial_year_bounds", "financial_year_label",
    "financial_year_of", "financial_year_start", "format_number",
    "cancel_receipt", "check_summary_period", "default_summary_period", "issue_receipt",
    "issue_summary", "reissue_for_donation",
    "ReplacementDraft", "cancel_and_replace", "replacement_draft",
    "ReceiptFilter", "ReceiptRow", "ReceiptState", "list_receipts", "mark_printed",
    "receipt_doc", "receipt_years", "render_receipt",
    "ONE_PDF", "PER_DONOR", "BatchCancelled", "BatchResult", "BatchSelection", "ReceiptBatch",
    "pending_count", "pending_groups",
    # the receipt chain: verified whole, or at start from a checkpoint
    "ChainBreak", "ChainReport", "ReceiptChainCheck", "receipt_chain_problem",
    "verify_connection", "verify_receipt_chain", "verify_receipt_window",
    # the yearly declaration and totals
    "YearTotals", "current_financial_year", "declaration", "declaration_totals", "declaration_document",
    "declared_year", "export_declaration", "last_closed_financial_year", "year_totals",
    # a period's figures for the Bilan
    "DeclaredFigures", "GiftFigures", "MonthFigure", "SourceFigure", "declared_figures",
    "period_figures",
    # personal data (RGPD), for the safety domain's privacy service
    "personal_data",
]

# How the history names this domain's records and fields (the audit trail, occe_bureau/audit.py).
from occe_bureau.gifts import history as history  # noqa: E402,F401
