"""Writing a full rematch's matches on PostgreSQL: build a new table, then swap.

Millions of rows go by binary COPY into a fresh table without indexes (rows are
packed by numpy, no Python object per value); the indexes and constraints are built
once after the load (about three times faster than maintaining them row by row),
and the new table replaces the old one in one short transaction that also marks the
run finished. Readers see either the previous run or the new one, never a half-
written state; a run that fails leaves only the unfinished `<table>_next` behind,
which the next run drops. Index and constraint definitions are read from the live
table, so migrations that change them need no change here.
"""

import datetime
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from matching import engine
from matching.engine import Weights
from matching.models import BlockWorker, Match

CHUNK_ROWS = 500_000  # rows per COPY: bounds the packed buffer (~70 MB)
COPY_STREAMS = 2  # connections copying at once (one core each on the server)
COPY_READ_BYTES = 1 << 20  # psycopg2 reads the payload 8 KiB at a time by default
PG_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def next_table(table: str) -> str:
    """Where a rematch writes `table`'s new rows before the swap."""
    return f"{table}_next"


TABLE = Match._meta.db_table
NEXT_TABLE = next_table(TABLE)
BLOCK_WORKER_TABLE = BlockWorker._meta.db_table


def create_next_table(table: str = TABLE) -> None:
    """An empty copy of a table's columns, without indexes or constraints."""
    with connection.cursor() as cursor:
        _refuse_if_referenced(cursor, table)
        cursor.execute(f"DROP TABLE IF EXISTS {next_table(table)}")
        cursor.execute(
            f"CREATE TABLE {next_table(table)} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )


def copy_rows(run, encoded, rows, in_vacancy_top, in_worker_top, table: str = NEXT_TABLE) -> None:
    """Append Match rows to the next table (several processes may do so at once), or
    to another table with the same columns."""
    computed_at = (timezone.now() - PG_EPOCH) // datetime.timedelta(microseconds=1)
    for start in range(0, len(rows), CHUNK_ROWS):
        part = slice(start, min(start + CHUNK_ROWS, len(rows)))
        size = part.stop - part.start
        columns = {
            "run_id": np.full(size, run.pk, np.int64),
            "vacancy_id": encoded.vacancy_ids[rows.vacancy_at[part]],
            "profile_id": encoded.profile_ids[rows.worker_at[part]],
            "score": rows.score[part],
            "in_vacancy_top": in_vacancy_top[part],
            "in_worker_top": in_worker_top[part],
            **{
                name: rows.components[part, position]
                for position, name in enumerate(Weights.COMPONENTS)
            },
            "missing_skills": rows.missing_skills[part],
            "language_gaps": rows.language_gaps[part],
            "engine_version": np.full(size, engine.ENGINE_VERSION.encode()),
            "computed_at": np.full(size, computed_at, np.int64),  # timestamptz: µs
        }
        copy_columns(table, columns)


def copy_columns(table: str, columns: dict[str, np.ndarray]) -> None:
    """Append rows given as one array per column (numpy types as wide as the columns'
    types) by binary COPY, CHUNK_ROWS at a time."""
    names = ", ".join(columns)
    count = len(next(iter(columns.values())))
    with connection.cursor() as cursor:
        for start in range(0, count, CHUNK_ROWS):
            part = {name: values[start : start + CHUNK_ROWS] for name, values in columns.items()}
            cursor.cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary)",
                _pack(part),
                size=COPY_READ_BYTES,
            )


@contextmanager
def parallel_copy():
    """Yield ``write(job)``, which hands a copying job (a callable without arguments,
    as ``partial(copy_rows, …)``) to one of ``COPY_STREAMS`` threads, each copying
    over a connection of its own.

    One COPY keeps one PostgreSQL backend busy on one core; two streams write the
    rematch's 22 M rows about twice as fast. The queue holds one job per stream, so
    memory stays bounded. Inside a transaction the caller's own connection copies
    (other connections could not see the uncommitted next table). A stream's error
    is raised here; the next table is then left unswapped, as for any failure.
    """
    streams = COPY_STREAMS
    if connection.in_atomic_block or streams <= 1:
        yield lambda job: job()
        return
    jobs: queue.Queue = queue.Queue(maxsize=streams)
    errors: list[BaseException] = []

    def stream() -> None:
        try:
            while (job := jobs.get()) is not None:
                if not errors:  # after a failure, only drain, so that no put blocks
                    try:
                        job()
                    except BaseException as error:  # re-raised by the caller's thread
                        errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=stream, daemon=True) for _ in range(streams)]
    for thread in threads:
        thread.start()

    def write(job: Callable[[], None]) -> None:
        if errors:
            raise errors[0]
        jobs.put(job)

    try:
        yield write
    finally:
        for _ in threads:
            jobs.put(None)
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


def keep_best_worker_lists(k: int) -> None:
    """After a rematch split by occupation blocks: each part flagged a worker's best
    vacancies among its own; keep the k best over all parts (the top k of the union of
    the parts' top k lists is the overall top k) and drop rows left in no list."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {NEXT_TABLE} AS m SET in_worker_top = false
            FROM (
                SELECT id, row_number() OVER (
                    PARTITION BY profile_id ORDER BY score DESC, vacancy_id
                ) AS place
                FROM {NEXT_TABLE} WHERE in_worker_top
            ) AS ranked
            WHERE m.id = ranked.id AND ranked.place > %s
            """,  # noqa: S608 (the table name is ours)
            [k],
        )
        unlisted = "NOT in_worker_top AND NOT in_vacancy_top"
        cursor.execute(f"DELETE FROM {NEXT_TABLE} WHERE {unlisted}")  # noqa: S608


