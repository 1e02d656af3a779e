"""Demo Leefbaarometer 3.0 wijk scores 2002-2024, in the format of the real open-data file.

File ``Leefbaarometer-scores wijken 2002-2024 demo.csv``: comma separated, no BOM, LF, names
quoted only when they hold a comma, ``NA`` for missing, columns ``wk_code, wk_naam, jaar, lbm, afw, fys, onv, soc, vrz,
won``, rows sorted by code then year, floats written with full precision like the real file.

Years 2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022 and 2024; codes and names follow the wijk
indeling of each measurement year (Amsterdam's numeric codes up to 2022, its alphanumeric codes
in 2024; Schiedam's WK060605 changes meaning). The five dimensions are ``NA`` before 2014 and
in 2016, as in the real file. ``afw`` is the sum of the five dimension scores (as in the real
file) and ``lbm = 4.102265 + afw``: the benchmark is fixed, the national level moves by year.

Coverage: every wijk of the 19 focus municipalities plus every wijk of a fixed sample of 85
other municipalities (mostly smaller and less urban), so that an inhabitant-weighted mean over
all wijken in the file is a meaningful stand-in for the national level.
"""

from __future__ import annotations

from pathlib import Path

from helpers.core.io import write_bytes
from helpers.demodata import wereld

BESTAND = "Leefbaarometer-scores wijken 2002-2024 demo.csv"
HEADER = "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won"
DIMENSIES = ("fys", "onv", "soc", "vrz", "won")
# Loadings of the dimensions on the deprivation score z (sum about -0.09 per unit of z).
LADING = {"fys": -0.015, "onv": -0.035, "soc": -0.02, "vrz": 0.01, "won": -0.03}
# Yearly national level relative to the fixed benchmark (split evenly over the dimensions).
NIVEAU = {2002: -0.035, 2008: -0.005, 2012: 0.015, 2014: 0.01, 2016: 0.03, 2018: 0.04,
          2020: 0.05, 2022: 0.045, 2024: 0.055}  # fmt: skip
MET_DIMENSIES = {2014, 2018, 2020, 2022, 2024}


def scores(seed: int, r: wereld.Regio, jaar: int) -> dict[str, float]:
    """Dimension scores, ``afw`` and ``lbm`` of wijk ``r`` in ``jaar`` (all floats)."""
    z = wereld.z_jaar(seed, r, jaar)
    st = wereld.stroom(seed, r.sleutel)
    n = st.n(jaar)[21:26].tolist()
    vast = st.lat_n[[2, 4, 5, 6, 7]].tolist()
    tiny = r.omvang == 0  # scores of near-empty wijken are erratic, as in the real data
    spread = 0.05 if tiny else 0.006
    out = {}
    for i, d in enumerate(DIMENSIES):
        # persistent local character + a small yearly wobble
        out[d] = LADING[d] * z + NIVEAU[jaar] / 5 + 0.015 * vast[i] + spread * n[i]
    out["afw"] = sum(out[d] for d in DIMENSIES)
    out["lbm"] = wereld.LBM_REFERENTIE + out["afw"]
    return out


def _f(x: float) -> str:
    return repr(float(x))


def generate(out: Path, seed: int) -> list[Path]:
    """Write the demo Leefbaarometer wijk file into ``out``."""
    rows: list[tuple[str, int, str]] = []
    for jaar in wereld.LBM_JAREN:
        for r in wereld.regios(jaar, "wijk"):
            s = scores(seed, r, jaar)
            dims = [_f(s[d]) if jaar in MET_DIMENSIES else "NA" for d in DIMENSIES]
            naam = f'"{r.naam}"' if "," in r.naam else r.naam  # quoted only when needed
            line = ",".join([r.code, naam, str(jaar), _f(s["lbm"]), _f(s["afw"]), *dims])
            rows.append((r.code, jaar, line))
    rows.sort(key=lambda t: (t[0], t[1]))
    text = HEADER + "\n" + "\n".join(t[2] for t in rows) + "\n"
    path = out / BESTAND
    write_bytes(path, text.encode("utf-8"))
    return [path]
