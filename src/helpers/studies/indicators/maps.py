"""Choropleth maps of the wijken of a focus municipality, with the focus area outlined.

Boundaries come from the CBS wijk- en buurtkaart of the matching indeling year that the user
places in ``data/raw`` (GeoPackage, GeoJSON or TopoJSON), or from the demo generator
(``wijkenbuurten-demo-<jaar>.geojson``). Read with the same care as the tabular sources:
a missing code column raises :class:`helpers.core.errors.InputError` naming file and column.

Recognised columns (first present wins): code ``wijkcode``/``WK_CODE``/``statcode``;
name ``wijknaam``/``WK_NAAM``/``statnaam``; gemeente ``gemeentecode``/``GM_CODE``.
GeoPackage layers: ``wijken``, ``cbs_wijken_<jaar>``, or the only layer with ``wijk`` in its
name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import io
from helpers.core.errors import InputError
from helpers.registers.focusgebieden import member_codes

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

GEO_EXT = (".gpkg", ".geojson", ".topojson", ".json")
CODE_KOLOMMEN = ("wijkcode", "WK_CODE", "wk_code", "statcode")
NAAM_KOLOMMEN = ("wijknaam", "WK_NAAM", "wk_naam", "statnaam")
GM_KOLOMMEN = ("gemeentecode", "GM_CODE", "gm_code")


def _jaar_uit_naam(path: Path) -> int | None:
    m = re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return int(m[-1]) if m else None


def zoek_grenzen(raw: Path, jaar: int | None = None) -> Path | None:
    """The boundary file in ``raw`` for indeling year ``jaar`` (nearest year in the file name;
    ties to the later year), or ``None`` when there is none. JSON files count only when they
    look like GeoJSON/TopoJSON (a ``"type"`` of FeatureCollection or Topology)."""
    raw = Path(raw)
    if not raw.is_dir():
        return None
    kandidaten = []
    for p in sorted(raw.iterdir()):
        if p.suffix.lower() not in GEO_EXT or not p.is_file():
            continue
        if p.suffix.lower() == ".json":
            kop = p.read_bytes()[:4000].decode("utf-8", errors="ignore")
            if '"FeatureCollection"' not in kop and '"Topology"' not in kop:
                continue
        kandidaten.append(p)
    if not kandidaten:
        return None
    if jaar is None:
        return max(kandidaten, key=lambda p: (_jaar_uit_naam(p) or 0, p.name))
    return min(kandidaten, key=lambda p: (abs((_jaar_uit_naam(p) or 0) - jaar),
                                          -(_jaar_uit_naam(p) or 0), p.name))


def _laag(path: Path, jaar: int | None) -> str | None:
    import pyogrio

    lagen = [row[0] for row in pyogrio.list_layers(path)]
    if len(lagen) <= 1:
        return None
    for naam in ("wijken", f"cbs_wijken_{jaar}" if jaar else None):
        if naam and naam in lagen:
            return naam
    wijk = [naam for naam in lagen if "wijk" in naam.lower()]
    if len(wijk) == 1:
        return wijk[0]
    raise InputError(path, "meerdere lagen en geen wijkenlaag", column=None,
                     expected=f"een laag 'wijken' of 'cbs_wijken_<jaar>' (gevonden: {', '.join(lagen)})")


def read_grenzen(path: Path, jaar: int | None = None) -> gpd.GeoDataFrame:
    """Read wijk boundaries into ``code, naam, gemeente, geometry``.

    Raises :class:`InputError` naming the file when it cannot be read, when the code column
    is missing (naming the column names accepted), or when it holds no geometry.
    Codes are stripped; the gemeente is derived from the code when its column is absent.
    """
    import geopandas as gpd
    import pyogrio

    path = io.record_read(path)
    try:
        laag = _laag(path, jaar)
        gdf = gpd.read_file(path, layer=laag) if laag else gpd.read_file(path)
    except InputError:
        raise
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise InputError(path, f"grenzenbestand is niet te lezen ({exc})",
                         expected="GeoPackage, GeoJSON of TopoJSON") from exc
    if gdf.empty or gdf.geometry is None:
        raise InputError(path, "grenzenbestand bevat geen geometrie")

    def kies(opties: tuple[str, ...], verplicht: bool) -> str | None:
        for k in opties:
            if k in gdf.columns:
                return k
        if verplicht:
            raise InputError(path, "kolom met de wijkcode ontbreekt", column=opties[0],
                             expected=" of ".join(opties))
        return None

    ck = kies(CODE_KOLOMMEN, True)
    nk = kies(NAAM_KOLOMMEN, False)
    gk = kies(GM_KOLOMMEN, False)
    out = gpd.GeoDataFrame({
        "code": gdf[ck].astype(str).str.strip(),
        "naam": gdf[nk].astype(str).str.strip() if nk else gdf[ck].astype(str).str.strip(),
    }, geometry=gdf.geometry.values, crs=gdf.crs)
    out["gemeente"] = gdf[gk].astype(str).str.strip() if gk else "GM" + out["code"].str.slice(2, 6)
    out = out[out["code"].str.startswith("WK")]
    if out.empty:
        raise InputError(path, "geen wijkcodes (WK...) in het grenzenbestand", column=ck,
                         expected="codes als WK034403")
    return out.reset_index(drop=True)


def kaartdata(grenzen: gpd.GeoDataFrame, wijken: pd.DataFrame, gemeente: str,
              indicator: str, jaar: int) -> gpd.GeoDataFrame:
    """The wijken of ``gemeente`` with the code-level value ``x`` of ``indicator`` in ``jaar``
    (NaN where missing) and the small-population flag ``klein``."""
    g = grenzen[grenzen["gemeente"] == gemeente]
    w = wijken[(wijken["indicator"] == indicator) & (wijken["jaar"] == jaar)][["code", "x", "klein"]]
    return g.merge(w, on="code", how="left")


def kaart(grenzen: gpd.GeoDataFrame, wijken: pd.DataFrame, gebied: Any, indicator: str,
          jaar: int, *, label: str | None = None, codes: tuple[str, ...] = (),
          ax: Any = None) -> Any:
    """Choropleth of the wijken of the area's municipality for ``indicator`` in ``jaar``,
    with the focus area (``codes``, default: the registry codes for that year) outlined.
    Wijken without a value are hatched grey; wijken with few inhabitants get a dot.
    Returns the matplotlib figure."""
    import matplotlib.pyplot as plt


    d = kaartdata(grenzen, wijken, gebied.gemeente, indicator, jaar)
    if not codes:
        _, codes = member_codes(gebied, jaar)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 6.5))
    else:
        fig = ax.figure
    if d.empty:
        ax.text(0.5, 0.5, "Geen wijkgrenzen voor deze gemeente", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    heeft = d["x"].notna()
    if heeft.any():
        d[heeft].plot(column="x", ax=ax, cmap="viridis", legend=True, edgecolor="white",
                      linewidth=0.4, legend_kwds={"label": label or indicator, "shrink": 0.7})
    if (~heeft).any():
        d[~heeft].plot(ax=ax, color="#dddddd", hatch="///", edgecolor="white", linewidth=0.4)
    gebied_geo = d[d["code"].isin(codes)]
    if not gebied_geo.empty:
        gebied_geo.dissolve().boundary.plot(ax=ax, color="black", linewidth=2.2)
    klein = d[d["klein"].astype("boolean").fillna(False).astype(bool)]
    if not klein.empty:
        klein.representative_point().plot(ax=ax, color="#D55E00", markersize=12, marker="o")
    ax.set_title(f"{getattr(gebied, 'naam', gebied.id)}: {label or indicator}, {jaar}")
    ax.set_axis_off()
    return fig
