"""The receipt chain: every issued tax receipt carries a SHA-256 hash of its frozen content
and of the previous receipt's hash, in issue order, so that a receipt altered, deleted,
inserted or moved outside the application is found, and named.

The chain
---------
Issue order is the order of the receipts' ids (`tax_receipt.id`): receipts are inserted one
after the other under the chain's lock (below), so a later receipt always has a larger id.
Receipt k stores

    chain_prev = chain_hash of receipt k-1 (GENESIS, 64 zeros, for the first receipt)
    chain_hash = SHA-256(encoding(chain_prev, receipt k, its lines)), 64 lowercase hex digits

and the register `receipt_chain` (one row, id 1) holds the number of receipts chained, the
id and the hash of the last one: a receipt deleted or added at the end of the chain shows
there. Both columns are frozen by the guard triggers, like the content.

The encoding (version 1; stable: a receipt hashed today verifies in every later version)
----------------------------------------------------------------------------------------
The UTF-8 bytes of the JSON text (RFC 8259) of the array

    ["occe-bureau/receipt-chain/1", chain_prev, [F1, …, F40], [[L1, …, L5], …]]

written with no whitespace (separators "," and ":"), non-ASCII characters written as they
are (not \\u escapes), and Python's json escapes otherwise (\\" \\\\ \\n \\r \\t \\b \\f,
other control characters \\u00xx). Where:
- F1…F40 are the receipt's frozen columns, in the order of FIELDS below (the columns
  migration 0006 freezes, in its order): text as a JSON string, integers (ids, amounts in
  cents, year, sequence) as JSON numbers, NULL as null; a date as the string "YYYY-MM-DD";
  the issue instant (issued_at) as the string "YYYY-MM-DD HH:MM:SS.ffffff" in UTC
  (microseconds always written; a stored value without an offset is UTC).
- each [L1…L5] is one line of the receipt: donation_id, received_on, amount_cents, method,
  cheque_number (same rules), the lines ordered by donation_id.
Nothing else is hashed: printing, cancellation (date, reason) and the search key change
after issue by design, and the receipt's own id is its place in the chain.

What it proves, and what it does not
------------------------------------
The chain holds no secret: whoever knows this encoding and can write to the database file
can recompute every hash after a change, and the register with them. What the chain gives:
any change made without recomputing it (an UPDATE or a DELETE in a database tool, a receipt
copied in) is found and the first receipt concerned is named; and a recomputed chain no longer
matches the hashes recorded elsewhere (an earlier backup, the checkpoint the check at start
keeps, see `verified_since`).

The lock
--------
The chain is one line even with several workstations issuing at once: an issue reads the
register `FOR UPDATE` (PostgreSQL: the row stays locked until the issue commits), after it
has taken its receipt number (SQLite: the number's UPDATE already holds the database's
write lock), and every issue takes the number first, then the register: always the same
order, so two issues never wait on each other in a circle.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from occe_bureau.formats import counted

TAG = "occe-bureau/receipt-chain/1"
GENESIS = "0" * 64

# The frozen columns of a receipt, in the order of migration 0006 (never reordered).
FIELDS = (
    "number", "year", "seq", "kind", "issued_on", "issued_at", "donor_id", "coop_id",
    "donor_kind", "donor_name", "donor_first_names", "donor_siren", "donor_legal_form",
    "donor_address", "donor_email", "amount_cents", "amount_words", "gift_date", "period_start",
    "period_end", "form", "nature", "methods", "coop_label", "project", "beneficiary_name",
    "beneficiary_address", "beneficiary_siren_rna", "beneficiary_object", "beneficiary_type",
    "articles", "statement", "signatory_name", "signatory_title", "signature_id", "signed_place",
    "replaces_id", "logo_id", "kind_description", "kind_valuation",
)
LINE_FIELDS = ("donation_id", "received_on", "amount_cents", "method", "cheque_number")
_DATES = tuple(FIELDS.index(f) for f in ("issued_on", "gift_date", "period_start", "period_end"))
_STAMP = FIELDS.index("issued_at")
_NUMBER = FIELDS.index("number")

RECEIPTS_SQL = (f"SELECT id, chain_prev, chain_hash, {', '.join(FIELDS)} FROM tax_receipt "
                "ORDER BY id")
LINES_SQL = (f"SELECT receipt_id, {', '.join(LINE_FIELDS)} FROM receipt_line "
             "ORDER BY receipt_id, donation_id")
REGISTER_SQL = "SELECT receipts, last_id, last_hash FROM receipt_chain WHERE id = 1"
CHUNK = 2000


# ---- the encoding -----------------------------------------------------------------------------

def utc_stamp(value) -> datetime:
    """The issue instant as it is hashed: naive, in UTC (a value without an offset is UTC
    already: SQLite stores the instant so; PostgreSQL returns it with its offset)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _day(value) -> str | None:
    return value if value is None or isinstance(value, str) else value.isoformat()


