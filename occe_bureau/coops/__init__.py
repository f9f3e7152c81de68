"""The register of school cooperatives and their yearly figures (the Coopératives tab).

The public face; the UI and the other domains import from here:
- the tables other domains join on (`Coop`, `CoopYear`) and the kinds of school (`CoopKind`);
- the register (`register.py`): list, search and totals, a coop's form, archive and delete;
- the spreadsheet import and export (`exchange.py`), in two steps: a plan, then apply;
- what is still under way with a coop before it is archived (`under_way.py`);
- the coop number and the association's pattern for it, set in Réglages (`numbers.py`);
- a school year's figures for the Bilan (`figures.py`: `year_figures`).
"""

from occe_bureau.coops.exchange import (
    EXPORT_COLUMNS,
    IMPORT_FIELDS,
    ImportField,
    ImportPlan,
    ImportResult,
    PlannedRow,
    RowAction,
    apply_import,
    export_coops,
    guess_mapping,
    normal_number,
    plan_import,
)
from occe_bureau.coops.figures import CoopYearFigures, CountedText, year_figures
from occe_bureau.coops.models import Coop, CoopKind, CoopYear
from occe_bureau.coops.numbers import NUMBER_PATTERN, example_number, number_pattern, number_problem
from occe_bureau.coops.register import (
    MAX_COTISATION_CENTS,
    CoopData,
    CoopDetail,
    CoopFilter,
    CoopRow,
    CoopStatus,
    CoopTotals,
    YearData,
    check_coop,
    check_year,
    circonscriptions,
    coop_choices,
    create_coop,
    documents_due_on,
    delete_coop,
    get_coop,
    list_coops,
    parse_kind,
    search_key,
    search_rows,
    set_archived,
    totals,
    update_coop,
    year_being_chased,
    years_with_data,
)
from occe_bureau.coops.uai import uai_check_letter, uai_problem
from occe_bureau.coops.under_way import open_business

from occe_bureau.coops.personal_data import personal_data  # RGPD: for the safety domain's privacy service

__all__ = [
    "EXPORT_COLUMNS", "IMPORT_FIELDS", "MAX_COTISATION_CENTS", "NUMBER_PATTERN", "Coop", "CoopData", "CoopDetail",
    "CoopFilter", "CoopKind", "CoopRow", "CoopStatus", "CoopTotals", "CoopYear", "CoopYearFigures",
    "CountedText", "ImportField",
    "ImportPlan", "ImportResult", "PlannedRow", "RowAction", "YearData", "apply_import",
    "check_coop", "check_year", "circonscriptions", "coop_choices", "create_coop", "delete_coop", "documents_due_on",
    "example_number", "export_coops", "get_coop", "guess_mapping", "list_coops", "normal_number", "open_business",
    "number_pattern", "number_problem", "parse_kind", "plan_import", "search_key", "search_rows", "set_archived", "totals",
    "uai_check_letter", "uai_problem", "update_coop", "year_being_chased", "years_with_data",
    "year_figures", "personal_data",
]

# How the history names this domain's records and fields (the audit trail, occe_bureau/audit.py).
from occe_bureau.coops import history as history  # noqa: E402,F401
