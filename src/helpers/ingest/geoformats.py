"""Parsers of the boundary formats (GeoJSON, TopoJSON, GeoPackage) for :mod:`helpers.ingest.grenzen`.

Each parser returns the features of one file as ``(properties, GeoJSON geometry dict)`` pairs and
raises :class:`~helpers.core.errors.InputError` (in Dutch, naming the file and what was expected)
when the file cannot be parsed. TopoJSON arcs are decoded here (delta decoding of quantised
arcs, reversed arcs for negative indices); consecutive arcs of a ring must join.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

BRON_CRS = "EPSG:4326"  # GeoJSON (RFC 7946) and TopoJSON without a crs member: WGS84 lon/lat
CODE_KEYS = ("wijkcode", "statcode", "WK_CODE", "wk_code")
VERWACHT = "de CBS wijk- en buurtkaart als GeoPackage, GeoJSON (FeatureCollection) of TopoJSON"


def parse_json(path: Path, data: bytes) -> dict:
    """The JSON document of a GeoJSON/TopoJSON file (line and column of a syntax error)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, "grenzenbestand is geen UTF-8-tekst", expected=VERWACHT) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"grenzenbestand is geen geldige JSON ({exc.msg})",
            line=exc.lineno,
            column=f"teken {exc.colno}",
            expected=VERWACHT,
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") not in ("Topology", "FeatureCollection"):
        soort = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(
            path,
            f"JSON zonder Topology of FeatureCollection (type: {soort!r})",
            line=1,
            expected=VERWACHT,
        )
    return doc


def read_crs(path: Path, doc: dict) -> str:
    """The CRS named by a (legacy) ``crs`` member, else WGS84."""
    crs = doc.get("crs")
    if crs is None:
        return BRON_CRS
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    try:
        from pyproj import CRS

        return CRS.from_user_input(name).to_string()
    except Exception as exc:  # pyproj raises CRSError or TypeError on a bad name
        raise InputError(
            path,
            f"onbekend coördinatenstelsel in 'crs' ({name!r})",
            column="crs",
            expected="een EPSG-code, bijv. EPSG:4326",
        ) from exc


def read_features_geojson(path: Path, doc: dict) -> list[tuple[dict, Any]]:
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        raise InputError(
            path,
            "FeatureCollection zonder features",
            column="features",
            expected="een lijst met een feature per wijk",
        )
    out = []
    for i, f in enumerate(feats):
        if not isinstance(f, dict):
            raise InputError(path, f"feature {i + 1} is geen object", expected="GeoJSON-features")
        out.append((f.get("properties") or {}, f.get("geometry")))
    return out


def _arc_points(path: Path, arcs: list, transform: dict | None) -> list:
    """Absolute coordinates of every arc (delta-decoded when quantised)."""
    import numpy as np

    scale = translate = None
    if transform is not None:
        try:
            scale = np.asarray(transform["scale"], dtype=float)[:2]
            translate = np.asarray(transform["translate"], dtype=float)[:2]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                path,
                "ongeldige 'transform' in de TopoJSON",
                column="transform",
                expected="scale en translate met twee getallen",
            ) from exc
    out = []
    for k, arc in enumerate(arcs):
        try:
            a = np.asarray(arc, dtype=float)[:, :2]
        except (TypeError, ValueError, IndexError) as exc:
            raise InputError(
                path,
                f"boog {k} is geen lijst van punten",
                column="arcs",
                expected="bogen als [[x, y], ...]",
            ) from exc
        if len(a) < 2:
            raise InputError(
                path,
                f"boog {k} heeft minder dan twee punten",
                column="arcs",
                expected="bogen van ten minste twee punten",
            )
        if scale is not None:
            a = np.cumsum(a, axis=0) * scale + translate
        out.append(a)
    return out


def _ring(path: Path, idx: list, points: list, where: str) -> list:
    import numpy as np

    parts = []
    for j in idx:
        if not isinstance(j, int) or not (-len(points) <= j < len(points)):
            raise InputError(
                path,
                f"{where}: boogindex {j!r} bestaat niet ({len(points)} bogen)",
                column="arcs",
                expected="indices van bestaande bogen",
            )
        a = points[j] if j >= 0 else points[~j][::-1]
        if parts and parts[-1][-1].tolist() != a[0].tolist():
            raise InputError(
                path,
                f"{where}: bogen sluiten niet op elkaar aan",
                column="arcs",
                expected="een gesloten ring van aansluitende bogen",
            )
        parts.append(a if not parts else a[1:])
    return np.concatenate(parts) if parts else np.empty((0, 2))


