"""CBS OData ``TypedDataSet`` dump as CSV (e.g. table 84583NED, KWB 2019).

Header (``;`` separated, BOM, every cell quoted, codes padded, ``.`` for unknown)::

    "ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";
    "IndelingswijzigingWijkenEnBuurten_4";"AantalInwoners_5";...

Recognised by the keys ``ID`` and ``WijkenEnBuurten``. The numeric suffix of a key differs per
table, so descriptive keys are matched by their stem. Every other key is a numeric variable and
goes to ``kwb`` with ``variabele`` = the key (``AantalInwoners_5``). The postcode key
(``MeestVoorkomendePostcode_N``) is an identifier, not a quantity, and is left out.
The year comes from a ``Perioden`` key when present, else from the file name (KWB tables hold
one edition year). The dump holds no region names: ``naam`` is filled for gemeenten
(``Gemeentenaam_N``) and left empty for wijken and buurten (ingest fills it from another source
of the same code and year when there is one).
"""

from __future__ import annotations

import re

from helpers.core.errors import InputError
from helpers.ingest.readers import common
from helpers.ingest.readers.base import Header, ReadResult

DESCRIPTIVE_RE = re.compile(
    r"^(ID|WijkenEnBuurten|Perioden|Gemeentenaam_\d+|SoortRegio_\d+|Codering_\d+|"
    r"IndelingswijzigingWijkenEnBuurten_\d+|MeestVoorkomendePostcode_\d+)$")


def _source_columns(cols: tuple[str, ...], gm_col: str | None, iw_col: str | None
                    ) -> dict[str, dict[str, str]]:
    jaar = "Perioden" if "Perioden" in cols else "(jaartal in de bestandsnaam)"
    regions = {"code": "WijkenEnBuurten", "indelingsjaar": jaar}
    regions.update({k: v for k, v in (("naam", gm_col), ("indelingswijziging", iw_col),
                                      ("soort", _stem(cols, "SoortRegio"))) if v})
    return {"kwb": {"code": "WijkenEnBuurten", "jaar": jaar}, "regions": regions}


def _stem(columns: tuple[str, ...], stem: str) -> str | None:
    return next((c for c in columns if re.fullmatch(stem + r"_\d+", c)), None)


class ODataReader:
    formaat = "cbs-odata-csv"
    beschrijving = "CBS OData TypedDataSet-dump (ID, WijkenEnBuurten, AantalInwoners_5, ...)"

    def matches(self, header: Header) -> bool:
        return header.data is not None and {"ID", "WijkenEnBuurten"} <= set(header.columns)

    def read(self, header: Header) -> ReadResult:
        import pandas as pd

        path, cols = header.path, header.columns
        variables = [c for c in cols if c and not DESCRIPTIVE_RE.match(c)]
        df, values = common.read_wide(header, variables, path, common.CBS)
        common.require_rows(df, path)
        common.check_quantities(values, path)  # counts whole and >= 0, percentages 0-100
        codes = common.clean_codes(df["WijkenEnBuurten"], path, "WijkenEnBuurten")
        soort = common.soort_of(codes)
        soort_col = _stem(cols, "SoortRegio")
        if soort_col:
            common.check_soort_column(df[soort_col], soort, path, soort_col)

        if "Perioden" in cols:
            jaar = common.years_from_column(df["Perioden"], path, "Perioden")
        else:
            jaar = common.year_from_name(path)
            if jaar is None:
                raise InputError(path, "geen jaar gevonden: geen kolom 'Perioden' en geen jaartal "
                                 "in de bestandsnaam", line=1, column="Perioden",
                                 expected="een kolom 'Perioden' of een jaartal in de naam, "
                                 "zoals kwb-2019-...-84583NED.csv")

        gm_col = _stem(cols, "Gemeentenaam")
        naam = None
        if gm_col:
            naam = df[gm_col].astype("string").str.strip().where(soort == "gemeente", None)
            naam = naam.where(soort != "land", "Nederland")
        iw_col = _stem(cols, "IndelingswijzigingWijkenEnBuurten")
        iw = common.to_int_codes(df[iw_col], path, iw_col) if iw_col else None
        regions = common.region_rows(codes, naam, jaar, iw)

        kwb = common.long_table(codes, jaar, values)
        years = sorted({int(v) for v in pd.unique(regions["indelingsjaar"])})
        return ReadResult(
            tables={"kwb": kwb, "regions": regions},
            formaat=self.formaat,
            jaar=years[0] if len(years) == 1 else None,
            notes=[f"{len(variables)} variabelen"],
            rijen=len(df),
            voorrang=1,
            bronkolommen=_source_columns(cols, gm_col, iw_col),
        )


READER = ODataReader()
