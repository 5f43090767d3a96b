"""Outcome rows -> an Arrow table -> Parquet, plus the run manifest; all writes atomic."""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sim.model import vocab
from sim.model.outcome import COLUMN_NAMES, COLUMNS

_ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}
# Ladder columns, stored as ordered dictionaries holding every step in rising order: pandas reads
# them as ordered categoricals, so sorting and ``df.japan_level > "none"`` follow the ladder, and
# a step no replication reached is still a category.
LADDERS: dict[str, tuple[str, ...]] = {"japan_level": tuple(vocab.JAPAN_LEVELS),
                                       "us_posture": tuple(vocab.US_POSTURES)}
LADDER_TYPE = pa.dictionary(pa.int8(), pa.string(), ordered=True)


def _type(name: str, kind: str) -> pa.DataType:
    return LADDER_TYPE if name in LADDERS and kind == "str" else _ARROW[kind]


# Every column any scenario can have; a run's table has those of its scenario's processes.
SCHEMA = pa.schema([pa.field(name, _type(name, kind), metadata={"description": doc})
                    for name, kind, doc in COLUMNS])


def schema_for(names) -> pa.Schema:
    """The schema of a table with columns ``names`` (a scenario's ``column_names``, and its
    ``draw.*`` columns)."""
    return pa.schema([draw_field(n) if n.startswith(DRAW_PREFIX) else SCHEMA.field(n)
                      for n in names])


DRAW_PREFIX = "draw."  # sim.model.draws.PREFIX


def draw_field(name: str) -> pa.Field:
    """The field of a ``draw.<YAML path>`` column (``sim.model.draws``)."""
    return pa.field(name, pa.float64(), metadata={
        "description": f"This replication's draw of {name[len(DRAW_PREFIX):]}."})


def ladder_array(values, steps: tuple[str, ...]) -> pa.DictionaryArray:
    """``values`` (strings, None for null) as an ordered dictionary over every step."""
    index = {s: i for i, s in enumerate(steps)}
    codes = pa.array([None if v is None else index.get(v) for v in values], pa.int8())
    unknown = [v for v, c in zip(values, codes.to_pylist()) if v is not None and c is None]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a step of the ladder {', '.join(steps)}")
    return pa.DictionaryArray.from_arrays(codes, pa.array(list(steps), pa.string()),
                                          ordered=True)


def with_ladders(table: pa.Table) -> pa.Table:
    """``table`` with its ladder columns as full ordered dictionaries (a run folder written
    before they were, or a column read back with a dictionary of only the values it holds)."""
    import pyarrow.compute as pc
    for name, steps in LADDERS.items():
        if name not in table.column_names:
            continue
        i = table.column_names.index(name)
        col = table.column(name)
        if col.type == LADDER_TYPE and all(
                c.dictionary.to_pylist() == list(steps) for c in col.chunks):
            continue
        codes = pc.index_in(pc.cast(col, pa.string()), value_set=pa.array(list(steps)))
        if pc.sum(pc.and_(pc.is_null(codes), pc.is_valid(col))).as_py():
            continue  # values outside the ladder: leave the column as it is, not half-converted
        arr = pa.chunked_array(
            [pa.DictionaryArray.from_arrays(pc.cast(c, pa.int8()), pa.array(list(steps)),
                                            ordered=True) for c in codes.chunks],
            type=LADDER_TYPE)
        field = table.schema.field(name).with_type(LADDER_TYPE)
        table = table.set_column(i, field, arr)
    return table


def to_table(rows: list[tuple], names=None) -> pa.Table:
    """Columns from rows (``sim.model.outcome.Row``s carry their column names; plain tuples are
    in ``names`` order, by default every column); None becomes null."""
    if names is None:
        names = getattr(rows[0], "columns", COLUMN_NAMES) if rows else COLUMN_NAMES
    schema = schema_for(names)
    cols = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.Table.from_arrays([values_array(list(col), f) for col, f in zip(cols, schema)],
                                schema=schema)


def values_array(values: list, field: pa.Field) -> pa.Array:
    """One column of ``field`` from Python values (None is null)."""
    if field.type == LADDER_TYPE:
        return ladder_array(values, LADDERS[field.name])
    return pa.array(values, type=field.type)


