"""DataFrames → files researchers open: Parquet, CSV, Stata and Excel, written atomically.

In: a DataFrame and, optionally, the ``Field`` descriptions of its columns (``key``,
``zh``, ``en``; see ``govopen.dataset.codebook``). Out: one file per call, the format chosen by
the suffix of the path:

* ``.parquet`` — types kept (pyarrow);
* ``.csv`` — UTF-8 with a byte-order mark, so Excel shows the Chinese text;
* ``.dta`` — Stata 14+ (format 118, Unicode) with bilingual variable labels; names
  longer than Stata's 32 characters are shortened by ``stata_names`` (the codebook lists
  both);
* ``.xlsx`` — three header rows (key, 中文, English), then the data, and a ``codebook``
  sheet; read it back with ``pd.read_excel(path, skiprows=[1, 2])``.

Every write goes to a temporary file in the same folder and is then renamed over the
target (``govopen.files.atomic_write``): a run that is interrupted leaves the old file or none, never
half a file.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from ..files import atomic_write, release_memory

STATA_NAME_MAX = 32
STATA_LABEL_MAX = 80
EXCEL_MAX_ROWS = 1_048_576


def write_table(df: pd.DataFrame, path: str | os.PathLike, fields: Iterable = ()) -> Path:
    """Write ``df`` in the format named by the suffix of ``path``."""
    path = Path(path)
    writers = {".parquet": write_parquet, ".csv": write_csv, ".dta": write_stata,
               ".xlsx": write_excel}
    if path.suffix not in writers:
        raise ValueError(f"{path.name}: unknown format (use one of {', '.join(writers)})")
    return writers[path.suffix](df, path, fields)


def write_parquet(df: pd.DataFrame, path, fields: Iterable = ()) -> Path:
    return atomic_write(path, lambda p: df.to_parquet(p, index=False, engine="pyarrow"))


def write_csv(df: pd.DataFrame, path, fields: Iterable = ()) -> Path:
    return atomic_write(path, lambda p: _csv_chunks([df], p, list(df.columns)))


CSV_ROWS = 50_000  # rows turned into text at a time


# --- a table in chunks -------------------------------------------------------------------

def write_chunks(frames: Callable[[], Iterable[pd.DataFrame]], path: str | os.PathLike,
                 columns: list[str]) -> Path:
    """Write a table that comes in chunks (``frames()`` gives them, in order, each with
    ``columns``) as one ``.parquet`` file (a row group per chunk) or one ``.csv`` file,
    holding one chunk in memory at a time; the file is the one ``write_table`` writes for
    the whole table, and it appears whole or not at all."""
    path = Path(path)
    if path.suffix == ".parquet":
        return atomic_write(path, lambda p: _parquet_chunks(frames(), p, columns))
    if path.suffix == ".csv":
        return atomic_write(path, lambda p: _csv_chunks(frames(), p, columns))
    raise ValueError(f"{path.name}: chunks are written as .parquet or .csv")


def _parquet_chunks(frames: Iterable[pd.DataFrame], path: Path, columns: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = schema = None
    try:
        for df in frames:
            if len(df) == 0 and writer is not None:
                continue
            table = pa.Table.from_pandas(df, preserve_index=False)
            if writer is None:  # the first chunk: it sets the schema
                # a column with no value in the first chunk is text (numbers are typed)
                schema = pa.schema([f.with_type(pa.large_string()) if pa.types.is_null(f.type)
                                    else f for f in table.schema], metadata=table.schema.metadata)
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(table.cast(schema))
            del df, table
            release_memory()
        if writer is None:
            pd.DataFrame(columns=columns).to_parquet(path, index=False, engine="pyarrow")
    finally:
        if writer is not None:
            writer.close()


def _csv_chunks(frames: Iterable[pd.DataFrame], path: Path, columns: list[str]) -> None:
    first = True
    with open(path, "wb") as out:
        for df in frames:
            if first:  # the byte-order mark and the header, once
                out.write(df.iloc[:0].to_csv(index=False).encode("utf-8-sig"))
                first = False
            for i in range(0, len(df), CSV_ROWS):  # a slice at a time: text takes room
                out.write(csv_body(df.iloc[i:i + CSV_ROWS]))
            del df
            release_memory()
        if first:
            out.write(pd.DataFrame(columns=columns).to_csv(index=False).encode("utf-8-sig"))


def csv_body(df: pd.DataFrame) -> bytes:
    """The rows of ``df`` exactly as ``df.to_csv(index=False, header=False)`` writes them,
    in UTF-8, several times faster where every column is text, a float, an integer or a
    boolean: the values are turned into their CSV text column by column with pyarrow and
    written by pyarrow's CSV writer; by pandas otherwise."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    fields = [_csv_field(df[c]) for c in df.columns] if len(df.columns) > 1 else [None]
    if any(f is None for f in fields):
        return df.to_csv(index=False, header=False).encode("utf-8")
    table = pa.table(fields, names=[str(i) for i in range(len(fields))])
    out = pa.BufferOutputStream()
    try:  # as they are: right unless a value needs quotes, which the writer refuses
        pcsv.write_csv(table, out, pcsv.WriteOptions(include_header=False, quoting_style="none"))
        return out.getvalue().to_pybytes()
    except pa.ArrowInvalid:
        return _quoted_body(fields)


