"""The fictitious world behind the CBS, Leefbaarometer and geometry demo files.

Region lists (codes and names per indeling year) come from the embedded ``wijken.csv``: derived
facts about the real CBS indeling of the 19 focus municipalities and a fixed sample of 85 other
municipalities (for a meaningful national Leefbaarometer reference), no figures. Columns:

- ``code``, ``naam``, ``soort`` (gemeente/wijk/buurt), ``gemeente`` (GM code);
- ``jaren``: the indeling years in which this code carries this name (``2002-2024`` for
  gemeenten). Leefbaarometer years follow the real file per year; KWB 2019-2021 follow the
  2020 set, 2022 the 2022 set, 2023-2024 the KWB 2024 set (Amsterdam's alphanumeric codes
  from 2023 on, Schiedam's WK060605 "Nieuw Mathenesse" until 2022 and "Kethel" after);
- ``ind``: the KWB 2024 indelingswijziging code (3 for all Nieuwegein wijken);
- ``omvang``: a size class (0: < 50 inhabitants, 1: < 1,000, 2: < 5,000, 3: < 15,000,
  4: < 60,000, 5: larger), so that business parks stay tiny and totals plausible.

Every figure is invented here: each wijk gets a latent deprivation score ``z`` (focus-area wijken
of the registry get a higher one, so they score below their city on average), a size drawn
within its class and a growth rate; the variables are smooth functions of ``z`` plus noise.
Random draws are seeded by ``(seed, crc32(code|naam))`` (see :func:`stroom`), so output does not
depend on iteration order and the same seed gives the same numbers.
"""

from __future__ import annotations

import csv
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from helpers.registers.focusgebieden import load_focusgebieden

WIJKEN_CSV = Path(__file__).with_name("wijken.csv")
KWB_JAREN = (2019, 2020, 2021, 2022, 2023, 2024)
LBM_JAREN = (2002, 2008, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
LBM_REFERENTIE = 4.102265  # fixed benchmark of the Leefbaarometer 3.0 (lbm - afw)

POP_KLASSE = {0: (5, 45), 1: (150, 950), 2: (1000, 4900), 3: (5000, 14500), 4: (15000, 45000),
              5: (60000, 90000)}  # fmt: skip


@dataclass(frozen=True)
class Regio:
    """One region of the embedded list (a code with one name over a set of indeling years)."""

    code: str
    naam: str
    soort: str
    gemeente: str
    jaren: frozenset[int]
    ind: int
    focusgemeente: bool
    omvang: int

    @property
    def sleutel(self) -> str:
        return f"{self.code}|{self.naam}"


def _parse_jaren(text: str) -> frozenset[int]:
    if "-" in text:
        a, b = (int(x) for x in text.split("-"))
        return frozenset(range(a, b + 1))
    return frozenset(int(x) for x in text.split())


@lru_cache(maxsize=1)
def alle_regios() -> tuple[Regio, ...]:
    """All regions of ``wijken.csv`` (cached)."""
    with WIJKEN_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Regio(
                code=r["code"],
                naam=r["naam"],
                soort=r["soort"],
                gemeente=r["gemeente"],
                jaren=_parse_jaren(r["jaren"]),
                ind=int(r["ind"]) if r["ind"].isdigit() else 1,
                focusgemeente=r["focus"] == "1",
                omvang=int(r["omvang"]),
            )
            for r in csv.DictReader(fh)
        )


def regios(jaar: int, soort: str | None = None) -> list[Regio]:
    """Regions present in indeling year ``jaar`` (optionally one soort), sorted by code."""
    out = [r for r in alle_regios() if jaar in r.jaren and (soort is None or r.soort == soort)]
    return sorted(out, key=lambda r: r.code)


def gemeenten() -> list[Regio]:
    """The gemeenten of the demo (19 focus municipalities + national sample), by name."""
    return sorted((r for r in alle_regios() if r.soort == "gemeente"), key=lambda r: r.naam)


@lru_cache(maxsize=1)
def focus_codes() -> frozenset[str]:
    """Every wijk and buurt code that belongs to a focus area in any registry year."""

    out: set[str] = set()
    for g in load_focusgebieden():
        for table in (g.wijken, g.buurten):
            for codes in table.values():
                out.update(codes)
    return frozenset(out)


