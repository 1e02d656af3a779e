"""CBS ``kwb-YYYY.xlsx``: the yearly Kerncijfers wijken en buurten spreadsheet.

Sheet ``kwb-YYYY`` with short column names::

    gwb_code_10, gwb_code_8, regio, gm_naam, recs, gwb_code, ind_wbi, a_inw, a_man, ...

Recognised by ``gwb_code_10`` (or ``gwb_code``) with ``regio`` and ``recs``. ``recs`` is the
region type (``Land``, ``Gemeente``, ``Wijk``, ``Buurt``), ``ind_wbi`` the indelingswijziging
code, ``regio`` the name. Every other column is a numeric variable and goes to ``kwb`` with
``variabele`` = the short name (``a_inw``); the postcode column ``pst_mvp`` is an identifier and
is left out. Cells are numbers or text (``'.'`` for unknown, numbers stored as text). The year
comes from the sheet name ``kwb-YYYY``, else from the file name.
"""

from __future__ import annotations

import re

from helpers.core.errors import InputError
from helpers.ingest.readers import common
from helpers.ingest.readers.base import Header, ReadResult

DESCRIPTIVE = {"gwb_code_10", "gwb_code_8", "gwb_code", "regio", "gm_naam", "recs", "ind_wbi",
               "pst_mvp"}


class KwbXlsxReader:
    formaat = "cbs-kwb-xlsx"
    beschrijving = "CBS kwb-JJJJ.xlsx (gwb_code_10, regio, gm_naam, recs, ind_wbi, a_inw, ...)"

    def matches(self, header: Header) -> bool:
        cols = set(header.columns)
        return header.frame is not None and bool({"gwb_code_10", "gwb_code"} & cols) and (
            "recs" in cols or "regio" in cols)

    def read(self, header: Header) -> ReadResult:
        path, cols = header.path, header.columns
        code_col = "gwb_code_10" if "gwb_code_10" in cols else "gwb_code"
        common.require_columns(header, [code_col, "regio", "recs"], self.formaat)
        df = common.drop_blank_rows(header.frame)
        common.require_rows(df, path)
        codes = common.clean_codes(df[code_col], path, code_col)
        common.check_soort_column(df["recs"], common.soort_of(codes), path, "recs")

        m = re.fullmatch(r"kwb-((?:19|20)\d{2})", (header.sheet or "").strip(), re.IGNORECASE)
        jaar = int(m.group(1)) if m else common.year_from_name(path)
        if jaar is None:
            raise InputError(path, "geen jaar gevonden in de bladnaam of de bestandsnaam", line=1,
                             expected="blad 'kwb-JJJJ' of een jaartal in de bestandsnaam")

        iw = common.to_int_codes(df["ind_wbi"], path, "ind_wbi") if "ind_wbi" in cols else None
        regions = common.region_rows(codes, df["regio"], jaar, iw)
        variables = [c for c in df.columns if c not in DESCRIPTIVE and c]
        values = {c: common.to_numbers(df[c], path, c, common.CBS) for c in variables}
        common.check_quantities(values, path)  # counts whole and >= 0, percentages 0-100
        kwb = common.long_table(codes, jaar, values)
        return ReadResult(
            tables={"kwb": kwb, "regions": regions},
            formaat=self.formaat,
            jaar=jaar,
            notes=[f"blad {header.sheet}", f"{len(variables)} variabelen"],
            rijen=len(df),
            voorrang=2,
            bronkolommen={
                "kwb": {"code": code_col, "jaar": "(bladnaam of bestandsnaam)"},
                "regions": {"code": code_col, "naam": "regio", "soort": "recs",
                            "indelingswijziging": "ind_wbi",
                            "indelingsjaar": "(bladnaam of bestandsnaam)"},
            },
        )


READER = KwbXlsxReader()
