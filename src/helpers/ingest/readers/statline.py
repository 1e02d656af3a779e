"""CBS StatLine export "CSV met statistische symbolen" for tables by wijk and buurt.

Two shapes occur (both ``;`` separated, UTF-8 with BOM, every cell quoted, codes and region
types padded with spaces, ``.`` for unknown):

- KWB style (e.g. 85984NED, Kerncijfers wijken en buurten 2024)::

    "Wijken en buurten";"Regioaanduiding/Gemeentenaam (naam)";"Regioaanduiding/Soort regio
    (omschrijving)";"Regioaanduiding/Codering (code)";"Regioaanduiding/Indelingswijziging
    gemeente, wijk, buurt (code)";"Bevolking/Aantal inwoners (aantal)";...

  A single-period export has no period column: the year comes from the file name.
- With a period column (e.g. SES-WOA)::

    "Perioden";"Wijken en buurten";"Regiocode (gemeente, wijk, buurt) (code)";
    "Particuliere huishoudens (Aantal)";...

Recognised by the dimension column ``Wijken en buurten``; a region-code column (a header with
``Codering`` or ``Regiocode`` ending in ``(code)``) is required. Columns whose header ends in
``(naam)``, ``(omschrijving)`` or ``(code)`` are descriptive; every other column is a numeric
variable and goes to ``kwb`` with ``variabele`` = the full header text. The indelingswijziging
column goes to ``regions``. Numbers are padded with spaces; a decimal comma is accepted.
"""

from __future__ import annotations

import re

from helpers.core.errors import InputError
from helpers.ingest.readers import common
from helpers.ingest.readers.base import Header, ReadResult

NAME_COL = "Wijken en buurten"
PERIOD_COL = "Perioden"
CODE_COL_RE = re.compile(r"(Codering|Regiocode).*\(code\)$")
DESCRIPTIVE_RE = re.compile(r"\((naam|omschrijving|code)\)$")


YEAR_FROM_NAME = "(jaartal in de bestandsnaam)"


def _source_columns(code_col: str, soort_col: str | None, iw_col: str | None, jaar_col: str
                    ) -> dict[str, dict[str, str]]:
    regions = {"code": code_col, "naam": NAME_COL, "indelingsjaar": jaar_col}
    if soort_col:
        regions["soort"] = soort_col
    if iw_col:
        regions["indelingswijziging"] = iw_col
    return {"kwb": {"code": code_col, "jaar": jaar_col}, "regions": regions}


def _find(columns: tuple[str, ...], pattern: str) -> str | None:
    return next((c for c in columns if re.search(pattern, c)), None)


class StatLineReader:
    formaat = "statline-csv"
    beschrijving = ("CBS StatLine 'CSV met statistische symbolen' (Wijken en buurten, "
                    "Regioaanduiding/Codering (code) of Regiocode (...) (code), [Perioden])")

    def matches(self, header: Header) -> bool:
        return header.data is not None and NAME_COL in header.columns

    def read(self, header: Header) -> ReadResult:
        path, cols = header.path, header.columns
        code_col = next((c for c in cols if CODE_COL_RE.search(c)), None)
        if code_col is None:
            raise InputError(path, "verplichte kolom 'Regioaanduiding/Codering (code)' ontbreekt "
                             f"(herkend als {self.formaat})", line=1,
                             column="Regioaanduiding/Codering (code)",
                             expected="een kolom met de gebiedscode, zoals 'Regioaanduiding/"
                             "Codering (code)' of 'Regiocode (gemeente, wijk, buurt) (code)'")
        soort_col = _find(cols, r"Soort regio")
        iw_col = _find(cols, r"Indelingswijziging.*\(code\)$")

        variables = [c for c in cols  # "" = empty column after a trailing delimiter
                     if c and c not in (NAME_COL, PERIOD_COL) and not DESCRIPTIVE_RE.search(c)]
        df, values = common.read_wide(header, variables, path, common.CBS)
        common.require_rows(df, path)
        common.check_quantities(values, path)  # counts whole and >= 0, percentages 0-100
        codes = common.clean_codes(df[code_col], path, code_col)
        if soort_col:
            common.check_soort_column(df[soort_col], common.soort_of(codes), path, soort_col)

        if PERIOD_COL in cols:
            jaar = common.years_from_column(df[PERIOD_COL], path, PERIOD_COL)
        else:
            y = common.year_from_name(path)
            if y is None:
                raise InputError(path, "geen jaar gevonden: geen kolom 'Perioden' en geen jaartal "
                                 "in de bestandsnaam", line=1, column=PERIOD_COL,
                                 expected="een kolom 'Perioden' of een jaartal in de naam, "
                                 "zoals kwb-2024-....csv")
            jaar = y

        iw = common.to_int_codes(df[iw_col], path, iw_col) if iw_col else None
        regions = common.region_rows(codes, df[NAME_COL], jaar, iw)

        kwb = common.long_table(codes, jaar, values)

        years = sorted({int(v) for v in regions["indelingsjaar"].unique()})
        return ReadResult(
            tables={"kwb": kwb, "regions": regions},
            formaat=self.formaat,
            jaar=years[0] if len(years) == 1 else None,
            notes=[f"{len(variables)} variabelen", "jaar uit " + (
                "kolom Perioden" if PERIOD_COL in cols else "bestandsnaam")],
            rijen=len(df),
            # KWB-style exports carry indelingswijziging and official names: they win.
            voorrang=2 if iw_col else 1,
            bronkolommen=_source_columns(code_col, soort_col, iw_col,
                                         PERIOD_COL if PERIOD_COL in cols else YEAR_FROM_NAME),
        )


READER = StatLineReader()
