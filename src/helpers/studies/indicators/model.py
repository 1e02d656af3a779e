"""Data classes shared by the steps of the indicator base (no logic beyond collecting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass
class Meldingen:
    """Data-quality notes collected while building (rendered in ``datakwaliteit.md``)."""

    rijen: list = field(default_factory=list)

    def add(self, soort: str, tekst: str, focusgebied: str = "", jaar: int | None = None,
            indicator: str = "") -> None:
        self.rijen.append({"soort": soort, "gebied": focusgebied, "jaar": jaar,
                           "indicator": indicator, "tekst": tekst})

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.rijen, columns=["soort", "gebied", "jaar", "indicator", "tekst"])


@dataclass
class Resultaat:
    """Everything one build produces."""

    basis: pd.DataFrame
    wijken: pd.DataFrame
    meldingen: pd.DataFrame
    regions: pd.DataFrame
    nulmeting: int

