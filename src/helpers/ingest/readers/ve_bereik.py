"""Reader for the VE-bereik registration (theme study jonge kind), plus the small layout engine
shared by the three registration readers of theme studies B (``ve_bereik``, ``reintegratie``,
``armoede``).

A registration layout is a CSV file (``;`` or ``,`` separated, UTF-8, header on line 1) whose
columns are declared in a :class:`Layout`: name, kind and allowed values. The reader recognises
the file from its header (all required columns present), validates every cell and raises
:class:`helpers.core.errors.InputError` naming file, line (header = line 1), column and what was
expected. Nothing is returned for a file with any bad cell, so ingest writes nothing partial.

Layout ``ve-bereik-csv`` (processed table ``ve_bereik``), one row per focus area and
indication cohort; see ``docs/layouts.md``::

    focusgebied;cohort;deelname_maanden;indicatie;toeleiding;aanmelding;start;deelname;gestopt
    heerlen-noord;2024-H1;6;48;41;35;31;27;3
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.errors import InputError
from helpers.core.schemas import STR, pa, register
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult
from helpers.registers.focusgebieden import focusgebied_ids

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

GEBIED_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PERIODE_RE = re.compile(r"^(?P<jaar>\d{4})-H(?P<half>[12])$")
DATUM_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Kolom:
    """One column of a registration layout.

    ``soort``: ``gebied`` (focus-area id, lowercase with hyphens), ``periode`` (``YYYY-H1`` /
    ``YYYY-H2``), ``aantal`` (integer >= 0), ``getal`` (decimal >= 0, point or comma),
    ``datum`` (ISO ``YYYY-MM-DD``), ``keuze`` (one of ``waarden``), ``id`` (non-empty text
    without spaces). ``leeg_toegestaan``: empty cell allowed (becomes missing).
    """

    naam: str
    soort: str
    waarden: tuple[str, ...] = ()
    leeg_toegestaan: bool = False
    omschrijving: str = ""


@dataclass(frozen=True)
class Layout:
    """A raw CSV registration layout: its format id, processed table, columns and row key."""

    formaat: str
    tabel: str
    kolommen: tuple[Kolom, ...]
    sleutel: tuple[str, ...]
    rijcontroles: tuple[Callable[[dict], tuple[str, str] | None], ...] = field(default=())

    @property
    def namen(self) -> tuple[str, ...]:
        return tuple(k.naam for k in self.kolommen)


def _verwacht(k: Kolom) -> str:
    return {
        "gebied": "focusgebied-id uit params/focusgebieden.yml, bv. 'heerlen-noord'",
        "periode": "periode als JJJJ-H1 of JJJJ-H2",
        "aantal": "geheel getal >= 0",
        "getal": "getal >= 0",
        "datum": "datum als JJJJ-MM-DD",
        "keuze": "een van: " + ", ".join(repr(w) for w in k.waarden),
        "id": "niet-lege code zonder spaties",
    }[k.soort]


def _bekende_gebieden() -> frozenset[str]:
    """Focus-area ids of the registry (``params/focusgebieden.yml``)."""

    return frozenset(focusgebied_ids())


def _cel(k: Kolom, waarde: str, gebieden: frozenset[str] = frozenset()):
    """Parse one cell; return the value or raise ValueError."""
    import datetime as dt

    if waarde == "":
        if k.leeg_toegestaan:
            return None
        raise ValueError("lege cel")
    if k.soort == "gebied":
        if not GEBIED_RE.match(waarde) or (gebieden and waarde not in gebieden):
            raise ValueError(f"onbekend focusgebied {waarde!r}")
        return waarde
    if k.soort == "periode":
        if not PERIODE_RE.match(waarde):
            raise ValueError(f"ongeldige periode {waarde!r}")
        return waarde
    if k.soort == "aantal":
        if not re.fullmatch(r"\d+", waarde):
            raise ValueError(f"geen geheel getal >= 0: {waarde!r}")
        return int(waarde)
    if k.soort == "getal":
        if not re.fullmatch(r"\d+([.,]\d+)?", waarde):
            raise ValueError(f"geen getal >= 0: {waarde!r}")
        return float(waarde.replace(",", "."))
    if k.soort == "datum":
        if not DATUM_RE.match(waarde):
            raise ValueError(f"ongeldige datum {waarde!r}")
        return dt.date.fromisoformat(waarde)
    if k.soort == "keuze":
        if waarde not in k.waarden:
            raise ValueError(f"onbekende waarde {waarde!r}")
        return waarde
    if k.soort == "id":
        if re.search(r"\s", waarde):
            raise ValueError(f"ongeldige code {waarde!r}")
        return waarde
    raise AssertionError(f"unknown column kind {k.soort}")  # pragma: no cover


def matches_layout(header: Header, layout: Layout) -> bool:
    """True when a text file's header holds every column of ``layout``."""
    return header.sheet is None and set(layout.namen) <= set(header.columns)


