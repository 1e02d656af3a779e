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


class Weergave:
    """What one notebook step shows: one output, returned by the step and displayed by the
    notebook (the step itself never displays, so nothing appears twice).

    ``delen``: the parts, in order: a matplotlib figure, a pandas Styler or DataFrame (shown
    without index), IPython ``Markdown``/``HTML`` or plain text. One part is shown as itself;
    several are rendered together as one HTML block (figures as embedded PNG with their
    title as alt text). ``gegevens``: the data the step computed (a DataFrame, or ``None``),
    for further use in code; it is not displayed.
    """

    def __init__(self, *delen: Any, gegevens: Any = None) -> None:
        self.delen = [d for d in delen if d is not None]
        self.gegevens = gegevens

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        if len(self.delen) == 1 and _is_text(self.delen[0]):
            return {"text/markdown": self.delen[0].data, "text/plain": self.delen[0].data}
        if len(self.delen) == 1 and hasattr(self.delen[0], "savefig"):
            return {"image/png": _png(self.delen[0]), "text/plain": self.__repr__()}
        return {"text/html": "\n".join(_html(d) for d in self.delen),
                "text/plain": self.__repr__()}

    def __repr__(self) -> str:
        return "\n".join(_plain(d) for d in self.delen) or "(niets te tonen)"

    @property
    def data(self) -> str:
        """The displayed text (markdown or HTML), e.g. for checks in tests."""
        bundle = self._repr_mimebundle_()
        return bundle.get("text/markdown") or bundle["text/html"]


def _is_text(deel: Any) -> bool:
    return hasattr(deel, "_repr_markdown_") and type(deel).__name__ == "Markdown"


def _plain(deel: Any) -> str:
    if hasattr(deel, "savefig"):
        titels = [ax.get_title() for ax in getattr(deel, "axes", []) if ax.get_title()]
        return f"[figuur: {'; '.join(titels) or 'zonder titel'}]"
    if type(deel).__name__ in ("Markdown", "HTML"):
        return str(deel.data)
    if hasattr(deel, "to_html") or hasattr(deel, "data"):
        df = getattr(deel, "data", deel)
        return f"[tabel: {len(df)} rijen]" if hasattr(df, "__len__") else "[tabel]"
    return str(deel)


def _png(fig: Any) -> str:
    """A matplotlib figure as base64 PNG text."""
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode()


def _html(deel: Any) -> str:
    """One part as HTML (see :class:`Weergave`)."""
    if hasattr(deel, "savefig"):
        titels = [ax.get_title() for ax in getattr(deel, "axes", []) if ax.get_title()]
        alt = html.escape("; ".join(titels) or "figuur", quote=True)
        return f'<img alt="{alt}" src="data:image/png;base64,{_png(deel)}"/>'

    if type(deel).__name__ == "Markdown":
        import mistune

        return str(mistune.html(deel.data))
    if type(deel).__name__ == "HTML":
        return str(deel.data)
    if hasattr(deel, "hide") and hasattr(deel, "to_html"):  # pandas Styler
        return deel.to_html()
    if hasattr(deel, "to_html"):  # DataFrame: no index
        return deel.to_html(index=False, escape=True, na_rep="–")
    return f"<p>{html.escape(str(deel))}</p>"