def read_features_topojson(path: Path, doc: dict) -> list[tuple[dict, Any]]:
    objects, arcs = doc.get("objects"), doc.get("arcs")
    if not isinstance(objects, dict) or not objects:
        raise InputError(
            path, "TopoJSON zonder objecten", column="objects", expected="een object met de wijken"
        )
    if not isinstance(arcs, list):
        raise InputError(path, "TopoJSON zonder bogen", column="arcs", expected="een lijst 'arcs'")
    if len(objects) > 1:
        wijk = [k for k in objects if "wijk" in k.lower()]
        if len(wijk) != 1:
            raise InputError(
                path,
                "meerdere objecten en geen wijkenobject",
                column="objects",
                expected=f"één object met 'wijk' in de naam (gevonden: {', '.join(objects)})",
            )
        obj = objects[wijk[0]]
    else:
        obj = next(iter(objects.values()))
    geoms = obj.get("geometries") if isinstance(obj, dict) else None
    if not isinstance(geoms, list) or not geoms:
        raise InputError(
            path,
            "wijkenobject zonder geometrieën",
            column="geometries",
            expected="een GeometryCollection met een geometrie per wijk",
        )
    points = _arc_points(path, arcs, doc.get("transform"))
    out = []
    for i, g in enumerate(geoms):
        props = (g.get("properties") or {}) if isinstance(g, dict) else {}
        kind = g.get("type") if isinstance(g, dict) else None
        where = f"geometrie {i + 1} ({first_value(props, CODE_KEYS) or 'zonder code'})"
        try:
            if kind == "Polygon":
                geom = {
                    "type": kind,
                    "coordinates": [_ring(path, r, points, where) for r in g["arcs"]],
                }
            elif kind == "MultiPolygon":
                geom = {
                    "type": kind,
                    "coordinates": [[_ring(path, r, points, where) for r in p] for p in g["arcs"]],
                }
            else:
                geom = {"type": kind, "coordinates": None}
        except (KeyError, TypeError) as exc:
            raise InputError(
                path,
                f"{where}: ongeldige 'arcs'",
                column="arcs",
                expected="ringen als lijsten van boogindices",
            ) from exc
        out.append((props, geom))
    return out


def first_value(props: dict, keys: tuple[str, ...]) -> Any:
    for k in keys:
        if props.get(k) not in (None, ""):
            return props[k]
    return None


def find_line(text: str | None, code: str, last: bool = False) -> int | None:
    """The line of ``"code"`` in a JSON text (first or last occurrence), for messages."""
    if not text:
        return None
    pos = text.rfind(f'"{code}"') if last else text.find(f'"{code}"')
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def read_features_gpkg(path: Path) -> tuple[list[tuple[dict, Any]] | None, gpd.GeoDataFrame, str]:
    import geopandas as gpd
    import pyogrio

    try:
        lagen = [row[0] for row in pyogrio.list_layers(path)]
        laag = None
        if len(lagen) > 1:
            wijk = [n for n in lagen if n == "wijken" or re.match(r"^cbs_wijken_\d{4}$", n)]
            wijk = wijk or [n for n in lagen if "wijk" in n.lower()]
            if len(wijk) != 1:
                raise InputError(
                    path,
                    "meerdere lagen en geen wijkenlaag",
                    expected="een laag "
                    f"'wijken' of 'cbs_wijken_<jaar>' (gevonden: {', '.join(lagen)})",
                )
            laag = wijk[0]
        gdf = gpd.read_file(path, layer=laag)
    except InputError:
        raise
    except Exception as exc:  # pyogrio/GDAL raise many types for a damaged file
        raise InputError(path, f"GeoPackage is niet te lezen ({exc})", expected=VERWACHT) from exc
    if gdf.crs is None:
        raise InputError(
            path,
            "GeoPackage zonder coördinatenstelsel",
            column="geometry",
            expected="een laag met een CRS (EPSG:28992 of EPSG:4326)",
        )
    crs = gdf.crs.to_string()
    props = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    return props, gdf, crs