def _csv_field(col: pd.Series):
    """A column as the text of its CSV fields, unquoted (a pyarrow array; null for an
    empty field), or None for a kind of column left to pandas."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = col.dtype
    if dtype == np.float64:
        return _float_fields(col.to_numpy())
    if dtype == np.bool_:
        return pc.if_else(pa.array(col.to_numpy()), _text("True"), _text("False"))
    if dtype == np.int64 or isinstance(dtype, pd.Int64Dtype):
        return pc.cast(pa.array(col, from_pandas=True), pa.large_string())
    if not (isinstance(dtype, pd.StringDtype) or dtype == np.dtype(object)):
        return None
    try:
        text = pa.array(col, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)
            or pa.types.is_null(text.type)):
        return None
    text = pc.cast(text, pa.large_string())
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def _quoted_body(fields) -> bytes:
    """The rows from the fields of ``_csv_field``, quoted where pandas quotes them."""
    import pyarrow.compute as pc

    quoted = []
    for f in fields:
        needs = pc.fill_null(pc.match_substring_regex(f, _quote_needed()), False)
        if pc.any(needs).as_py():  # quote those few alone
            few = pc.filter(f, needs)
            few = pc.binary_join_element_wise(_text('"'), pc.replace_substring(few, '"', '""'),
                                              _text('"'), _text(""))
            f = pc.replace_with_mask(f, needs, few)
        quoted.append(pc.fill_null(f, _text("")))
    # field, ',', field, … , field, '\n': one join for the whole chunk
    parts = [p for f in quoted for p in (f, _text(","))]
    parts[-1] = _text("\n")
    return _string_data(pc.binary_join_element_wise(*parts, _text("")))


@functools.cache
def _quote_needed() -> str:
    """What makes pandas quote a field: a comma, a quote, a line break; and a carriage
    return on the Pythons whose csv module quotes it (as 3.12 does, and 3.11 does not)."""
    r = pd.DataFrame({"a": ["\r"], "b": [""]}).to_csv(index=False, header=False)
    return '[,"\n\r]' if r.startswith('"') else '[,"\n]'


def _float_fields(values):
    """Floats as pandas writes them (Python's shortest repr: '12.0', '0.35', '1e-05');
    NaN null. Whole numbers are formatted by pyarrow, the few others by Python."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    with np.errstate(invalid="ignore"):
        whole = (np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 1e15)
                 & ~((values == 0) & np.signbit(values)))
    ints = pa.array(np.where(whole, values, 0).astype(np.int64))
    text = pc.binary_join_element_wise(pc.cast(ints, pa.large_string()), _text(".0"), _text(""))
    other = ~whole & ~np.isnan(values)
    if other.any():
        text = pc.replace_with_mask(text, pa.array(other),
                                    pa.array([repr(v) for v in values[other].tolist()],
                                             pa.large_string()))
    return pc.if_else(pa.array(np.isnan(values)), pa.scalar(None, pa.large_string()), text)


def _text(s: str):
    import pyarrow as pa

    return pa.scalar(s, pa.large_string())


