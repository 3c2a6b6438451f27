"""Bulk reading: query columns as numpy arrays (binary COPY on PostgreSQL), over one snapshot."""

import datetime
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BinaryField,
    BooleanField,
    DateField,
    FloatField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from matching.encoding.codebook import EPOCH

EPOCH_DATE = datetime.date(2000, 1, 1)  # PostgreSQL's binary dates count days from here
_KINDS = {
    # kind: (binary COPY type, numpy type, value for NULL, Django output field)
    "int": (">i8", np.int64, 0, BigIntegerField()),
    "float": (">f8", np.float64, 0.0, FloatField()),
    "bool": ("?", np.bool_, False, BooleanField()),
    "date": (">i4", np.int32, EPOCH_DATE, DateField()),
}


def _kind(kind) -> tuple:
    """_KINDS[kind]; a numpy record dtype is a fixed-width binary column (NOT NULL)."""
    if isinstance(kind, np.dtype):
        return (f"V{kind.itemsize}", kind, None, BinaryField())
    return _KINDS[kind]


def _column(expression, kind):
    """The expression, cast to the kind's type, NULL as the kind's value for NULL."""
    _, _, null, field = _kind(kind)
    if null is None:
        return Cast(expression, field)
    return Coalesce(Cast(expression, field), Value(null), output_field=field)


READ_STREAMS = 2  # reads at once: the server reads and sends each on a core of its own


def fetch_all(*reads: tuple[QuerySet, dict]) -> list[list[np.ndarray]]:
    """``fetch_columns(queryset, **columns)`` for each read, in order, all from one
    snapshot of the database.

    On PostgreSQL outside a transaction, READ_STREAMS reads run at once, each over a
    connection of its own that imports this connection's snapshot (so a worker edited
    meanwhile is read either before or after the edit in every table). Inside a
    transaction other connections could not see what the caller has not committed:
    the reads then run one after another in the caller's transaction.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(reads) < 2:
        return [fetch_columns(queryset, **columns) for queryset, columns in reads]

    def read(snapshot: str, job: tuple[QuerySet, dict]) -> list[np.ndarray]:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                return fetch_columns(job[0], **job[1])
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        with ThreadPoolExecutor(max_workers=READ_STREAMS) as pool:
            return list(pool.map(lambda job: read(snapshot, job), reads))


def fetch_columns(queryset: QuerySet, **columns) -> list[np.ndarray]:
    """Columns of `queryset`, each given as name=(kind, expression), as numpy arrays.

    Kinds: "int", "float", "bool", "date" (days since 2000-01-01), or a numpy record
    dtype for a binary column holding such records. NULL reads as 0, False or day 0.
    On PostgreSQL the rows come as one binary COPY read straight into a numpy record
    array, with no Python object per value; elsewhere through the ORM.
    """
    names = [f"_column_{name}" for name in columns]
    kinds = [kind for kind, _ in columns.values()]
    annotated = queryset.annotate(
        **{
            name: _column(expression, kind)
            for name, (kind, expression) in zip(names, columns.values(), strict=True)
        }
    ).values_list(*names)
    if connection.vendor != "postgresql":
        rows = list(annotated)
        return [
            _native([row[position] for row in rows], kind) for position, kind in enumerate(kinds)
        ]
    # Only annotations are selected, in the order they were added: the SELECT's order.
    sql, params = annotated.query.sql_with_params()
    dtype = [("fields", ">i2")]
    for position, kind in enumerate(kinds):
        dtype += [(f"size{position}", ">i4"), (f"value{position}", _kind(kind)[0])]
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    data = buffer.getbuffer()[19:-2]  # the file header and trailer
    if len(data) and int.from_bytes(data[:2], "big") != len(kinds):
        raise ValueError(f"the query selects other columns than asked: {query}")
    records = np.frombuffer(data, dtype=np.dtype(dtype))
    for position, kind in enumerate(kinds):
        if (records[f"size{position}"] != np.dtype(_kind(kind)[0]).itemsize).any():
            raise ValueError(f"column {list(columns)[position]!r} is not a {kind}")
    return [_typed(records[f"value{position}"], kind) for position, kind in enumerate(kinds)]


def _typed(values: np.ndarray, kind) -> np.ndarray:
    if isinstance(kind, np.dtype):  # bytes of a record each: reinterpret them
        return np.ascontiguousarray(values).view(kind)
    return values.astype(_KINDS[kind][1])


def _native(column: list, kind) -> np.ndarray:
    if isinstance(kind, np.dtype):
        if any(len(value) != kind.itemsize for value in column):
            raise ValueError(f"a value is not a record of {kind.itemsize} bytes")
        return np.frombuffer(b"".join(column), kind).copy()
    if kind == "date":
        return np.fromiter((day.toordinal() - EPOCH for day in column), np.int32, len(column))
    return np.array(column, dtype=_KINDS[kind][1])
