"""Small vectorised helpers shared by the generators: picking labels, fixed-point
formatting, random draws from per-row probability tables, atomic file writes."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl


def pick(vocabulary: Sequence[str], index: np.ndarray) -> pl.Series:
    """``vocabulary[index]`` as a string Series, without a Python loop per row."""
    return pl.Series(values=list(vocabulary), dtype=pl.String).gather(
        pl.Series(np.asarray(index, dtype=np.int64))
    )


def fixed(values: np.ndarray, decimals: int) -> pl.Series:
    """Format floats with exactly ``decimals`` decimals (``-118.24370``, ``29.85``)."""
    scaled = np.rint(np.asarray(values, dtype=np.float64) * 10**decimals).astype(np.int64)
    negative = scaled < 0
    scaled = np.abs(scaled)
    whole = pl.Series(scaled // 10**decimals).cast(pl.String)
    if decimals:
        frac = pl.Series(scaled % 10**decimals).cast(pl.String).str.zfill(decimals)
        text = whole + "." + frac
    else:
        text = whole
    return pl.select(
        pl.when(pl.Series(negative)).then(pl.lit("-") + text).otherwise(text)
    ).to_series()


def integers(values: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(values, dtype=np.int64)).cast(pl.String)


def join_columns(columns: Sequence[pl.Series], separator: str = ",") -> pl.Series:
    """Join same-length string Series field by field into lines (no quoting)."""
    frame = pl.DataFrame({f"c{i}": col for i, col in enumerate(columns)})
    return frame.select(pl.concat_str(pl.all(), separator=separator)).to_series()


def insert(lines: pl.Series, index: int, line: str) -> pl.Series:
    """``lines`` with ``line`` inserted before position ``index``."""
    extra = pl.Series([line], dtype=pl.String)
    return pl.concat([lines.slice(0, index), extra, lines.slice(index)])


def draw_categories(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category index per row of an (n, k) table of probabilities (rows need not sum to 1)."""
    probs = np.asarray(probabilities, dtype=np.float64)
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(probs.shape[0]) * cumulative[:, -1]
    return np.minimum((cumulative < u[:, None]).sum(axis=1), probs.shape[1] - 1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def write_lines(path: Path, header: str | None, lines: pl.Series) -> None:
    """Write an optional header and the lines, each ending in ``\\n``, as UTF-8.

    The lines go out verbatim (Polars' CSV writer with one column and no quoting).
    Atomic: the text goes to a temporary file beside ``path``, then ``os.replace``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            if header is not None:
                handle.write((header + "\n").encode("utf-8"))
            if len(lines):
                handle.flush()
                lines.to_frame().write_csv(
                    handle, include_header=False, quote_style="never", line_terminator="\n"
                )
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