JAAR0, JAAR_N = 2000, 31  # yearly draws for 2000-2030
N_JAAR, N_LAT = 28, 8


@dataclass(frozen=True)
class Stroom:
    """Pre-drawn random numbers of one key: latent normals/uniforms and per-year normals/uniforms.

    Use per region (one stream serves every generator, to keep generation fast): ``lat_n[0]``
    deprivation, ``[1]`` growth, ``[3]`` buurt offset, ``[2, 4:8]`` Leefbaarometer character;
    ``lat_u[0]`` size, ``[1:3]`` map centre; per year ``n[0]`` z wobble, ``[1]`` population,
    ``[2:17]`` KWB variables, ``[17:21]`` SES-WOA, ``[21:26]`` Leefbaarometer; ``u[0]`` secrecy.
    """

    lat_n: np.ndarray
    lat_u: np.ndarray
    jaar_n: np.ndarray  # (JAAR_N, N_JAAR)
    jaar_u: np.ndarray  # (JAAR_N, 4)

    def n(self, jaar: int) -> np.ndarray:
        return self.jaar_n[jaar - JAAR0]

    def u(self, jaar: int) -> np.ndarray:
        return self.jaar_u[jaar - JAAR0]


@lru_cache(maxsize=16384)
def stroom(seed: int, sleutel: str) -> Stroom:
    """All random draws for ``sleutel`` (a region key or a label) under ``seed``.

    Seeded by ``(seed, crc32(sleutel))``: independent of the order in which regions are visited.
    """
    g = np.random.default_rng([seed, zlib.crc32(sleutel.encode("utf-8"))])
    return Stroom(
        lat_n=g.standard_normal(N_LAT),
        lat_u=g.random(4),
        jaar_n=g.standard_normal((JAAR_N, N_JAAR)),
        jaar_u=g.random((JAAR_N, 4)),
    )


# ---------------------------------------------------------------------------------------------
# Latent properties


def gemeente_effect(seed: int, gemeente: str) -> float:
    """City-level shift of the deprivation score."""
    return 0.25 * float(stroom(seed, "gemeente|" + gemeente).lat_n[0])


@lru_cache(maxsize=16384)
def latent(seed: int, r: Regio) -> tuple[float, float, float]:
    """Time-invariant latent properties of a wijk or buurt: ``(z, pop, groei)``.

    ``z``: deprivation score (0 = Dutch average; focus wijken about +1.3, the sample of other
    municipalities about -0.3, other wijken of focus cities about -0.1, plus a city effect).
    ``pop``: inhabitants in 2022, log-uniform within the size class. ``groei``: yearly growth.
    """
    s = stroom(seed, r.sleutel)
    if not r.focusgemeente:
        z = -0.3 + 0.7 * s.lat_n[0]
    elif r.code in focus_codes():
        z = 1.3 + 0.45 * s.lat_n[0]
    else:
        z = -0.1 + 0.8 * s.lat_n[0]
    if r.focusgemeente:
        z += gemeente_effect(seed, r.gemeente)
    lo, hi = POP_KLASSE[r.omvang]
    pop = math.exp(math.log(lo) + float(s.lat_u[0]) * (math.log(hi) - math.log(lo)))
    return min(3.0, max(-2.5, float(z))), pop, 0.006 + 0.005 * float(s.lat_n[1])


def z_jaar(seed: int, r: Regio, jaar: int) -> float:
    """Deprivation score in ``jaar``: the latent score plus a small yearly wobble."""
    return latent(seed, r)[0] + 0.06 * float(stroom(seed, r.sleutel).n(jaar)[0])


def inwoners(seed: int, r: Regio, jaar: int) -> float:
    """Unrounded number of inhabitants of a wijk or buurt in ``jaar``."""
    _, pop, groei = latent(seed, r)
    noise = 0.004 * float(stroom(seed, r.sleutel).n(jaar)[1])
    return pop * (1.0 + groei) ** (jaar - 2022) * (1.0 + noise)


def round_to(x: float, step: int) -> int:
    """Round to a multiple of ``step`` (CBS rounds wijk and buurt counts to 5 or 10)."""
    return int(step * math.floor(x / step + 0.5))
