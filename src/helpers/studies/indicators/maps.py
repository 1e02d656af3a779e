"""Maps in RD New from the processed boundary table: choropleths per municipality and the
national map of the focus areas.

Boundaries come only from ``data/processed/grenzen.parquet`` (GeoParquet, EPSG:28992), written
by ``wijkmonitor build`` from the CBS wijk- en buurtkaart (:mod:`helpers.ingest.grenzen`).
Every mark on a map has a legend entry: the colour bar (value), the black outline (focus
area), the dot (wijk with few inhabitants) and the hatching (no value). Captions cite the map
as :func:`bron_kaart` ("CBS, Wijk- en buurtkaart 2022 (bewerking)"), never a file name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config, io
from helpers.core.errors import InputError
from helpers.registers.focusgebieden import member_codes

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

KAART_CRS = "EPSG:28992"  # RD New: metres, no east-west stretch of unprojected lon/lat
KLEIN_KLEUR = "#D55E00"
GEEN_WAARDE = "#dddddd"
GEBIED_KLEUR = "#0072B2"
LABEL_KLEIN = "weinig inwoners (waarde onzeker)"
LABEL_GEEN = "geen waarde"
LABEL_GEBIED = "focusgebied"


def bron_kaart(jaar: int) -> str:
    """The caption's source of a map drawn on the boundaries of indeling year ``jaar``."""
    return f"CBS, Wijk- en buurtkaart {int(jaar)} (bewerking)"


def load_grenzen(processed: Path | None = None, jaar: int | None = None) -> gpd.GeoDataFrame | None:
    """The wijk boundaries of ``grenzen.parquet`` for the indeling year nearest to ``jaar``
    (ties to the later year; ``None``: the latest), in :data:`KAART_CRS`.

    Returns ``None`` when the table is absent or empty (no boundary file was ingested).
    Raises :class:`InputError` when the file has no CRS.
    """
    import geopandas as gpd

    p = io.record_read(config.processed(config.GRENZEN_PARQUET, processed))
    if not p.exists():
        return None
    g = gpd.read_parquet(p)
    if g.empty:
        return None
    if g.crs is None:
        raise InputError(
            p,
            "grenzentabel zonder coördinatenstelsel",
            expected="GeoParquet met CRS (voer 'wijkmonitor build' opnieuw uit)",
        )
    jaren = sorted(int(j) for j in g["indelingsjaar"].unique())
    choose = max(jaren) if jaar is None else min(jaren, key=lambda j: (abs(j - jaar), -j))
    return g[g["indelingsjaar"] == choose].to_crs(KAART_CRS).reset_index(drop=True)


def kaartdata(
    grenzen: gpd.GeoDataFrame, wijken: pd.DataFrame, gemeente: str, indicator: str, jaar: int
) -> gpd.GeoDataFrame:
    """The wijken of ``gemeente`` with the code-level value ``x`` of ``indicator`` in ``jaar``
    (NaN where missing) and the small-population flag ``klein``."""
    g = grenzen[grenzen["gemeente"] == gemeente]
    w = wijken[(wijken["indicator"] == indicator) & (wijken["jaar"] == jaar)][
        ["code", "x", "klein"]
    ]
    return g.merge(w, on="code", how="left")


def _legenda(ax: Any, handles: list, ncol: int = 1, **kw: Any) -> Any:
    return ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        frameon=False,
        fontsize=8,
        ncol=ncol,
        **kw,
    )


