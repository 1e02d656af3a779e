"""Common display helpers for notebooks: demo banner, Dutch tables, figure style.

Domain-specific figures live in their domain modules; this module holds what every notebook
shares, so that all notebooks look alike.
"""

from __future__ import annotations

import html
from typing import Any

from helpers.core.provenance import DEMO_LABEL

# Colour-blind-safe palette (Okabe-Ito), used by every figure.
PALET = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# Diverging colours for the five bands duidelijk lager ... duidelijk hoger (colour-blind safe).
BAND_KLEUREN = {
    "duidelijk lager": "#b2182b",
    "lager": "#ef8a62",
    "gelijk": "#f7f7f7",
    "hoger": "#67a9cf",
    "duidelijk hoger": "#2166ac",
}


def stijl() -> None:
    """Apply the project's matplotlib/seaborn style (call once per notebook)."""
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", palette=PALET)
    mpl.rcParams.update({"figure.dpi": 110, "axes.titleweight": "bold",
                         "axes.formatter.use_locale": False, "svg.hashsalt": "wijkmonitor"})


def warm_figures() -> None:
    """Shared figure setup, once per process (issue 16, point 3): render one small figure in
    the project style (seaborn theme, text, legend, ticks) to PNG, so font files, glyph and
    text-layout caches and the Agg renderer are loaded before any notebook runs. The runner's
    fork server calls this once; every kernel forked from it inherits the warm caches.

    Leaves no trace: the global rcParams (and so the style a notebook starts with) are
    restored, and the figure never touches pyplot (no backend is chosen, no figure is left
    open), so outputs stay identical to those of a fresh kernel.
    """
    import io as _io

    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with mpl.rc_context():
        stijl()
        for weight in ("normal", "bold"):
            fig = Figure(figsize=(3, 2), dpi=mpl.rcParams["figure.dpi"])
            FigureCanvasAgg(fig)
            ax = fig.subplots()
            ax.bar(["a", "b"], [1, 2], label="Aandeel (%)", color=PALET[:2])
            ax.plot([0, 1], [1, 2], marker="o", label="Trend")
            ax.set_title("Focusgebied 2024 – ‘n’ ≥ 10", fontweight=weight)
            ax.set_xlabel("jaar")
            ax.set_ylabel("waarde (%)")
            ax.legend(title="Legenda")
            fig.text(0.01, 0.01, "Bron: CBS", fontsize=7, style="italic")
            fig.tight_layout()
            fig.savefig(_io.BytesIO(), format="png", bbox_inches="tight")


def banner_html(demo: bool) -> str:
    """HTML of the banner shown above every output built from demo data ('' otherwise)."""
    if not demo:
        return ""
    return (
        '<div style="background:#b00020;color:#fff;padding:8px 12px;font-weight:bold;'
        f'border-radius:4px">Let op: {html.escape(DEMO_LABEL)}. De cijfers zijn verzonnen '
        "en zeggen niets over de echte gebieden.</div>"
    )


def demo_banner(demo: bool) -> Any:
    """Display the demo banner in a notebook (returns an IPython HTML object or None)."""
    if not demo:
        return None
    from IPython.display import HTML

    return HTML(banner_html(demo))


def markdown(tekst: str) -> Any:
    """Display researcher- or template-written markdown in a notebook."""
    from IPython.display import Markdown

    return Markdown(tekst)