def _stamp_text(value) -> str | None:
    return None if value is None else utc_stamp(value).isoformat(sep=" ", timespec="microseconds")


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def link_hash(prev: str, fields: list, lines: list) -> str:
    """chain_hash of a receipt: `fields` its frozen values in FIELDS order (a list, made
    canonical in place), `lines` its lines as LINE_FIELDS lists in donation_id order."""
    for i in _DATES:
        value = fields[i]
        if value is not None and not isinstance(value, str):
            fields[i] = value.isoformat()
    fields[_STAMP] = _stamp_text(fields[_STAMP])
    for line in lines:
        value = line[1]
        if value is not None and not isinstance(value, str):
            line[1] = value.isoformat()
    payload = _dumps([TAG, prev, fields, lines]).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def seal(prev: str, values: dict, lines: list[dict]) -> str:
    """The hash of a receipt about to be inserted (`values` and its `lines` as the INSERT
    statements get them)."""
    ordered = sorted(lines, key=lambda line: line["donation_id"])
    return link_hash(prev, [values[f] for f in FIELDS],
                     [[line[f] for f in LINE_FIELDS] for line in ordered])


# ---- issuing: the register, under its lock ----------------------------------------------------

class ChainHead:
    """The end of the chain inside one issuing transaction (read once, under its lock)."""

    def __init__(self, receipts: int, last_hash: str) -> None:
        self.receipts = receipts
        self.last_hash = last_hash

    @classmethod
    def locked(cls, conn) -> ChainHead:
        """Read the register and lock it until the transaction ends (see The lock)."""
        lock = _LOCK_PG if conn.dialect.name == "postgresql" else _LOCK
        receipts, last_hash = conn.exec_driver_sql(lock).one()
        return cls(receipts, last_hash)

    def extend(self, conn, values: dict, lines: list[dict], insert_receipt: Callable[[dict], int]
               ) -> int:
        """Chain and insert one receipt (`insert_receipt(values)` returns its id); the
        register follows."""
        from sqlalchemy import text

        values["chain_prev"] = self.last_hash
        values["chain_hash"] = seal(self.last_hash, values, lines)
        receipt_id = insert_receipt(values)
        self.receipts += 1
        self.last_hash = values["chain_hash"]
        if not _MOVE_ON:
            _MOVE_ON.append(text(_MOVE_ON_SQL))
        conn.execute(_MOVE_ON[0], {"n": self.receipts, "id": receipt_id, "h": self.last_hash})
        return receipt_id


# The register's statements, built once (a batch issues thousands of receipts).
_LOCK = "SELECT receipts, last_hash FROM receipt_chain WHERE id = 1"
_LOCK_PG = _LOCK + " FOR UPDATE"
_MOVE_ON_SQL = "UPDATE receipt_chain SET receipts = :n, last_id = :id, last_hash = :h WHERE id = 1"
_MOVE_ON: list = []


def chain_inserted(conn, receipts: list[dict], lines: list[list[dict]]) -> None:
    """Receipts about to be inserted in this order in one statement (the demo's builder):
    each gets its chain_prev and chain_hash; call `record_inserted` once they are in."""
    head = ChainHead.locked(conn)
    for values, its_lines in zip(receipts, lines):
        values["chain_prev"] = head.last_hash
        values["chain_hash"] = head.last_hash = seal(head.last_hash, values, its_lines)


