"""What a notebook hands to the publication: figures, tables and key numbers, with metadata.

Every notebook writes its publishable results through one :class:`Uitvoer` object into
``reports/runs/<gebied>/<notebook>/`` when started by ``wijkmonitor run``, and into
``reports/verkenning/<gebied>/<notebook>/`` otherwise (lab, plain papermill, scripts: see
:func:`helpers.core.config.output_root`), so an interactive run never changes the publication; :meth:`Uitvoer.schrijf` writes the index
``uitvoer.json`` that :mod:`helpers.publish` reads. Shape of ``uitvoer.json``::

    {"gebied": "alle", "notebook": "10_indicatorbasis", "demo": true,
     "figuren":    {"<naam>": {"bestand": "<naam>.png", "titel": ..., "alt": ..., "bron": ..., "jaar": ...,
                               "breedte_inch": 6.3, "hoogte_inch": 3.1, "kleinste_tekst_pt": 8.5,
                               "overlappingen": [], "kleuren": ["#0072B2"], "kleurschalen": [],
                               "getallen": [...]}},
     "tabellen":   {"<naam>": {"bestand": "<naam>.csv", "titel": ..., "bron": ..., "n_kolom": "n" | null,
                               "min_n": 10 | null, "n_uitleg": "n = ..." | null}},
     "kerncijfers": {"<naam>": {"waarde": 3.84, "eenheid": "score", "label": ..., "bron": ..., "jaar": ...}},
     "teksten":    {"<naam>": "generated template sentence(s)"}}

A run whose declared source tables are absent from this edition (``wijkmonitor build`` ran, the
raw files of that source were not there) does not start a kernel: the runner
(:func:`helpers.runner.absent.write_geen_gegevens`) writes an ``uitvoer.json`` with
``"status": "geen gegevens"``, ``"titel"`` and ``"ontbrekende_bronnen"`` (reader terms) and no
figures, tables, key numbers or texts. A run of a notebook has no ``status`` key.

Figures built from demo data get a visible watermark (:data:`helpers.core.provenance.DEMO_LABEL`).
Tables are written as UTF-8 CSV with a point as decimal separator (machine-readable); the
publication formats numbers the Dutch way when it shows them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.io import write_table
from helpers.core.privacy import hide_bases
from helpers.core.provenance import DEMO_LABEL
from helpers.kit.display import Weergave, markdown
from helpers.kit.figuurmeting import WATERMERK_GID, build_meting

UITVOER_JSON = config.UITVOER_JSON
#: Name prefix of a text that names what has no data in this edition (e.g. an area's registered
#: indicators without a value); the publication shows such texts after the tables.
GEEN_GEGEVENS_TEKST = "geen_gegevens_"


def watermerk(fig: Any, tekst: str = DEMO_LABEL) -> None:
    """Put a large diagonal, semi-transparent watermark over a matplotlib figure."""
    fig.text(
        0.5, 0.5, tekst.upper(), transform=fig.transFigure, fontsize=28, color="#b00020",
        alpha=0.22, ha="center", va="center", rotation=25, zorder=1000, gid=WATERMERK_GID,
    )


def nl_assen(fig: Any) -> None:
    """Give every plain numeric axis of ``fig`` Dutch tick labels (decimal comma).

    Replaces matplotlib's default ``ScalarFormatter`` (only that one: dates, categories,
    percent or custom formatters are left alone) by a subclass that formats as usual and then
    swaps the separators, so tick positions and offsets stay exactly matplotlib's. Does not
    depend on the OS locale.
    """
    from matplotlib.ticker import ScalarFormatter

    class _NLScalarFormatter(ScalarFormatter):
        _swap = str.maketrans({".": ",", ",": "."})

        def __call__(self, x: float, pos: int | None = None) -> str:
            return super().__call__(x, pos).translate(self._swap)

        def get_offset(self) -> str:
            return super().get_offset().translate(self._swap)

    for ax in fig.axes:
        for axis in (getattr(ax, "xaxis", None), getattr(ax, "yaxis", None)):
            if axis is not None and type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(_NLScalarFormatter())


def _release(fig: Any) -> None:
    """Remove ``fig`` from pyplot's figure manager (the object itself stays usable)."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _clean(value.item())
    return value


