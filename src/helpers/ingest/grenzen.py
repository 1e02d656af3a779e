"""Boundaries as a source: the CBS wijk- en buurtkaart -> ``grenzen.parquet`` (RD New).

A raw boundary file is recognised from its content, not its name: a GeoPackage (SQLite
header), a TopoJSON (``"type": "Topology"``) or a GeoJSON (``"type": "FeatureCollection"``).
Files named ``.geojson``/``.topojson``/``.gpkg`` must be one of these; a ``.json`` file counts
only when its first 4,000 bytes name a Topology or FeatureCollection (other JSON is skipped).

Checks (each failure is a Dutch :class:`~helpers.core.errors.InputError` naming the file and,
for JSON, the line of the offending wijk code, and nothing is written):

- parseable: valid UTF-8 JSON (line and column of a syntax error), the TopoJSON structure
  (``objects``, ``arcs``, arc indices in range, ``transform``) or a readable GeoPackage layer;
- geometry: every wijk a Polygon or MultiPolygon; every ring closed (first = last point; in a
  TopoJSON consecutive arcs must join) with at least four points; inside the area of use of
  RD New. Self-intersections (common in generalised maps) are repaired with
  :func:`shapely.make_valid` and the repaired codes are noted in ``bronnen.json``; a geometry
  that is empty after repair is an error;
- codes: a wijk code (``WK`` + 6), unique within the file, whose gemeente part matches the
  gemeente property; the indeling year from the property ``jaar``, else ``jrstatcode``
  (``2022WK...``), else the file name. When the region table of the tabular sources knows that
  year, each gemeente of the file must share at least one wijk code with it (a file of another
  indeling - Amsterdam's codes of 2022 against 2024 - fails); codes unknown to it are noted.

:func:`read_boundary_file` returns the frame ``code, naam, gemeente, indelingsjaar, geometry``
in :data:`DOEL_CRS`; :func:`write_grenzen` writes it as GeoParquet (CRS in the ``geo`` metadata).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core.errors import InputError
from helpers.ingest import geoformats
from helpers.ingest.geoformats import BRON_CRS, CODE_KEYS, VERWACHT

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

DOEL_CRS = "EPSG:28992"  # RD New: every processed boundary is stored (and mapped) in it
BOUNDARY_SUFFIXES = (".gpkg", ".geojson", ".topojson")
GPKG_MAGIC = b"SQLite format 3\x00"
NAAM_KEYS = ("wijknaam", "statnaam", "WK_NAAM", "wk_naam")
GM_KEYS = ("gemeentecode", "gmCode", "GM_CODE", "gm_code")
WIJKCODE = re.compile(r"^WK\d{4}[0-9A-Z]{2}$")


@dataclass
class Grenzen:
    """The checked boundaries of one raw file (in :data:`DOEL_CRS`) and facts for bronnen.json."""

    frame: gpd.GeoDataFrame
    formaat: str
    jaar: int
    crs_bron: str
    notes: list[str] = field(default_factory=list)


def is_boundary_file(path: Path, head: bytes) -> bool:
    """True when ingest must read ``path`` as a boundary file (``head``: its first bytes)."""
    suffix = path.suffix.lower()
    if suffix in BOUNDARY_SUFFIXES:
        return True
    if suffix == ".json":
        kop = head[:4000].decode("utf-8", errors="ignore")
        return '"FeatureCollection"' in kop or '"Topology"' in kop
    return False


# --------------------------------------------------------------------------- checks


def _geometry(path: Path, geom: Any, where: str) -> Any:
    """A shapely (Multi)Polygon from a GeoJSON geometry dict (rings as lists or arrays of
    points), rings checked for closure."""
    import numpy as np
    import shapely

    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise InputError(
            path,
            f"{where}: geometrie is {kind or 'leeg'}",
            column="geometry",
            expected="een Polygon of MultiPolygon per wijk",
        )
    coords = geom.get("coordinates")
    polys = coords if kind == "MultiPolygon" else [coords]
    try:
        out = []
        for poly in polys:
            if not poly:
                raise InputError(
                    path,
                    f"{where}: polygoon zonder ringen",
                    column="geometry",
                    expected="ten minste één buitenring",
                )
            for ring in poly:
                if len(ring) < 4 or list(ring[0][:2]) != list(ring[-1][:2]):
                    raise InputError(
                        path,
                        f"{where}: ring is niet gesloten of heeft minder dan vier punten",
                        column="geometry",
                        expected="gesloten ringen (eerste punt = laatste punt)",
                    )
            rings = [np.asarray(r, dtype=float)[:, :2] for r in poly]
            holes = [shapely.linearrings(r) for r in rings[1:]]
            out.append(shapely.polygons(shapely.linearrings(rings[0]), holes=holes or None))
        return out[0] if kind == "Polygon" else shapely.multipolygons(out)
    except (TypeError, IndexError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
        raise InputError(
            path,
            f"{where}: ongeldige coördinaten",
            column="geometry",
            expected="ringen van [x, y]-punten",
        ) from exc


def _jaar(path: Path, props: list[dict]) -> int:
    jaren = {int(p["jaar"]) for p in props if str(p.get("jaar", "")).isdigit()}
    if not jaren:
        jaren = {
            int(str(p["jrstatcode"])[:4])
            for p in props
            if re.match(r"^\d{4}", str(p.get("jrstatcode", "")))
        }
    if len(jaren) > 1:
        raise InputError(
            path,
            f"wijken van meerdere indelingsjaren ({', '.join(map(str, sorted(jaren)))})",
            column="jaar",
            expected="één indelingsjaar per grenzenbestand",
        )
    if jaren:
        return jaren.pop()
    m = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", path.name)
    if not m:
        raise InputError(
            path,
            "indelingsjaar onbekend",
            column="jaar",
            expected="een eigenschap 'jaar' of het jaar in de bestandsnaam "
            "(bijv. wijk-2022.topojson)",
        )
    return int(m[-1])


def _repair(frame: gpd.GeoDataFrame) -> list[str]:
    """Repair invalid geometries in place (polygonal part of make_valid); the codes repaired."""
    import shapely

    bad = ~frame.geometry.is_valid
    if not bad.any():
        return []
    import geopandas as gpd

    fixed = shapely.make_valid(frame.geometry[bad].values)
    frame.loc[bad, "geometry"] = gpd.GeoSeries(
        [_polygonal(g) for g in fixed], index=frame.index[bad], crs=frame.crs
    )
    return frame.loc[bad, "code"].tolist()


def _polygonal(geom: Any) -> Any:
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    polys = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    return MultiPolygon(polys) if polys else Polygon()


def _check_area(path: Path, frame: gpd.GeoDataFrame, text: str | None) -> None:
    """Every wijk lies inside the area of use of RD New (catches swapped lon/lat, wrong CRS)."""
    from pyproj import CRS

    w, s, e, n = CRS.from_user_input(DOEL_CRS).area_of_use.bounds
    ll = frame.geometry.to_crs(BRON_CRS).bounds
    buiten = (
        (ll["minx"] < w - 0.5)
        | (ll["maxx"] > e + 0.5)
        | (ll["miny"] < s - 0.5)
        | (ll["maxy"] > n + 0.5)
    )
    if buiten.any():
        code = frame.loc[buiten, "code"].iloc[0]
        raise InputError(
            path,
            f"wijk {code} ligt buiten Nederland",
            line=geoformats.find_line(text, code),
            column="geometry",
            expected="coördinaten in Nederland (lengte, breedte "
            "in WGS84 of RD New); zijn x en y verwisseld?",
        )


def _frame(
    path: Path, feats: list[tuple[dict, Any]], crs: str, text: str | None
) -> tuple[gpd.GeoDataFrame, int]:
    import geopandas as gpd

    rows, seen = [], {}
    for i, (props, geom) in enumerate(feats):
        code = geoformats.first_value(props, CODE_KEYS)
        if code is None:
            raise InputError(
                path,
                f"object {i + 1} heeft geen wijkcode",
                column=CODE_KEYS[0],
                expected=" of ".join(CODE_KEYS),
            )
        code = str(code).strip()
        if not WIJKCODE.match(code):
            raise InputError(
                path,
                f"object {i + 1}: '{code}' is geen wijkcode",
                line=geoformats.find_line(text, code),
                column=next(k for k in CODE_KEYS if k in props),
                expected="wijkcodes als WK034403 (een grenzenbestand per niveau: wijken)",
            )
        if code in seen:
            raise InputError(
                path,
                f"wijkcode {code} komt twee keer voor (objecten {seen[code]} en {i + 1})",
                line=geoformats.find_line(text, code, last=True),
                column="code",
                expected="één object per wijk",
            )
        seen[code] = i + 1
        gm = str(geoformats.first_value(props, GM_KEYS) or f"GM{code[2:6]}").strip()
        if gm != f"GM{code[2:6]}":
            raise InputError(
                path,
                f"wijk {code} hoort niet bij gemeente {gm}",
                line=geoformats.find_line(text, code),
                column=next(k for k in GM_KEYS if k in props),
                expected=f"gemeentecode GM{code[2:6]} (uit de wijkcode)",
            )
        naam = geoformats.first_value(props, NAAM_KEYS)
        try:
            shape = _geometry(path, geom, f"wijk {code}")
        except InputError as exc:  # the line is looked up only for the message
            raise InputError(
                path,
                exc.detail,
                line=geoformats.find_line(text, code),
                column=exc.column,
                expected=exc.expected,
            ) from exc
        rows.append(
            {
                "code": code,
                "naam": str(naam).strip() if naam is not None else code,
                "gemeente": gm,
                "geometry": shape,
            }
        )
    jaar = _jaar(path, [p for p, _ in feats])
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    return frame, jaar


def read_boundary_file(path: Path, data: bytes, regions: pd.DataFrame | None = None) -> Grenzen:
    """Read and check one raw boundary file (bytes ``data``); see the module docstring.

    ``regions``: the region table of the tabular sources (for the check of the indeling year).
    Returns the boundaries in :data:`DOEL_CRS`. Raises :class:`InputError` on bad input.
    """
    from shapely.geometry import mapping

    path = Path(path)
    text = None
    if data.startswith(GPKG_MAGIC):
        props, gdf, crs = geoformats.read_features_gpkg(path)
        feats = [
            (p, mapping(g) if g is not None else None)
            for p, g in zip(props, gdf.geometry, strict=True)
        ]
        formaat = "cbs-wijkkaart-geopackage"
    elif path.suffix.lower() == ".gpkg":
        raise InputError(
            path,
            "bestand met de naam .gpkg is geen GeoPackage (SQLite-bestand)",
            line=1,
            expected=VERWACHT,
        )
    else:
        doc = geoformats.parse_json(path, data)
        text = data.decode("utf-8-sig")
        crs = geoformats.read_crs(path, doc)
        if doc["type"] == "Topology":
            feats, formaat = geoformats.read_features_topojson(path, doc), "cbs-wijkkaart-topojson"
        else:
            feats, formaat = geoformats.read_features_geojson(path, doc), "cbs-wijkkaart-geojson"
        del doc
    frame, jaar = _frame(path, feats, crs, text)
    notes = []
    hersteld = _repair(frame)
    leeg = frame.geometry.is_empty
    if leeg.any():
        code = frame.loc[leeg, "code"].iloc[0]
        raise InputError(
            path,
            f"wijk {code}: geometrie is leeg (ook na herstel)",
            line=geoformats.find_line(text, code),
            column="geometry",
            expected="een vlak met oppervlakte per wijk",
        )
    if hersteld:
        notes.append(
            f"{len(hersteld)} geometrieën met zelfdoorsnijding hersteld "
            f"(make_valid): {', '.join(hersteld)}"
        )
    _check_area(path, frame, text)
    notes += _check_indeling(path, frame, jaar, regions, text)
    frame = frame.to_crs(DOEL_CRS)
    frame.insert(3, "indelingsjaar", jaar)
    return Grenzen(frame=frame, formaat=formaat, jaar=jaar, crs_bron=crs, notes=notes)


def _check_indeling(
    path: Path, frame: gpd.GeoDataFrame, jaar: int, regions: pd.DataFrame | None, text: str | None
) -> list[str]:
    """Per gemeente at least one code of the region table of ``jaar``; notes for the rest."""
    if regions is None or regions.empty:
        return [f"geen regio-indeling {jaar} in de tabelbronnen; wijkcodes niet vergeleken"]
    reg = regions[(regions["soort"] == "wijk") & (regions["indelingsjaar"] == jaar)]
    if reg.empty:
        return [f"geen regio-indeling {jaar} in de tabelbronnen; wijkcodes niet vergeleken"]
    bekend = set(reg["code"].astype(str))
    gm_bekend = set(reg["gemeente"].astype(str))
    onbekend = frame[~frame["code"].isin(bekend)]
    for gm, groep in onbekend.groupby("gemeente", sort=True):
        if gm in gm_bekend and len(groep) == int((frame["gemeente"] == gm).sum()):
            code = groep["code"].iloc[0]
            raise InputError(
                path,
                f"geen van de {len(groep)} wijkcodes van {gm} (bijv. {code}) "
                f"hoort bij de wijkindeling {jaar} van de tabelbronnen",
                line=geoformats.find_line(text, code),
                column="code",
                expected=f"wijkcodes van de indeling {jaar} (of het juiste jaar in "
                "de eigenschap 'jaar' of de bestandsnaam)",
            )
    if onbekend.empty:
        return []
    return [
        f"{len(onbekend)} wijkcodes niet in de tabelbronnen van {jaar}: "
        f"{', '.join(onbekend['code'].head(40))}{' ...' if len(onbekend) > 40 else ''}"
    ]


def combine_grenzen(parts: list[tuple[Path, Grenzen]]) -> gpd.GeoDataFrame:
    """All boundary files in one frame keyed by (code, indelingsjaar), sorted by key; an empty
    frame (same columns, :data:`DOEL_CRS`) without boundary files, so that ``grenzen.parquet``
    always exists and notebooks can declare it as input.

    Raises :class:`InputError` when two files give the same indeling year."""
    import geopandas as gpd
    import pandas as pd

    per_jaar: dict[int, Path] = {}
    for path, g in parts:
        if g.jaar in per_jaar:
            raise InputError(
                path,
                f"tweede grenzenbestand voor indelingsjaar {g.jaar} (ook in '{per_jaar[g.jaar]}')",
                column="jaar",
                expected="één grenzenbestand per indelingsjaar",
            )
        per_jaar[g.jaar] = path
    if not parts:
        leeg = pd.DataFrame(
            {
                "code": pd.Series(dtype=object),
                "naam": pd.Series(dtype=object),
                "gemeente": pd.Series(dtype=object),
                "indelingsjaar": pd.Series(dtype="int64"),
            }
        )
        return gpd.GeoDataFrame(leeg, geometry=gpd.GeoSeries([], crs=DOEL_CRS), crs=DOEL_CRS)
    frame = pd.concat([g.frame for _, g in parts], ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=DOEL_CRS)
    return frame.sort_values(["indelingsjaar", "code"], ignore_index=True)


def write_grenzen(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write the boundaries as GeoParquet (WKB geometry, CRS as PROJJSON in the metadata)."""
    frame.to_parquet(path, index=False)