def record_inserted(conn) -> None:
    """The register brought to the last receipt (after `chain_inserted`, or the migration
    that chains the receipts issued before the chain existed)."""
    from sqlalchemy import text

    last = conn.execute(text("SELECT id, chain_hash FROM tax_receipt ORDER BY id DESC LIMIT 1")).first()
    count = conn.execute(text("SELECT count(*) FROM tax_receipt")).scalar()
    conn.execute(text("UPDATE receipt_chain SET receipts = :n, last_id = :id, last_hash = :h "
                      "WHERE id = 1"),
                 {"n": count, "id": last[0] if last else None, "h": last[1] if last else GENESIS})


# ---- verifying --------------------------------------------------------------------------------

class ChainBreak(StrEnum):
    ALTERED = "altered"
    DELETED = "deleted"
    INSERTED = "inserted"
    MOVED = "moved"

    @property
    def label(self) -> str:
        return {ChainBreak.ALTERED: "Reçu modifié", ChainBreak.DELETED: "Reçu supprimé",
                ChainBreak.INSERTED: "Reçu ajouté", ChainBreak.MOVED: "Ordre des reçus modifié"}[self]


@dataclass(frozen=True)
class ChainReport:
    """What the verification found: the receipts read, and the first break (None: intact)."""

    receipts: int
    problem: ChainBreak | None = None
    number: str = ""  # the receipt named ("" when none can be: the register itself)
    detail: str = ""  # the French sentence naming it
    last_id: int | None = None  # the last receipt read, and its hash (a checkpoint)
    last_hash: str = GENESIS
    receipt_id: int | None = None  # the receipt named, when it is still there

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        if self.problem is not None:
            return self.detail
        if not self.receipts:
            return "Aucun reçu fiscal émis : rien à vérifier."
        return (f"{counted(self.receipts, 'reçu fiscal vérifié', 'reçus fiscaux vérifiés')} : "
                "aucun n'a été modifié, supprimé, ajouté ni déplacé en dehors de l'application.")


def _altered(number: str) -> str:
    return (f"le reçu n° {number} a été modifié en dehors de l'application (son contenu ne "
            "correspond plus à l'empreinte enregistrée à son émission)")


def _inserted(number: str) -> str:
    return (f"le reçu n° {number} a été ajouté en dehors de l'application (il n'a pas été émis "
            "par elle)")


def _deleted(before: str | None, after: str | None) -> str:
    if before and after:
        where = f"entre le reçu n° {before} et le reçu n° {after}"
    elif after:
        where = f"avant le reçu n° {after}, le premier de la chaîne"
    else:
        where = f"après le reçu n° {before}, le dernier restant" if before else "tous les reçus"
    return f"un reçu émis {where} a été supprimé en dehors de l'application"


def _moved(number: str, other: str) -> str:
    return (f"l'ordre des reçus a été modifié en dehors de l'application : le reçu n° {number} "
            f"est placé avant le reçu n° {other}, émis avant lui")


@dataclass
class _Row:
    id: int
    prev: str | None
    hash: str | None
    number: str
    content_ok: bool


def _cursors(execute, first: int | None = None, last: int | None = None) -> tuple:
    """The receipts in issue order and their lines (ids from `first` to `last`, inclusive)."""
    bounds = [f"{{col}} >= {int(first)}"] if first is not None else []
    bounds += [f"{{col}} <= {int(last)}"] if last is not None else []
    where = (" WHERE " + " AND ".join(bounds)) if bounds else ""
    return (execute(RECEIPTS_SQL.replace(" ORDER BY", where.format(col="id") + " ORDER BY")),
            execute(LINES_SQL.replace(" ORDER BY", where.format(col="receipt_id") + " ORDER BY")))


def _rows(receipts, lines) -> Iterator[_Row]:
    """Each receipt, with whether its stored hash is the hash of its stored link and content."""

    def all_lines():
        while chunk := lines.fetchmany(CHUNK):
            yield from chunk

    line_iter = all_lines()
    line = next(line_iter, None)
    while chunk := receipts.fetchmany(CHUNK):
        for row in chunk:
            rid = row[0]
            while line is not None and line[0] < rid:  # the lines of a deleted receipt
                line = next(line_iter, None)
            its_lines = []
            while line is not None and line[0] == rid:
                its_lines.append(list(line[1:]))
                line = next(line_iter, None)
            ok = row[1] is not None and row[2] is not None and link_hash(
                row[1], list(row[3:]), its_lines) == row[2]
            yield _Row(rid, row[1], row[2], str(row[3 + _NUMBER]), ok)


