"""Demo data for theme studies B: VE-bereik, re-integratie, informal networks (armoede). All
fictitious.

Consistent with the intervention register ``params/interventies.yml``: only areas the register
lists for a theme get registration data, and one listed area per theme gets none on purpose
(:data:`ZONDER_GEGEVENS`) so that the "geen gegevens voor dit gebied in deze studie" path is
exercised. Small groups are included on purpose (:data:`KLEIN`) so that suppression shows, and
one VE row carries a deliberate registration error (aanmelding > toeleiding) so that the table
of inconsistent chains has content.

Same seed, same bytes: one ``numpy.random.default_rng`` per file, rows in a fixed order, CSV
written with ``\\n`` line ends and ``;`` as separator.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from helpers.ingest.readers.armoede import ARMOEDE, ROLLEN
from helpers.ingest.readers.reintegratie import DOELGROEPEN, REINTEGRATIE, UITKOMSTEN
from helpers.ingest.readers.ve_bereik import VE_BEREIK
from helpers.registers.interventies import load_interventies

# One area per theme that is in the register but has no registration data.
ZONDER_GEGEVENS = {
    "jonge_kind": "roosendaal",
    "reintegratie": "arnhem-oost",
    "armoede_schulden": "lelystad",
}
# Areas with deliberately small numbers (suppression).
KLEIN = {
    "jonge_kind": "leeuwarden-oost",
    "reintegratie": ("zaandam-oost", "groepsaanpak"),
    "armoede_schulden": "nieuwegein-centrale-as",
}
COHORTEN = ("2023-H1", "2023-H2", "2024-H1", "2024-H2", "2025-H1")
PEILDATUM = dt.date(2025, 10, 1)
FOUTE_KETEN = ("utrecht-overvecht", "2024-H2")

VE_BESTAND = "ve-bereik-demo.csv"
REINTEGRATIE_BESTAND = "reintegratie-demo.csv"
ARMOEDE_BESTAND = "armoede-netwerken-demo.csv"


def _gebieden(thema: str) -> list[str]:
    """Areas of the register for ``thema`` that get demo data (sorted, one left out)."""

    ids = sorted(set(load_interventies(thema)["focusgebied"]))
    return [g for g in ids if g != ZONDER_GEGEVENS[thema]]


def _write(path: Path, kop: list[str], rijen: list[list]) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(kop)
    w.writerows(rijen)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def ve_bereik(out: Path, seed: int) -> Path:
    """``ve-bereik-demo.csv``: per area and cohort the counts along the VE chain."""
    import numpy as np


    rng = np.random.default_rng([seed, 34])
    rijen = []
    for gebied in _gebieden("jonge_kind"):
        fase2 = gebied in ("heerlen-noord", "nieuwegein-centrale-as", "breda-noord")
        schaal = 5 if gebied == KLEIN["jonge_kind"] else int(rng.integers(35, 90))
        for i, cohort in enumerate(COHORTEN):
            indicatie = int(rng.poisson(schaal))
            verbetering = 0.015 * i if fase2 else 0.004 * i
            toeleiding = int(rng.binomial(indicatie, min(0.97, 0.85 + verbetering)))
            aanmelding = int(rng.binomial(toeleiding, min(0.97, 0.80 + verbetering)))
            start = int(rng.binomial(aanmelding, 0.88))
            gestopt = int(rng.binomial(start, 0.10 if fase2 else 0.16))
            deelname = int(rng.binomial(start - gestopt, 0.95))
            if (gebied, cohort) == FOUTE_KETEN:
                aanmelding = toeleiding + 3  # deliberate registration error (demo)
            rijen.append([gebied, cohort, 6, indicatie, toeleiding, aanmelding, start, deelname,
                          gestopt])
    return _write(out / VE_BESTAND, list(VE_BEREIK.namen), rijen)


# Route weights per type (betaald werk, scholing, vrijwilligerswerk, dagbesteding, uitval) and the
# monthly hazard of leaving the trajectory at all.
_ROUTEGEWICHT = {
    "wijkbaan": (0.40, 0.20, 0.10, 0.05, 0.25),
    "groepsaanpak": (0.18, 0.17, 0.25, 0.18, 0.22),
}
_MAANDKANS = {"wijkbaan": 0.055, "groepsaanpak": 0.045}


def reintegratie(out: Path, seed: int) -> Path:
    """``reintegratie-demo.csv``: one row per participant (fictitious pseudonymous codes)."""
    import numpy as np


    rng = np.random.default_rng([seed, 32])
    reg = load_interventies("reintegratie")
    paren = sorted({(g, t) for g, t in zip(reg["focusgebied"], reg["type"], strict=True)
                    if g != ZONDER_GEGEVENS["reintegratie"]})
    routes = [u for u in UITKOMSTEN if u != "nog in traject"]
    begin = dt.date(2023, 1, 1)
    venster = (dt.date(2025, 6, 30) - begin).days
    rijen = []
    nr = 0
    for gebied, type_ in paren:
        aantal = 7 if (gebied, type_) == KLEIN["reintegratie"] else int(rng.integers(18, 46))
        for _ in range(aantal):
            nr += 1
            start = begin + dt.timedelta(days=int(rng.integers(0, venster)))
            maanden = rng.exponential(1 / _MAANDKANS[type_])
            dagen = int(round(maanden * 30.4375))
            einde = start + dt.timedelta(days=dagen)
            if einde > PEILDATUM:
                uitkomst, datum = "nog in traject", PEILDATUM
            else:
                uitkomst = routes[int(rng.choice(len(routes), p=_ROUTEGEWICHT[type_]))]
                datum = einde
            jaren = round(float(rng.gamma(2.0, 2.6)), 1)
            doelgroep = DOELGROEPEN[int(rng.choice(len(DOELGROEPEN),
                                                   p=(0.35, 0.2, 0.15, 0.1, 0.12, 0.08)))]
            rijen.append([f"d{nr:04d}", gebied, type_, start.isoformat(),
                          f"{jaren:.1f}".replace(".", ","), doelgroep, uitkomst, datum.isoformat()])
    return _write(out / REINTEGRATIE_BESTAND, list(REINTEGRATIE.namen), rijen)


# Typical network per area: (role, paid mean, unpaid mean) pairs, households per half year.
_NETWERK = {
    "amsterdam-zuidoost": ({"ervaringsdeskundigen": (5, 2), "vrijwilligers": (0, 8)}, 70),
    "dordrecht-west": ({"sleutelpersonen": (1, 12), "vrijwilligers": (0, 10)}, 55),
    "nieuwegein-centrale-as": ({"vrijwilligers": (0, 4)}, 5),
    "schiedam-nieuwland-oost": ({"sleutelpersonen": (2, 15)}, 60),
    "tilburg-noordwest": ({"sleutelpersonen": (3, 38), "ervaringsdeskundigen": (1, 2)}, 140),
}


def armoede(out: Path, seed: int) -> Path:
    """``armoede-netwerken-demo.csv``: per area and half year the informal network and its reach."""
    import numpy as np


    rng = np.random.default_rng([seed, 31])
    rijen = []
    for gebied in _gebieden("armoede_schulden"):
        netwerk, huishoudens = _NETWERK.get(gebied, ({"vrijwilligers": (0, 6)}, 30))
        for periode in COHORTEN:
            rij: list = [gebied, periode]
            for rol in ROLLEN:
                betaald, onbetaald = netwerk.get(rol, (0, 0))
                rij += [int(rng.poisson(betaald)), int(rng.poisson(onbetaald))]
            bereikt = int(rng.poisson(huishoudens))
            nieuw = int(rng.binomial(bereikt, 0.38))
            verwezen = int(rng.binomial(bereikt, 0.27))
            vervolg = rng.multinomial(verwezen, (0.42, 0.26, 0.14, 0.18))
            rij += [bereikt, nieuw, verwezen, int(vervolg[0]), int(vervolg[1]), int(vervolg[2])]
            rijen.append(rij)
    return _write(out / ARMOEDE_BESTAND, list(ARMOEDE.namen), rijen)


def generate(out: Path, seed: int) -> list[Path]:
    """Write the three registration demo files of theme studies B into ``out``; return their
    paths. (Coded interview fragments of these studies come from :mod:`helpers.demodata.coding`,
    which covers every intervention of the register.)"""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [ve_bereik(out, seed), reintegratie(out, seed), armoede(out, seed)]