def swap(finish: Callable[[], None], tables: tuple[str, ...] = (TABLE,)) -> None:
    """Index each table's next table, then make them the live tables in one short
    transaction."""
    with connection.cursor() as cursor:
        renames = _build_indexes_and_constraints(cursor, tables)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '30s'")
        # Run deferred foreign-key checks now: a table with pending ones cannot be dropped
        # (only happens when the caller's transaction already wrote matches, as in tests).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        for table in tables:
            cursor.execute(f"DROP TABLE {table}")
            cursor.execute(f"ALTER TABLE {next_table(table)} RENAME TO {table}")
        for statement in renames:
            cursor.execute(statement)
        finish()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


class _Chunk:
    """A file-like view of one binary COPY payload, made of pieces that are read
    without joining them (psycopg2 reads the file in blocks)."""

    def __init__(self, *pieces):
        self.pieces = [memoryview(piece).cast("B") for piece in pieces]

    def read(self, size: int = -1) -> bytes:
        out = []
        while self.pieces and size != 0:
            piece = self.pieces[0]
            take = len(piece) if size < 0 else min(size, len(piece))
            out.append(piece[:take].tobytes())
            if take == len(piece):
                self.pieces.pop(0)
            else:
                self.pieces[0] = piece[take:]
            if size > 0:
                size -= take
        return b"".join(out)


def _pack(columns: dict[str, np.ndarray]) -> _Chunk:
    """Rows in PostgreSQL's binary COPY format, built column by column: each field is
    its length, then its value in network byte order."""
    kinds = {
        name: "?" if values.dtype == np.bool_ else values.dtype.newbyteorder(">")
        for name, values in columns.items()
    }
    dtype = [("fields", ">i2")]
    for name, kind in kinds.items():
        dtype += [(f"{name}_size", ">i4"), (name, kind)]
    packed = np.empty(len(next(iter(columns.values()))), dtype=np.dtype(dtype))
    packed["fields"] = len(columns)
    for name, values in columns.items():
        packed[f"{name}_size"] = np.dtype(kinds[name]).itemsize
        packed[name] = values
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8  # signature, flags, no extension
    return _Chunk(header, packed.view(np.uint8), b"\xff\xff")


def _build_indexes_and_constraints(cursor, tables: tuple[str, ...]) -> list[str]:
    """Give each table's next table the live table's indexes and constraints under
    temporary names (all index builds at once); return the statements that rename them
    to the real names after the swap."""
    cursor.execute("SET maintenance_work_mem = '512MB'")
    cursor.execute(
        """
        SELECT x.indrelid::regclass::text, i.relname, pg_get_indexdef(x.indexrelid),
               c.conname, c.contype
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
        WHERE x.indrelid = ANY(%s::regclass[])
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    _run_at_once(
        [
            definition.replace(f"INDEX {index} ON", f"INDEX {_temporary(index)} ON", 1).replace(
                f" ON public.{table} ", f" ON public.{next_table(table)} ", 1
            )
            for table, index, definition, _, _ in indexes
        ]
    )
    renames = []
    for table, index, _, constraint, kind in indexes:
        temporary = _temporary(index)
        if constraint:
            what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            cursor.execute(
                f"ALTER TABLE {next_table(table)} "
                f"ADD CONSTRAINT {temporary} {what} USING INDEX {temporary}"
            )
            renames.append(f"ALTER TABLE {table} RENAME CONSTRAINT {temporary} TO {constraint}")
        else:
            renames.append(f"ALTER INDEX {temporary} RENAME TO {index}")
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'c')",
            [table],
        )
        for constraint, definition in cursor.fetchall():
            temporary = _temporary(constraint)
            # NOT VALID: enforced for every later write without re-checking millions of
            # rows that were read from those very tables moments ago.
            cursor.execute(
                f"ALTER TABLE {next_table(table)} ADD CONSTRAINT {temporary} {definition} NOT VALID"
            )
            renames.append(f"ALTER TABLE {table} RENAME CONSTRAINT {temporary} TO {constraint}")
    cursor.execute("RESET maintenance_work_mem")
    return renames


def _run_at_once(statements: list[str]) -> None:
    """Run index builds at once, each over a connection of its own: a build's sort runs
    in parallel workers but its scan and write do not, so builds side by side keep both
    cores busier (26 s instead of 30 s for the three indexes of 22 M rows). Inside a
    transaction they run one after another on the caller's connection, the only one
    that sees the uncommitted next table."""

    def build(statement: str) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(statement)
        finally:
            if threading.current_thread() is not main:
                connection.close()  # this thread's own connection

    main = threading.current_thread()
    if connection.in_atomic_block or len(statements) < 2:
        for statement in statements:
            build(statement)
        return
    with ThreadPoolExecutor(max_workers=len(statements)) as pool:
        list(pool.map(build, statements))


def _temporary(name: str) -> str:
    return f"{name[:56]}__next"


def _refuse_if_referenced(cursor, table: str) -> None:
    """Dropping the table would break a foreign key pointing at it."""
    cursor.execute(
        "SELECT conrelid::regclass::text FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    referencing = [row[0] for row in cursor.fetchall()]
    if referencing:
        raise RuntimeError(f"{table} is referenced by {referencing}: it cannot be swapped")