class _Walk:
    """The receipts read in order: the first that breaks the chain, and every hash's place
    (for the diagnosis). `first_link`: what the first receipt's chain_prev must be (None:
    whatever it is, a checkpoint whose own link was verified before)."""

    def __init__(self, first_link: str | None) -> None:
        self.first_link = first_link
        self.rows: list[_Row] = []
        self.position: dict[str, int] = {}
        self.first_bad: int | None = None
        self.expected = first_link

    def add(self, row: _Row) -> None:
        index = len(self.rows)
        self.rows.append(row)
        if row.hash is not None:
            self.position.setdefault(row.hash, index)
        expected = row.prev if self.expected is None and not index else self.expected
        if self.first_bad is None and not (row.content_ok and row.prev == expected):
            self.first_bad = index
        self.expected = row.hash

    def problem(self) -> tuple | None:
        if self.first_bad is None:
            return None
        return _diagnose(self.rows, self.position, self.first_bad, self.first_link)


def _report(problem: tuple, rows: list[_Row]) -> ChainReport:
    kind, number, detail = problem
    named = next((r.id for r in rows if number and r.number == number), None)
    return ChainReport(len(rows), kind, number, detail[0].upper() + detail[1:] + ".",
                       receipt_id=named)


def verify_steps(execute, since: tuple[int, str] | None = None) -> Iterator[tuple[int, int]]:
    """Recompute the chain; yields (done, total) every few thousand receipts and returns
    the ChainReport (as the generator's value). `execute(sql)` runs a statement and returns
    a cursor: sqlite3's `connection.execute`, or a SQLAlchemy connection's `exec_driver_sql`.
    `since` = (id, hash) of a receipt already verified (a checkpoint, which the caller found
    holding that hash): only that receipt (its content hashed again) and those after it are
    read."""
    # The rows' statements first: the register is then read in the same snapshot.
    receipts, lines = _cursors(execute, since[0] if since else None)
    register = execute(REGISTER_SQL).fetchone()
    count_sql = "SELECT count(*) FROM tax_receipt"
    total = execute(count_sql + (f" WHERE id >= {int(since[0])}" if since else "")).fetchone()[0]
    walk = _Walk(None if since else GENESIS)
    yield 0, total
    for row in _rows(receipts, lines):
        walk.add(row)
        if len(walk.rows) % CHUNK == 0:
            yield len(walk.rows), total
    rows = walk.rows
    yield len(rows), total
    last_id, last_hash = (rows[-1].id, rows[-1].hash) if rows else (since or (None, GENESIS))
    problem = walk.problem() or _check_register(register, rows, walk.position, last_hash, since)
    if problem[0] is not None:
        return _report(problem, rows)
    chained = register[0] if since and register else len(rows)
    return ChainReport(chained, last_id=last_id, last_hash=last_hash)


def verify_window(execute, after_id: int, size: int) -> tuple[ChainReport, int]:
    """The `size` receipts after receipt `after_id` hashed again, each linked to the one
    before it (the check at start sweeps the older receipts so, a window per start). Returns
    the report and the id to start the next window after (0: the sweep starts over)."""
    after_id = int(after_id)
    end = execute(f"SELECT id FROM tax_receipt WHERE id > {after_id} ORDER BY id "
                  f"LIMIT 1 OFFSET {int(size) - 1}").fetchone()
    # From the receipt before the window (read again, its own link taken as it is).
    before = execute(f"SELECT id FROM tax_receipt WHERE id <= {after_id} "
                     "ORDER BY id DESC LIMIT 1").fetchone()
    walk = _Walk(None if before else GENESIS)
    for row in _rows(*_cursors(execute, before[0] if before else None, end[0] if end else None)):
        walk.add(row)
    problem = walk.problem()
    if problem is not None:
        return _report(problem, walk.rows), after_id
    return ChainReport(len(walk.rows)), (end[0] if end else 0)