def _string_data(array) -> bytes:
    """The characters of a string array without nulls, one value after the other."""
    import numpy as np
    import pyarrow as pa

    if len(array) == 0:
        return b""
    array = array.cast(pa.large_string())
    _, offsets, data = array.buffers()
    at = np.frombuffer(offsets, dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    return data.to_pybytes()[at[0]:at[-1]]


# --- Stata ----------------------------------------------------------------------------

# Applied, in order, only to names too long for Stata.
_ABBREVIATIONS = (
    ("requests_", "req_"), ("reviews_", "rev_"), ("active_", "act_"),
    ("litigation", "lit"), ("three_security_one_stability", "security"),
    ("normative_documents", "normdocs"), ("not_processed", "notproc"),
    ("correction", "corr"), ("law_enforcement_file", "enforcement"),
    ("other_services", "othserv"), ("partially", "part"),
)


def stata_names(keys: Iterable[str]) -> dict[str, str]:
    """Column key -> a valid, unique Stata name (≤ 32 characters), deterministic."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        name = re.sub(r"\W", "_", str(key), flags=re.ASCII)
        if not re.match(r"[A-Za-z_]", name):
            name = "v" + name
        for long, short in _ABBREVIATIONS:
            if len(name) <= STATA_NAME_MAX:
                break
            name = name.replace(long, short)
        name = name[:STATA_NAME_MAX]
        n = 1
        while name in used:
            n += 1
            name = f"{name[:STATA_NAME_MAX - len(str(n)) - 1]}_{n}"
        used.add(name)
        out[key] = name
    return out


def stata_label(field) -> str:
    """'中文 English' when it fits Stata's 80 characters, else the English label."""
    both = f"{field.zh} {field.en}".strip()
    label = both if len(both) <= STATA_LABEL_MAX else field.en
    return label if len(label) <= STATA_LABEL_MAX else label[:STATA_LABEL_MAX - 1] + "…"


def write_stata(df: pd.DataFrame, path, fields: Iterable = ()) -> Path:
    by_key = {f.key: f for f in fields}
    names = stata_names(df.columns)
    out = pd.DataFrame({names[col]: _stata_column(df[col]) for col in df.columns},
                       index=df.index)
    labels = {names[c]: stata_label(by_key[c]) for c in df.columns if c in by_key}
    # strings longer than Stata's str2045 go in strL
    strl = [c for c in out.columns if out[c].dtype == object
            and max((len(s.encode("utf-8")) for s in out[c]), default=0) > 2045]
    return atomic_write(path, lambda p: out.to_stata(
        p, write_index=False, version=118, variable_labels=labels, convert_strl=strl))


def _stata_column(s: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(s):
        return s.astype("float64").astype("int8") if s.notna().all() else s.astype("float64")
    if pd.api.types.is_integer_dtype(s):
        return s.astype("int32") if s.notna().all() else s.astype("float64")
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")
    if s.dtype == object and s.dropna().map(lambda v: isinstance(v, bool)).all() \
            and s.notna().any():
        return s.map({True: 1.0, False: 0.0})  # a boolean column with gaps
    return s.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                 else str(v)).astype(object)


# --- Excel ----------------------------------------------------------------------------

def write_excel(df: pd.DataFrame, path, fields: Iterable = ()) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    fields = list(fields)
    if len(df) + 3 > EXCEL_MAX_ROWS:
        raise ValueError(f"{Path(path).name}: {len(df)} rows do not fit in an Excel sheet; "
                         "write Parquet or CSV instead")
    by_key = {f.key: f for f in fields}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.freeze_panes = "A4"

    def cell(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return None
        if isinstance(v, str):
            c = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", v))
            c.data_type = "s"  # never a formula, even when the text starts with '='
            return c
        return v.item() if hasattr(v, "item") else v

    keys = [str(c) for c in df.columns]
    ws.append(keys)
    ws.append([by_key[k].zh if k in by_key else "" for k in keys])
    ws.append([by_key[k].en if k in by_key else "" for k in keys])
    for row in df.itertuples(index=False, name=None):
        ws.append([cell(v) for v in row])
    if fields:
        book = wb.create_sheet("codebook")
        book.append(["key", "中文", "English", "type", "unit", "definition"])
        for f in fields:
            book.append([f.key, f.zh, f.en, f.type, f.unit, f.definition])
    return atomic_write(path, wb.save)