def conform(table: pa.Table, schema: pa.Schema = SCHEMA) -> pa.Table:
    """``table`` with ``schema``'s columns in its order: columns a scenario's processes did not
    fill become nulls (to stack runs of scenarios with different processes)."""
    n = table.num_rows
    cols = [table.column(f.name) if f.name in table.column_names else pa.nulls(n, f.type)
            for f in schema]
    return pa.Table.from_arrays(cols, schema=schema)


def error_count(table: pa.Table) -> int:
    if "status" not in table.column_names:
        return 0
    import pyarrow.compute as pc
    return int(pc.sum(pc.equal(table.column("status"), "error")).as_py() or 0)


def ok_rows(table: pa.Table) -> pa.Table:
    """Rows of replications that finished (rows with ``status == "error"`` carry no outcome)."""
    if "status" not in table.column_names:
        return table
    import pyarrow.compute as pc
    if not error_count(table):
        return table  # filtering copies every column: not worth it when nothing failed
    return table.filter(pc.fill_null(pc.not_equal(table.column("status"), "error"), True))


class ColumnFile:
    """A run's ``outcomes.parquet`` read one column at a time, for the readers that look at a
    column at a time (summaries, figures): at a million replications the whole table is about
    a gigabyte, one column 8 MB. Offers the part of ``pyarrow.Table`` they use (``column_names``,
    ``num_rows``, ``column``, ``filter``), so they take either. Text columns, which the readers
    ask for again and again (``outcome`` for every decided-day mask), are kept once read."""

    def __init__(self, path, keep=None, _mask=None, _file=None):
        self.path = Path(path)
        # read one column chunk at a time; by default Arrow pre-buffers whole row groups
        self._pf = _file or pq.ParquetFile(self.path, buffer_size=1 << 20, pre_buffer=False)
        whole = self._pf.schema_arrow  # built anew by each call: read it once
        wanted = set(whole.names if keep is None else keep)
        self.schema = pa.schema([f for f in whole if f.name in wanted], metadata=whole.metadata)
        self.column_names = self.schema.names
        self._mask = _mask
        self._kept: dict[str, pa.ChunkedArray] = {}

    @property
    def num_rows(self) -> int:
        if self._mask is None:
            return self._pf.metadata.num_rows
        return int(self._mask.true_count)

    def column(self, name: str) -> pa.ChunkedArray:
        if name in self._kept:
            return self._kept[name]
        if name not in self.column_names:
            raise KeyError(f"{self.path}: no column {name}")
        try:
            col = self._pf.read(columns=[name], use_threads=False).column(0)
        except (OSError, pa.ArrowException) as exc:  # a damaged column chunk, read late
            from sim.errors import OutputError
            raise OutputError(f"{self.path}: cannot read column {name}: "
                              f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                              ) from None
        if self._mask is not None:
            col = col.filter(self._mask)
        t = col.type.value_type if pa.types.is_dictionary(col.type) else col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            self._kept[name] = col
        return col

    def read(self, names) -> pa.Table:
        """Columns ``names`` (of this view's rows) as an Arrow table."""
        return pa.Table.from_arrays([self.column(n) for n in names],
                                    schema=pa.schema([self.schema.field(n) for n in names]))

    def filter(self, mask) -> ColumnFile:
        """The same file seen through a row mask (boolean, one value per row of this view)."""
        import pyarrow.compute as pc
        mask = mask.combine_chunks() if isinstance(mask, pa.ChunkedArray) else mask
        if self._mask is not None:  # a mask over this view's rows -> one over the file's
            mask = pc.replace_with_mask(self._mask, self._mask, mask)
        return ColumnFile(self.path, self.column_names, mask, self._pf)

    def close(self) -> None:
        self._pf.close()

    def __enter__(self) -> ColumnFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def versions() -> dict:
    import numpy
    import simpy

    from sim import __version__
    return {"straitsim": __version__, "python": platform.python_version(),
            "numpy": numpy.__version__, "simpy": simpy.__version__, "pyarrow": pa.__version__}


def write_run(out: Path, table: pa.Table, manifest: dict, extra_files: dict | None = None) -> None:
    """Write ``outcomes.parquet``, ``manifest.json`` and ``extra_files`` (name -> writer callable
    taking a path) into ``out``. Everything is written to a temporary folder beside ``out`` first
    and moved in only when complete, so a failure leaves no half-written file."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the run folder should not be
    try:
        pq.write_table(table, tmp / "outcomes.parquet")
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        for name, writer in (extra_files or {}).items():
            writer(tmp / name)
        if not out.exists():
            os.replace(tmp, out)
            return
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
