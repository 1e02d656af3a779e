"""Run-wide values of the monitor: ``params/monitor.yml``.

One source for the values every part of a run must agree on: the edition year, the nulmeting
year, the disclosure thresholds (``min_n``, ``signaal_n``) and the minimum coverage of the
reference "alle focusgebieden". The CLI defaults, the notebooks' defaults (the runner injects
them through ``params/notebooks.yml``) and every module read them here; nothing types them
again. ``params/monitor.yml`` is an input of every run, so changing it re-runs what depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.core import config
from helpers.core.errors import RegistryError
from helpers.core.yamlfile import parse_yaml

# Keys of params/monitor.yml and their meaning (validated by load_monitor).
SLEUTELS = {
    "editie": "jaar van de editie van de publicatie",
    "nulmeting": "jaar van de nulmeting (basisjaar van de vergelijkingen)",
    "min_n": "minimum aantal personen om een aantal of percentage te tonen",
    "signaal_n": "onder dit aantal personen heet een uitkomst een signaal, geen conclusie",
    "min_dekking_focusgebieden": "minimaal aandeel (0-1) van de inwoners van alle focusgebieden "
                                 "dat een waarde moet hebben voor de referentie 'alle focusgebieden'",
}


# Notebook parameters that carry a run-wide value. A notebook declares them with the default
# ``None`` ("the value of params/monitor.yml"); the runner always injects the real value.
PARAMETERS = ("jaar_nulmeting", "min_n", "signaal_n")


@dataclass(frozen=True)
class Monitor:
    """The run-wide values (see :data:`SLEUTELS`)."""

    editie: int
    nulmeting: int
    min_n: int
    signaal_n: int
    min_dekking_focusgebieden: float

    def as_parameters(self) -> dict[str, object]:
        """The values under the notebook parameter names that carry them."""
        return {"jaar_nulmeting": self.nulmeting, "min_n": self.min_n, "signaal_n": self.signaal_n}


def _load_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RegistryError(f"bestand '{path}' ontbreekt (verwacht: de run-brede waarden van de "
                            "monitor)") from exc
    data = parse_yaml(text, path) or {}
    if not isinstance(data, dict):
        raise RegistryError(f"bestand '{path}': verwacht sleutels {', '.join(SLEUTELS)}")
    return data


def load_monitor(path: str | Path | None = None) -> Monitor:
    """Read and validate ``params/monitor.yml``.

    Raises :class:`RegistryError` (Dutch, naming the file and key) for a missing or unknown key,
    a year outside 2000-2100, a threshold that is not a positive whole number, ``signaal_n`` not
    above ``min_n``, or a coverage outside 0-1.
    """
    p = Path(path) if path else config.MONITOR_YML
    data = _load_yaml(p)
    onbekend = sorted(set(data) - set(SLEUTELS))
    if onbekend:
        raise RegistryError(f"bestand '{p}': onbekende sleutel(s) {', '.join(onbekend)} "
                            f"(geldig: {', '.join(SLEUTELS)})")
    for key in SLEUTELS:
        if key not in data:
            raise RegistryError(f"bestand '{p}': sleutel '{key}' ontbreekt ({SLEUTELS[key]})")

    def geheel(key: str, lo: int, hi: int) -> int:
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise RegistryError(f"bestand '{p}', sleutel '{key}': '{v}' (verwacht een geheel "
                                f"getal van {lo} tot en met {hi})")
        return v

    m = Monitor(editie=geheel("editie", 2000, 2100), nulmeting=geheel("nulmeting", 2000, 2100),
                min_n=geheel("min_n", 1, 10_000), signaal_n=geheel("signaal_n", 1, 10_000),
                min_dekking_focusgebieden=float(data["min_dekking_focusgebieden"]))
    if m.signaal_n <= m.min_n:
        raise RegistryError(f"bestand '{p}': signaal_n ({m.signaal_n}) moet groter zijn dan "
                            f"min_n ({m.min_n})")
    if not 0 <= m.min_dekking_focusgebieden <= 1:
        raise RegistryError(f"bestand '{p}', sleutel 'min_dekking_focusgebieden': "
                            f"'{m.min_dekking_focusgebieden}' (verwacht een aandeel van 0 tot 1)")
    return m


def min_n(value: int | None = None) -> int:
    """``value`` when given, else ``min_n`` of ``params/monitor.yml``."""
    return load_monitor().min_n if value is None else int(value)


def signaal_n(value: int | None = None) -> int:
    """``value`` when given, else ``signaal_n`` of ``params/monitor.yml``."""
    return load_monitor().signaal_n if value is None else int(value)


def nulmeting(value: int | None = None) -> int:
    """``value`` when given, else ``nulmeting`` of ``params/monitor.yml``."""
    return load_monitor().nulmeting if value is None else int(value)
