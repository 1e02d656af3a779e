"""Leefbaarometer 3.0 open-data CSV (Ministry of BZK), wijk and buurt files.

Header (comma separated, ``NA`` for missing)::

    wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won      (wijk file)
    bu_code,bu_naam,jaar,lbm,afw,fys,onv,soc,vrz,won      (buurt file)

Recognised by ``wk_code`` or ``bu_code`` together with ``jaar``. Contributes the
``leefbaarometer`` table (one row per area and measurement year) and ``regions`` rows (soort
wijk/buurt, ``indelingsjaar`` = measurement year, ``gemeente`` from the code digits,
``indelingswijziging`` unknown).

Units: ``lbm`` is the total score on the Leefbaarometer scale (national benchmark 4.102265);
``afw`` and the five dimensions ``fys, onv, soc, vrz, won`` are deviations from that fixed
benchmark (higher = better), ``NA`` before 2014 and in 2016. Only ``NA`` and an empty cell
mean missing: CBS symbols (``-`` nihil, ``.``, ``x``) are errors here.
"""

from __future__ import annotations

from helpers.core.errors import InputError
from helpers.ingest.readers import common
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult

SCORES = ["lbm", "afw", "fys", "onv", "soc", "vrz", "won"]
LEVELS = {"wk": "wijk", "bu": "buurt"}


class LeefbaarometerReader:
    formaat = "leefbaarometer-csv"
    beschrijving = "Leefbaarometer open-data CSV (wk_code/bu_code, jaar, lbm, afw, ...)"

    def matches(self, header: Header) -> bool:
        cols = set(header.columns)
        return header.data is not None and "jaar" in cols and bool({"wk_code", "bu_code"} & cols)

    def read(self, header: Header) -> ReadResult:
        import pandas as pd

        path = header.path
        prefix = "wk" if "wk_code" in header.columns else "bu"
        niveau = LEVELS[prefix]
        code_col, naam_col = f"{prefix}_code", f"{prefix}_naam"
        required = [code_col, naam_col, "jaar", *SCORES]
        common.require_columns(header, required, self.formaat)

        # Fast path: pyarrow parses and converts the scores; on any odd cell fall back to raw
        # strings and the checked conversion (which names the line and column).
        df = common.read_arrow_table(header, {code_col: "string", naam_col: "string",
                                              "jaar": "int64", **dict.fromkeys(SCORES, "float64")},
                                     common.LEEFBAAROMETER)
        if df is not None:
            scores = {c: df[c] for c in SCORES}
        else:
            df = common.read_text_table(header, usecols=required)
            scores = {c: common.to_numbers(df[c], path, c, common.LEEFBAAROMETER) for c in SCORES}
        common.require_rows(df, path)

        codes = common.clean_codes(df[code_col], path, code_col, soorten=(niveau,))
        jaar = common.to_numbers(df["jaar"], path, "jaar", common.LEEFBAAROMETER)
        bad = (jaar.isna() | (jaar != jaar.round())).to_numpy()
        if bad.any():
            i = int(bad.nonzero()[0][0])
            raise InputError(path, f"'{df['jaar'].iloc[i]}' is geen jaartal",
                             line=int(df.index[i]) + 2, column="jaar",
                             expected="een jaartal zoals 2022")
        jaar = jaar.astype("int64")

        lbm = pd.DataFrame({"code": codes, "niveau": pd.Series(niveau, index=codes.index,
                                                                dtype=common.STR), "jaar": jaar,
                            **{c: scores[c].astype("float64") for c in SCORES}})
        lbm[LINE_COL] = common.lines_of(df)
        regions = common.region_rows(codes, df[naam_col], jaar)
        years = sorted(int(y) for y in jaar.unique())
        return ReadResult(
            tables={"leefbaarometer": lbm, "regions": regions},
            formaat=self.formaat,
            jaar=years[-1] if len(years) == 1 else None,
            notes=[f"niveau {niveau}", f"jaren {', '.join(map(str, years))}"],
            rijen=len(df),
            voorrang=0,
            bronkolommen={
                "leefbaarometer": {"code": code_col, "jaar": "jaar"},
                "regions": {"code": code_col, "naam": naam_col, "indelingsjaar": "jaar"},
            },
        )


READER = LeefbaarometerReader()