def kaart(
    grenzen: gpd.GeoDataFrame,
    wijken: pd.DataFrame,
    focusgebied: Any,
    indicator: str,
    jaar: int,
    *,
    label: str | None = None,
    codes: tuple[str, ...] = (),
    ax: Any = None,
) -> Any:
    """Choropleth of the wijken of the area's municipality for ``indicator`` in ``jaar`` in RD
    New, with the focus area (``codes``, default: the registry codes for the boundaries'
    indeling year) outlined. Wijken without a value are hatched grey; wijken with few
    inhabitants get a dot. A horizontal colour bar under the map, a legend for outline, dot and
    hatching under it; the title above. Returns the matplotlib figure."""
    import matplotlib.pyplot as plt
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if grenzen.crs is not None and grenzen.crs.to_epsg() != 28992:
        grenzen = grenzen.to_crs(KAART_CRS)
    d = kaartdata(grenzen, wijken, focusgebied.gemeente, indicator, jaar)
    if not codes:
        gj = int(grenzen["indelingsjaar"].iloc[0]) if "indelingsjaar" in grenzen else jaar
        _, codes = member_codes(focusgebied, gj)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 7.2), layout="constrained")
    else:
        fig = ax.figure
    ax.set_title(f"{getattr(focusgebied, 'naam', focusgebied.id)}: {label or indicator}, {jaar}", fontsize=11)
    ax.set_axis_off()
    if d.empty:
        ax.text(
            0.5,
            0.5,
            "Geen wijkgrenzen voor deze gemeente",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return fig
    handles = []
    heeft = d["x"].notna()
    if heeft.any():
        norm = Normalize(float(d.loc[heeft, "x"].min()), float(d.loc[heeft, "x"].max()))
        d[heeft].plot(
            column="x", ax=ax, cmap="viridis", norm=norm, edgecolor="white", linewidth=0.4
        )
        cb = fig.colorbar(
            ScalarMappable(norm=norm, cmap="viridis"),
            ax=ax,
            orientation="horizontal",
            location="bottom",
            shrink=0.7,
            pad=0.01,
            aspect=35,
        )
        cb.set_label(label or indicator, fontsize=9)
    if (~heeft).any():
        d[~heeft].plot(ax=ax, color=GEEN_WAARDE, hatch="///", edgecolor="white", linewidth=0.4)
        handles.append(
            Patch(facecolor=GEEN_WAARDE, hatch="///", edgecolor="#888888", label=LABEL_GEEN)
        )
    gebied_geo = d[d["code"].isin(codes)]
    if not gebied_geo.empty:
        gebied_geo.dissolve().boundary.plot(ax=ax, color="black", linewidth=2.2)
        handles.insert(
            0,
            Line2D(
                [],
                [],
                color="black",
                linewidth=2.2,
                label=f"{LABEL_GEBIED} {getattr(focusgebied, 'naam', focusgebied.id)}",
            ),
        )
    klein = d[d["klein"].astype("boolean").fillna(False).astype(bool)]
    if not klein.empty:
        klein.representative_point().plot(ax=ax, color=KLEIN_KLEUR, markersize=14, marker="o")
        handles.append(
            Line2D(
                [],
                [],
                color=KLEIN_KLEUR,
                marker="o",
                linestyle="none",
                markersize=5,
                label=LABEL_KLEIN,
            )
        )
    if handles:
        _legenda(ax, handles, ncol=min(len(handles), 2))
    ax.set_aspect("equal")
    return fig


def kaart_focusgebieden(grenzen: gpd.GeoDataFrame, gebieden: list) -> Any:
    """The Netherlands (all wijken of ``grenzen``, grey) with the focus areas ``gebieden``
    (registry codes for the boundaries' indeling year) filled and numbered; the legend lists
    number and name of every area. Areas without codes in that year are named in the legend
    as not drawn. Returns the matplotlib figure (RD New, equal aspect)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if grenzen.crs is not None and grenzen.crs.to_epsg() != 28992:
        grenzen = grenzen.to_crs(KAART_CRS)
    gj = int(grenzen["indelingsjaar"].iloc[0])
    fig, (ax, lax) = plt.subplots(
        1, 2, figsize=(9.5, 7.5), layout="constrained", gridspec_kw={"width_ratios": [1.35, 1]}
    )
    grenzen.plot(ax=ax, color="#e6e6e6", edgecolor="#e6e6e6", linewidth=0.2)
    handles = [
        Patch(facecolor="#e6e6e6", edgecolor="#bbbbbb", label="overige wijken"),
        Patch(facecolor=GEBIED_KLEUR, edgecolor=GEBIED_KLEUR, label="wijken van een focusgebied"),
    ]
    punten: list[tuple[int, float, float]] = []
    for nr, g in enumerate(gebieden, start=1):
        _, codes = member_codes(g, gj)
        sel = grenzen[grenzen["code"].isin(codes)]
        if sel.empty:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    label=f"–  {g.naam} (niet getekend: geen wijken in {gj})",
                )
            )
            continue
        sel.plot(ax=ax, color=GEBIED_KLEUR, edgecolor=GEBIED_KLEUR, linewidth=0.8)
        p = sel.dissolve().representative_point().iloc[0]
        punten.append((nr, p.x, p.y))
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=f"${nr}$",
                color="black",
                markersize=7,
                label=g.naam,
            )
        )
    ax.set_title(f"De {len(gebieden)} focusgebieden", fontsize=12)
    ax.set_aspect("equal")
    ax.set_axis_off()
    lax.set_axis_off()
    _nummers(fig, ax, punten)
    lax.legend(
        handles=handles,
        loc="center left",
        frameon=False,
        fontsize=8.5,
        handletextpad=0.6,
        labelspacing=0.55,
    )
    return fig


# Label offsets (points) tried in order until a number overlaps no number placed before it.
_OFFSETS = [
    (4, 4),
    (4, -14),
    (-16, 4),
    (-16, -14),
    (14, -5),
    (-26, -5),
    (-5, 16),
    (-5, -24),
    (18, 16),
    (-30, 16),
    (18, -26),
    (-30, -26),
    (30, -5),
    (-40, -5),
    (-5, 28),
    (-5, -36),
]


def _nummers(fig: Any, ax: Any, punten: list[tuple[int, float, float]]) -> None:
    """Number every focus area beside its representative point without two numbers
    overlapping: each number takes the first offset of :data:`_OFFSETS` that is free; a moved
    number gets a thin leader line to its area."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    fig.canvas.draw()  # settle the constrained layout before measuring
    r = fig.canvas.get_renderer()
    placed: list[Any] = []
    for nr, x, y in punten:
        for k, (dx, dy) in enumerate(_OFFSETS):
            a = ax.annotate(
                str(nr),
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=7,
                fontweight="bold",
                color="black",
                bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": GEBIED_KLEUR, "lw": 0.6},
                arrowprops=None if k == 0 else {"arrowstyle": "-", "lw": 0.5, "color": "#555555"},
            )
            a.set_in_layout(False)
            a.update_positions(r)
            t = Text.get_window_extent(a, r)  # the number itself; its circle is drawn around it
            half = max(t.width, t.height) / 2 + 0.3 * a.get_fontsize() * fig.dpi / 72 + 1
            cx, cy = (t.x0 + t.x1) / 2, (t.y0 + t.y1) / 2
            bb = Bbox.from_extents(cx - half, cy - half, cx + half, cy + half)
            if not any(bb.overlaps(p) for p in placed) or k == len(_OFFSETS) - 1:
                placed.append(bb)
                break
            a.remove()