def _diagnose(rows: list[_Row], position: dict, i: int, first_link: str | None) -> tuple:
    row = rows[i]
    before = rows[i - 1] if i else None
    expected = before.hash if before else (row.prev if first_link is None else first_link)
    after = rows[i + 1] if i + 1 < len(rows) else None
    if row.hash is None:
        return ChainBreak.INSERTED, row.number, _inserted(row.number)
    if not row.content_ok:
        if after is not None and after.prev == expected and after.prev != row.hash:
            # the next receipt links over this one: this one was slipped in
            return ChainBreak.INSERTED, row.number, _inserted(row.number)
        return ChainBreak.ALTERED, row.number, _altered(row.number)
    # its content is its own, but it does not follow the receipt before it
    found = position.get(row.prev)
    if found is not None and found > i:
        return ChainBreak.MOVED, row.number, _moved(row.number, rows[found].number)
    if found is not None and found < i - 1:
        slipped = rows[found + 1]
        return ChainBreak.INSERTED, slipped.number, _inserted(slipped.number)
    if row.prev == GENESIS and i and first_link == GENESIS:  # a chain started again
        return ChainBreak.INSERTED, rows[0].number, _inserted(rows[0].number)
    return ChainBreak.DELETED, row.number, _deleted(before.number if before else None, row.number)


def _check_register(register, rows: list[_Row], position: dict, last_hash, since) -> tuple:
    none = (None, "", "")  # intact
    if register is None:
        return none if not rows and not since else (
            ChainBreak.ALTERED, "", "le registre de la chaîne des reçus a été supprimé en dehors "
                                    "de l'application")
    receipts, _last_id, registered = register
    if registered == last_hash:
        return none
    found = position.get(registered)
    if found is not None:  # receipts chained after the last one the application issued
        slipped = rows[found + 1]
        return ChainBreak.INSERTED, slipped.number, _inserted(slipped.number)
    if rows:
        return ChainBreak.DELETED, rows[-1].number, _deleted(rows[-1].number, None)
    if since:
        return (ChainBreak.DELETED, "", "les reçus émis après le dernier reçu vérifié ont été "
                                        "supprimés en dehors de l'application")
    return (ChainBreak.DELETED, "", "tous les reçus émis ("
            + counted(receipts, "reçu", "reçus") + ") ont été supprimés en dehors de l'application")


def run_steps(steps: Iterator):
    """Drive a generator of steps to its end and return its value."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


# ---- on the application's database ------------------------------------------------------------

class ReceiptChainCheck:
    """"Vérifier les reçus": `steps()` yields (done, total) for a progress bar; `report`
    once done. Reads in one transaction (a consistent view while others issue)."""

    def __init__(self, db) -> None:
        self.db = db
        self.report: ChainReport | None = None

    def steps(self) -> Iterator[tuple[int, int]]:
        with self.db.engine.connect() as conn:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                streaming = conn.execution_options(stream_results=True)
                self.report = yield from verify_steps(streaming.exec_driver_sql)


def verify_receipt_chain(db, progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Recompute the whole receipt chain and name the first receipt altered, deleted,
    inserted or moved outside the application."""
    check = ReceiptChainCheck(db)
    for done, total in check.steps():
        if progress:
            progress(done, total)
    return check.report


def verify_receipt_window(con, after_id: int, size: int) -> tuple[ChainReport, int]:
    """verify_window on a sqlite3 connection (the check at start's sweep)."""
    return verify_window(con.execute, after_id, size)


def verify_connection(conn) -> ChainReport:
    """The whole chain as a SQLAlchemy connection sees it (its own transaction's rows too:
    the move verifies the server's copy before committing it)."""
    return run_steps(verify_steps(conn.execution_options(stream_results=True).exec_driver_sql))


def receipt_chain_problem(con, since: tuple[int, str] | None = None) -> ChainReport | None:
    """The check at start, on a sqlite3 connection: None for a database made before the chain
    existed, else the report (only the receipts after the checkpoint `since`, when given)."""
    columns = {r[1] for r in con.execute("PRAGMA table_info(tax_receipt)")}
    if "chain_hash" not in columns:
        return None
    return run_steps(verify_steps(con.execute, since=since))
