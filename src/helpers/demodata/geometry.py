"""Synthetic wijk boundaries for the demo, one GeoJSON per KWB indeling year.

``wijkenbuurten-demo-YYYY.geojson`` (YYYY = 2019-2024): a FeatureCollection of wijk polygons of
the 19 focus municipalities with the properties of the CBS wijk- en buurtkaart ``wijkcode``,
``wijknaam``, ``gemeentecode``, ``gemeentenaam`` (plus ``jaar``), coordinates in WGS84
longitude/latitude (RFC 7946, no ``crs`` member), rounded to 6 decimals.

The shapes are invented: each gemeente is a small box around its approximate real location;
each wijk is the Voronoi cell of an invented centre inside that box, clipped to the box. Centres
of a focus area's wijken lie together in one corner of the box, so the focus area is (nearly)
contiguous and can be outlined on a map. A centre depends only on the seed and the wijk's code
and name, so an unchanged wijk has the same shape in every year while a redrawn indeling
(Amsterdam 2023) gets new shapes. The 85 sample municipalities of the national reference get
no geometry.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.core.io import write_bytes
from helpers.demodata import wereld
from helpers.registers.focusgebieden import load_focusgebieden

# Approximate centres (longitude, latitude) of the focus municipalities.
CENTRUM = {
    "GM0363": (4.90, 52.37), "GM0202": (5.90, 51.98), "GM0758": (4.78, 51.59),
    "GM0503": (4.36, 52.01), "GM0518": (4.30, 52.07), "GM0505": (4.69, 51.81),
    "GM0772": (5.47, 51.44), "GM0014": (6.57, 53.22), "GM0917": (5.98, 50.89),
    "GM0080": (5.80, 53.20), "GM0995": (5.47, 52.51), "GM0356": (5.09, 52.03),
    "GM1674": (4.46, 51.53), "GM0599": (4.48, 51.92), "GM0606": (4.40, 51.92),
    "GM0855": (5.08, 51.56), "GM0344": (5.12, 52.09), "GM0622": (4.34, 51.91),
    "GM0479": (4.82, 52.46),
}  # fmt: skip
# Unit-square corners for the focus areas of one gemeente (first, second, ...).
HOEKEN = ((0.0, 0.0), (0.55, 0.0), (0.55, 0.55), (0.0, 0.55))
HOEK = 0.45


def _focus_index() -> dict[str, tuple[str, int]]:
    """wijk code -> (gemeente, index of its focus area within the gemeente)."""

    per_gm: dict[str, list[str]] = {}
    out: dict[str, tuple[str, int]] = {}
    for g in load_focusgebieden():
        ids = per_gm.setdefault(g.gemeente, [])
        ids.append(g.id)
        for codes in g.wijken.values():
            for c in codes:
                out[c] = (g.gemeente, len(ids) - 1)
    return out


def _unit_centre(
    seed: int, r: wereld.Regio, focus: dict[str, tuple[str, int]]
) -> tuple[float, float]:
    u = wereld.stroom(seed, r.sleutel).lat_u[1:3].tolist()
    if r.code in focus:
        hx, hy = HOEKEN[focus[r.code][1] % len(HOEKEN)]
        return hx + 0.04 + u[0] * (HOEK - 0.08), hy + 0.04 + u[1] * (HOEK - 0.08)
    x, y = u[0], u[1]
    corners = {HOEKEN[i] for (gm, i) in focus.values() if gm == r.gemeente}
    for hx, hy in sorted(corners):
        if hx <= x <= hx + HOEK and hy <= y <= hy + HOEK:
            x = (x + 0.5) % 1.0  # move out of the focus corner
    return x, y


def features(seed: int, jaar: int) -> list[dict]:
    """GeoJSON features of the wijken of the focus municipalities in indeling year ``jaar``."""
    import shapely
    from shapely.geometry import MultiPoint, Point, box, mapping

    focus = _focus_index()
    names = {g.code: g.naam for g in wereld.gemeenten()}
    out: list[dict] = []
    for gm in sorted(CENTRUM):
        wijken = [w for w in wereld.regios(jaar, "wijk") if w.gemeente == gm]
        if not wijken:
            continue
        cx, cy = CENTRUM[gm]
        hw = min(0.035, 0.008 * len(wijken) ** 0.5)
        hh = hw * 0.62
        frame = box(cx - hw, cy - hh, cx + hw, cy + hh)
        pts = []
        for w in wijken:
            ux, uy = _unit_centre(seed, w, focus)
            pts.append(Point(cx - hw + 2 * hw * ux, cy - hh + 2 * hh * uy))
        cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=frame).geoms
        for w, p in zip(wijken, pts, strict=True):
            cell = next(c for c in cells if c.covers(p)).intersection(frame)
            cell = shapely.set_precision(cell, 1e-6)
            out.append(
                {
                    "type": "Feature",
                    "properties": {
                        "wijkcode": w.code,
                        "wijknaam": w.naam,
                        "gemeentecode": gm,
                        "gemeentenaam": names[gm],
                        "jaar": jaar,
                    },
                    "geometry": _rounded(mapping(cell)),
                }
            )
    return out


def _rounded(geom: dict) -> dict:
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(c[0]), 6), round(float(c[1]), 6)]
        return [r(x) for x in c]

    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def bestandsnaam(jaar: int) -> str:
    return f"wijkenbuurten-demo-{jaar}.geojson"


def generate(out: Path, seed: int) -> list[Path]:
    """Write one GeoJSON per KWB indeling year into ``out``."""
    paths = []
    for jaar in wereld.KWB_JAREN:
        fc = {
            "type": "FeatureCollection",
            "name": f"wijkenbuurten-demo-{jaar}",
            "features": features(seed, jaar),
        }
        path = out / bestandsnaam(jaar)
        write_bytes(path, (json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n")
                    .encode("utf-8"))
        paths.append(path)
    return paths
