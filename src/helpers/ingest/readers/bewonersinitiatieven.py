"""Reader for the register of bewonersinitiatieven (theme study sociale cohesie).

Layout ``bewonersinitiatieven-csv`` (processed table ``bewonersinitiatieven``), one row per
initiative supported in a year; see docs/layouts.md, "Bewonersinitiatieven"::

    initiatief_id;focusgebied;jaar;themas;budget_euro;deelnemers;organisatoren
    LO-2024-01;Leeuwarden Oost;2024;ontmoeting;2500;40;3

- ``initiatief_id``: unique code without spaces; ``focusgebied``: id, name or alias from
  params/focusgebieden.yml; ``jaar``: 2015-2100.
- ``themas``: one or more of :data:`THEMAS` separated by ``;`` (quote the cell in a ``;`` file).
- ``budget_euro``: SPUK KW contribution in euro (>= 0, decimal point or comma, no thousands
  separator); ``deelnemers``: residents taking part (integer >= 0, empty = unknown);
  ``organisatoren``: residents organising it (integer >= 1).

Every cell is validated; any bad cell raises :class:`helpers.core.errors.InputError` naming file,
line (header = 1) and column, so nothing of the file is written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from helpers.core.errors import InputError
from helpers.core.schemas import pa, register
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult
from helpers.registers.focusgebieden import resolve_gebied

FORMAAT = "bewonersinitiatieven-csv"
TABEL = "bewonersinitiatieven"
KOLOMMEN = ["initiatief_id", "focusgebied", "jaar", "themas", "budget_euro", "deelnemers",
            "organisatoren"]
THEMAS = ("ontmoeting", "jongeren", "ouderen", "groen_en_buurt", "armoede", "gezondheid",
          "cultuur", "veiligheid", "taal_en_ontwikkeling")


def rijen(header: Header, kolommen: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: stripped cell})`` for every non-blank data row of a text file.

    Raises :class:`InputError` for an empty file, a missing column (line 1), a row with more or
    fewer cells than the header, or a file without data rows.
    """
    path = header.path
    data = header.data if header.data is not None else path.read_bytes()
    try:
        text = data.decode(header.encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"tekencodering klopt niet ({exc.reason})", expected="UTF-8") from None
    delim = header.delimiter or ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        kop = [c.replace("\ufeff", "").strip() for c in next(reader)]
    except StopIteration:
        raise InputError(path, "leeg bestand", line=1, expected="kopregel met " + ", ".join(kolommen)) from None
    for k in kolommen:
        if k not in kop:
            raise InputError(path, f"kolom '{k}' ontbreekt", line=1, column=k,
                             expected=", ".join(kolommen))
    n = 0
    for cellen in reader:
        line = reader.line_num
        if not any(c.strip() for c in cellen):
            continue
        if len(cellen) != len(kop):
            raise InputError(path, f"{len(cellen)} cellen in plaats van {len(kop)}", line=line,
                             expected=f"{len(kop)} cellen gescheiden door '{delim}'")
        n += 1
        yield line, {k: c.strip() for k, c in zip(kop, cellen, strict=True)}
    if n == 0:
        raise InputError(path, "geen gegevens onder de kopregel", line=2, expected="minstens één rij")


def gebied(waarde: str, path, line: int, column: str = "focusgebied") -> str:
    """Resolve a focus-area id/name/alias through the registry, or raise InputError."""

    try:
        return resolve_gebied(waarde)
    except Exception:
        raise InputError(path, f"onbekend focusgebied '{waarde}'", line=line, column=column,
                         expected="een id, naam of alias uit params/focusgebieden.yml") from None


def geheel(waarde: str, path, line: int, column: str, *, minimum: int = 0,
           maximum: int | None = None, leeg: bool = False) -> int | None:
    """Parse an integer cell within bounds (``leeg``: empty allowed -> None)."""
    if waarde == "" and leeg:
        return None
    bereik = f"geheel getal >= {minimum}" + (f" en <= {maximum}" if maximum is not None else "")
    if not re.fullmatch(r"-?\d+", waarde):
        raise InputError(path, f"geen geheel getal: '{waarde}'", line=line, column=column, expected=bereik)
    v = int(waarde)
    if v < minimum or (maximum is not None and v > maximum):
        raise InputError(path, f"waarde {v} buiten bereik", line=line, column=column, expected=bereik)
    return v


def _register_schema() -> None:

    register(TABEL, pa.DataFrameSchema(
        {
            "initiatief_id": pa.Column(str),
            "focusgebied": pa.Column(str),
            "jaar": pa.Column("int64", pa.Check.in_range(2015, 2100)),
            "themas": pa.Column(str),
            "budget_euro": pa.Column("float64", pa.Check.ge(0)),
            "deelnemers": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "organisatoren": pa.Column("int64", pa.Check.ge(1)),
        },
        unique=["initiatief_id"], strict=True, ordered=True, name=TABEL,
    ))


class _Reader:
    formaat = FORMAAT
    beschrijving = ("bewonersinitiatieven: kolommen initiatief_id, focusgebied, jaar, themas, "
                    "budget_euro, deelnemers, organisatoren")

    def matches(self, header: Header) -> bool:
        return header.sheet is None and set(KOLOMMEN) <= set(header.columns)

    def read(self, header: Header) -> ReadResult:
        import pandas as pd

        _register_schema()
        p = header.path
        out = []
        for line, r in rijen(header, KOLOMMEN):
            if not r["initiatief_id"] or re.search(r"\s", r["initiatief_id"]):
                raise InputError(p, f"ongeldige code '{r['initiatief_id']}'", line=line,
                                 column="initiatief_id", expected="niet-lege code zonder spaties")
            themas = [t.strip() for t in r["themas"].split(";") if t.strip()]
            if not themas:
                raise InputError(p, "geen thema", line=line, column="themas",
                                 expected="een of meer van: " + ", ".join(THEMAS))
            for t in themas:
                if t not in THEMAS:
                    raise InputError(p, f"onbekend thema '{t}'", line=line, column="themas",
                                     expected="een of meer van: " + ", ".join(THEMAS))
            budget = r["budget_euro"].replace(",", ".")
            if not re.fullmatch(r"\d+(\.\d+)?", budget):
                raise InputError(p, f"geen bedrag: '{r['budget_euro']}'", line=line,
                                 column="budget_euro",
                                 expected="bedrag in euro >= 0 zonder duizendtallen, bv. 2500 of 2500,50")
            out.append({
                "initiatief_id": r["initiatief_id"],
                "focusgebied": gebied(r["focusgebied"], p, line),
                "jaar": geheel(r["jaar"], p, line, "jaar", minimum=2015, maximum=2100),
                "themas": ";".join(themas),
                "budget_euro": float(budget),
                "deelnemers": geheel(r["deelnemers"], p, line, "deelnemers", leeg=True),
                "organisatoren": geheel(r["organisatoren"], p, line, "organisatoren", minimum=1),
                LINE_COL: line,
            })
        df = pd.DataFrame(out)
        df["deelnemers"] = df["deelnemers"].astype("Int64")
        df["jaar"] = df["jaar"].astype("int64")
        dup = df["initiatief_id"].duplicated()
        if dup.any():
            i = int(dup.idxmax())
            raise InputError(p, f"initiatief_id '{df.at[i, 'initiatief_id']}' komt twee keer voor",
                             line=int(df.at[i, LINE_COL]), column="initiatief_id",
                             expected="unieke codes")
        return ReadResult(tables={TABEL: df}, formaat=self.formaat, jaar=int(df["jaar"].max()),
                          rijen=len(df))


READER = _Reader()