def read_layout(header: Header, layout: Layout, gebieden: frozenset[str] | None = None) -> pd.DataFrame:
    """Read and validate a whole registration CSV against ``layout``.

    Returns a DataFrame with the layout's columns plus the source line ``_regel`` (``aantal`` as int64, ``getal`` as
    float64, ``datum`` as datetime64, the rest as str). Raises :class:`InputError` for: a
    missing column (line 1), an extra column (line 1), a bad cell (its line and column), a
    row check that fails, a duplicate key (line of the second occurrence) or a file without
    data rows. ``gebieden``: allowed focus-area ids (default: the registry's ids).
    """
    import csv
    import io

    import pandas as pd

    path = header.path
    if gebieden is None:
        gebieden = _bekende_gebieden()
    encoding = header.encoding or "utf-8-sig"
    delimiter = header.delimiter or ";"
    data = header.data if header.data is not None else Path(path).read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"tekencodering klopt niet ({exc.reason})", expected="UTF-8") from None
    with io.StringIO(text, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            kop = [c.strip().lstrip("\ufeff").strip('"').strip() for c in next(reader)]
        except StopIteration:
            raise InputError(path, "leeg bestand", line=1, expected="kopregel met kolomnamen") from None
        ontbrekend = [n for n in layout.namen if n not in kop]
        if ontbrekend:
            raise InputError(path, f"kolom ontbreekt: {ontbrekend[0]}", line=1,
                             column=ontbrekend[0], expected=", ".join(layout.namen))
        extra = [c for c in kop if c not in layout.namen]
        if extra:
            raise InputError(path, f"onbekende kolom {extra[0]!r}", line=1, column=extra[0],
                             expected="alleen de kolommen " + ", ".join(layout.namen))
        index = {n: kop.index(n) for n in layout.namen}
        per_kolom: dict[str, list] = {n: [] for n in (*layout.namen, LINE_COL)}
        gezien: dict[tuple, int] = {}
        for regel, cellen in enumerate(reader, start=2):
            if not any(c.strip() for c in cellen):
                continue  # blank line
            if len(cellen) != len(kop):
                raise InputError(path, f"{len(cellen)} cellen in plaats van {len(kop)}", line=regel,
                                 expected=f"{len(kop)} cellen gescheiden door '{delimiter}'")
            rij: dict = {}
            for k in layout.kolommen:
                ruw = cellen[index[k.naam]].strip()
                try:
                    rij[k.naam] = _cel(k, ruw, gebieden)
                except ValueError as exc:
                    raise InputError(path, str(exc), line=regel, column=k.naam,
                                     expected=_verwacht(k)) from None
            for controle in layout.rijcontroles:
                fout = controle(rij)
                if fout:
                    kolom, uitleg = fout
                    raise InputError(path, uitleg, line=regel, column=kolom)
            sleutel = tuple(rij[s] for s in layout.sleutel)
            if sleutel in gezien:
                raise InputError(path, f"dubbele sleutel {sleutel} (ook op regel {gezien[sleutel]})",
                                 line=regel, column=layout.sleutel[-1],
                                 expected="één regel per " + " + ".join(layout.sleutel))
            gezien[sleutel] = regel
            for n in layout.namen:
                per_kolom[n].append(rij[n])
            per_kolom[LINE_COL].append(regel)
    if not gezien:
        raise InputError(path, "geen gegevensregels", line=2, expected="minstens één regel na de kopregel")
    df = pd.DataFrame(per_kolom)
    for k in layout.kolommen:
        if k.soort == "aantal":
            df[k.naam] = df[k.naam].astype("int64")
        elif k.soort == "getal":
            df[k.naam] = df[k.naam].astype("float64")
        elif k.soort == "datum":
            df[k.naam] = pd.to_datetime(df[k.naam])
        else:
            df[k.naam] = df[k.naam].astype(object)
    df[LINE_COL] = df[LINE_COL].astype("int64")
    return df


def schema_van(layout: Layout):
    """The pandera schema of a layout's processed table (key = ``layout.sleutel``)."""

    kolommen = {}
    for k in layout.kolommen:
        checks = []
        if k.soort == "aantal":
            dtype, checks = "int64", [pa.Check.ge(0)]
        elif k.soort == "getal":
            dtype, checks = "float64", [pa.Check.ge(0)]
        elif k.soort == "datum":
            dtype = "datetime64[ns]"
        else:
            dtype = STR
            if k.soort == "keuze":
                checks = [pa.Check.isin(list(k.waarden))]
            elif k.soort == "periode":
                checks = [pa.Check.str_matches(PERIODE_RE.pattern)]
            elif k.soort == "gebied":
                checks = [pa.Check.str_matches(GEBIED_RE.pattern)]
        kolommen[k.naam] = pa.Column(dtype, checks, nullable=k.leeg_toegestaan)
    return pa.DataFrameSchema(kolommen, unique=list(layout.sleutel), strict=True, ordered=True,
                              name=layout.tabel)


def register_layout(layout: Layout) -> None:
    """Register the layout's processed-table schema in :data:`helpers.core.schemas.SCHEMAS`."""

    register(layout.tabel, schema_van(layout))


def layout_markdown(layout: Layout) -> str:
    """Markdown table of a layout's columns (used to keep ``docs/layouts.md`` in sync)."""
    regels = ["| kolom | soort | verplicht | toegestane waarden / betekenis |", "| --- | --- | --- | --- |"]
    for k in layout.kolommen:
        waarden = ", ".join(f"`{w}`" for w in k.waarden) if k.waarden else _verwacht(k)
        uitleg = f"{k.omschrijving}; {waarden}" if k.omschrijving else waarden
        regels.append(f"| `{k.naam}` | {k.soort} | {'nee' if k.leeg_toegestaan else 'ja'} | {uitleg} |")
    return "\n".join(regels)


# --------------------------------------------------------------------------- VE-bereik layout

VE_BEREIK = Layout(
    formaat="ve-bereik-csv",
    tabel="ve_bereik",
    kolommen=(
        Kolom("focusgebied", "gebied"),
        Kolom("cohort", "periode", omschrijving="halfjaar waarin de kinderen een ve-indicatie kregen"),
        Kolom("deelname_maanden", "aantal",
              omschrijving="N: 'deelname' telt kinderen die N maanden na de start nog deelnemen"),
        Kolom("indicatie", "aantal", omschrijving="kinderen met een ve-indicatie in het cohort"),
        Kolom("toeleiding", "aantal", omschrijving="van wie ouders bereikt zijn (toeleiding/contact)"),
        Kolom("aanmelding", "aantal", omschrijving="van wie aangemeld bij een ve-locatie"),
        Kolom("start", "aantal", omschrijving="van wie gestart met ve"),
        Kolom("deelname", "aantal", omschrijving="van wie na N maanden nog deelneemt"),
        Kolom("gestopt", "aantal", omschrijving="van wie gestart en daarna voortijdig gestopt (uitval)"),
    ),
    sleutel=("focusgebied", "cohort"),
)


class _VeBereikReader:
    formaat = VE_BEREIK.formaat
    beschrijving = "VE-bereik per focusgebied en cohort (focusgebied, cohort, indicatie ... gestopt)"

    def matches(self, header: Header) -> bool:
        return matches_layout(header, VE_BEREIK)

    def read(self, header: Header) -> ReadResult:
        df = read_layout(header, VE_BEREIK)
        jaar = int(df["cohort"].str[:4].astype(int).max())
        return ReadResult(tables={VE_BEREIK.tabel: df}, formaat=self.formaat, jaar=jaar, rijen=len(df))


READER = _VeBereikReader()
register_layout(VE_BEREIK)