@dataclass
class Uitvoer:
    """Collects the publishable results of one notebook run for one area (or ``alle``)."""

    gebied: str
    notebook: str
    demo: bool = False
    base: Path | None = None
    figuren: dict[str, dict] = field(default_factory=dict)
    tabellen: dict[str, dict] = field(default_factory=dict)
    kerncijfers: dict[str, dict] = field(default_factory=dict)
    teksten: dict[str, str] = field(default_factory=dict)

    @property
    def map(self) -> Path:
        return config.run_output_dir(self.gebied, self.notebook, self.base)

    def figuur(self, fig: Any, naam: str, *, titel: str, alt: str, bron: str,
               jaar: int | str | None = None, dpi: int = 150) -> Path:
        """Save a matplotlib figure as PNG (Dutch tick labels; watermarked when demo) and
        register it. The figure is released from pyplot, so a notebook shows it once: as
        the value the step returns, not a second time at the end of the cell.

        Also records what a reader sees (:func:`helpers.kit.figuurmeting.build_meting`): the
        smallest text in pt, overlaps, colours, drawn values, and the saved image's width and
        height in inches (``breedte_inch``, ``hoogte_inch``: pixels / dpi, after the tight
        crop), from which the publication's tests compute the text size at print size."""
        if self.demo and not getattr(fig, "_wijkmonitor_watermerk", False):
            watermerk(fig)
            fig._wijkmonitor_watermerk = True
        nl_assen(fig)
        meting = build_meting(fig)
        path = self.map / f"{naam}.png"
        fig.savefig(path, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
        _release(fig)
        from PIL import Image

        with Image.open(path) as im:
            breedte, hoogte = im.size
        self.figuren[naam] = {"bestand": path.name, "titel": titel, "alt": alt, "bron": bron,
                              "jaar": _clean(jaar), "breedte_inch": round(breedte / dpi, 3),
                              "hoogte_inch": round(hoogte / dpi, 3), **meting}
        return path

    def tabel(self, df: Any, naam: str, *, titel: str, bron: str, n_kolom: str | None = None,
              min_n: int | None = None, n_uitleg: str | None = None,
              samenstelling: dict | None = None) -> Path:
        """Save a pandas DataFrame as CSV and register it (``n_kolom``: column holding the base n;
        ``n_uitleg``: what n is, for the caption, when it is not a number of observations, e.g.
        "n = de basis van het cijfer ...").

        Written by :func:`helpers.core.io.write_table` (spreadsheet-safe: formula-like text is
        neutralised); read it back with :func:`helpers.core.io.read_table`. A suppressed table
        (column ``onderdrukt``) with ``n_kolom`` and ``min_n`` is written with its bases as
        published (:func:`helpers.core.privacy.hide_bases`: ``'< {min_n}'``, empty for a
        secondarily hidden row). ``samenstelling`` (or ``df.attrs["samenstelling"]``): the atoms
        of overlapping groupings for the disclosure audit (:mod:`helpers.publish.audit`),
        recorded in ``uitvoer.json`` only."""
        sam = samenstelling or dict(getattr(df, "attrs", {}) or {}).get("samenstelling")
        if n_kolom and min_n and n_kolom in df.columns and "onderdrukt" in df.columns:
            df = df.assign(**{n_kolom: hide_bases(df, n_col=n_kolom, min_n=min_n)})
        path = write_table(self.map / f"{naam}.csv", df)
        self.tabellen[naam] = {"bestand": path.name, "titel": titel, "bron": bron,
                               "n_kolom": n_kolom, "min_n": min_n,
                               **({"n_uitleg": n_uitleg} if n_uitleg else {})}
        if sam:
            self.tabellen[naam]["samenstelling"] = sam
        return path

    def kerncijfer(self, naam: str, waarde: Any, *, label: str, eenheid: str = "",
                   bron: str = "", jaar: int | str | None = None, **extra: Any) -> None:
        """Register one key number (computed, never typed)."""
        self.kerncijfers[naam] = {"waarde": _clean(waarde), "label": label, "eenheid": eenheid,
                                  "bron": bron, "jaar": _clean(jaar),
                                  **{k: _clean(v) for k, v in extra.items()}}

    def tekst(self, naam: str, tekst: str) -> None:
        """Register a generated template sentence (checked by the publication guards)."""
        self.teksten[naam] = tekst

    def write(self) -> Path:
        """Write ``uitvoer.json`` and return its path."""
        path = self.map / UITVOER_JSON
        data = {"gebied": self.gebied, "notebook": self.notebook, "demo": self.demo,
                "figuren": self.figuren, "tabellen": self.tabellen,
                "kerncijfers": self.kerncijfers, "teksten": self.teksten}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True),
                        encoding="utf-8")
        return path

    def write_index(self) -> Weergave:
        """The last step of a notebook: write ``uitvoer.json`` (:meth:`schrijf`) and return a
        Dutch summary to display (no path or repr in the notebook's output); the path is its
        ``gegevens``."""
        path = self.write()
        waar = "de publicatie (wijkmonitor run)" if config.is_runner() else \
            "de verkenningsmap (niet gepubliceerd)"
        return Weergave(markdown(
            f"Uitvoer vastgelegd voor {waar}: {len(self.figuren)} figuren, "
            f"{len(self.tabellen)} tabellen, {len(self.kerncijfers)} kerncijfers en "
            f"{len(self.teksten)} teksten."), gegevens=path)


def read(focusgebied: str, notebook: str, base: Path | None = None) -> dict:
    """Read a notebook's ``uitvoer.json`` (raises FileNotFoundError when it has not run)."""
    path = (base or config.RUNS) / focusgebied / notebook / UITVOER_JSON
    return json.loads(path.read_text(encoding="utf-8"))
