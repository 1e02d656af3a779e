"""Boundary reading (GeoPackage, GeoJSON, TopoJSON) and choropleth maps."""

from __future__ import annotations

import json

import geopandas as gpd
import matplotlib
import pandas as pd
import pytest
from shapely.geometry import box

from helpers.core.errors import InputError
from helpers.registers.focusgebieden import Focusgebied as _Gebied
from helpers.studies.indicators.maps import kaart, kaartdata, read_grenzen, zoek_grenzen

matplotlib.use("Agg")

WIJKEN = [("WK000101", "Noord", "GM0001", 0), ("WK000102", "Zuid", "GM0001", 1),
          ("WK000103", "West", "GM0001", 2), ("WK000201", "Elders", "GM0002", 5)]


def _gdf(code="wijkcode", naam="wijknaam", gm="gemeentecode"):
    return gpd.GeoDataFrame(
        {code: [w[0] for w in WIJKEN], naam: [w[1] for w in WIJKEN], gm: [w[2] for w in WIJKEN]},
        geometry=[box(w[3], 0, w[3] + 1, 1) for w in WIJKEN], crs="EPSG:28992")


def _topojson(path, code_key="wijkcode"):
    arcs, geoms = [], []
    for i, (code, naam, gm, x) in enumerate(WIJKEN):
        arcs.append([[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]])
        geoms.append({"type": "Polygon", "arcs": [[i]],
                      "properties": {code_key: code, "wijknaam": naam, "gemeentecode": gm}})
    path.write_text(json.dumps({"type": "Topology", "arcs": arcs,
                                "objects": {"wijken": {"type": "GeometryCollection",
                                                       "geometries": geoms}}}), encoding="utf-8")
    return path


def test_read_geojson(tmp_path):
    p = tmp_path / "wijkenbuurten-demo-2024.geojson"
    _gdf().to_file(p, driver="GeoJSON")
    g = read_grenzen(p)
    assert set(g.columns) == {"code", "naam", "gemeente", "geometry"}
    assert sorted(g["code"]) == [w[0] for w in WIJKEN]
    assert g.set_index("code").loc["WK000201", "gemeente"] == "GM0002"


def test_read_geopackage_old_column_names_and_layer(tmp_path):
    p = tmp_path / "wijkenbuurtenkaart_2022.gpkg"
    _gdf("WK_CODE", "WK_NAAM", "GM_CODE").to_file(p, layer="cbs_wijken_2022", driver="GPKG")
    gpd.GeoDataFrame({"BU_CODE": ["BU00010000"]}, geometry=[box(0, 0, 1, 1)],
                     crs="EPSG:28992").to_file(p, layer="cbs_buurten_2022", driver="GPKG")
    g = read_grenzen(p, 2022)
    assert len(g) == 4 and g["naam"].iloc[0] == "Noord"


def test_read_topojson(tmp_path):
    g = read_grenzen(_topojson(tmp_path / "wijken-2024.topojson"))
    assert sorted(g["code"]) == [w[0] for w in WIJKEN]
    assert g.geometry.area.sum() == pytest.approx(4.0)


def test_missing_code_column_names_file_and_column(tmp_path):
    p = tmp_path / "grenzen-2024.geojson"
    _gdf(code="CODE").to_file(p, driver="GeoJSON")
    with pytest.raises(InputError) as e:
        read_grenzen(p)
    assert "grenzen-2024.geojson" in str(e.value)
    assert "kolom 'wijkcode'" in str(e.value) and "WK_CODE" in str(e.value)


def test_unreadable_file(tmp_path):
    p = tmp_path / "kapot-2024.geojson"
    p.write_text("{dit is geen json", encoding="utf-8")
    with pytest.raises(InputError, match="kapot-2024.geojson"):
        read_grenzen(p)


def test_zoek_grenzen_nearest_year_and_skips_other_json(tmp_path):
    assert zoek_grenzen(tmp_path) is None
    _gdf().to_file(tmp_path / "wijken-2019.geojson", driver="GeoJSON")
    _gdf().to_file(tmp_path / "wijken-2024.geojson", driver="GeoJSON")
    (tmp_path / "bronnen-2023.json").write_text('{"demo": true}', encoding="utf-8")
    assert zoek_grenzen(tmp_path, 2022).name == "wijken-2024.geojson"
    assert zoek_grenzen(tmp_path, 2020).name == "wijken-2019.geojson"
    assert zoek_grenzen(tmp_path).name == "wijken-2024.geojson"


def test_kaart_colours_municipality_and_outlines_area(tmp_path):
    p = tmp_path / "w-2022.geojson"
    _gdf().to_file(p, driver="GeoJSON")
    g = read_grenzen(p)
    wijken = pd.DataFrame({"indicator": "lbm", "code": ["WK000101", "WK000102", "WK000201"],
                           "jaar": 2022, "x": [4.0, 3.5, 4.2], "klein": [False, True, False]})
    d = kaartdata(g, wijken, "GM0001", "lbm", 2022)
    assert sorted(d["code"]) == ["WK000101", "WK000102", "WK000103"]  # only the municipality
    assert d.set_index("code")["x"].isna().to_dict() == {"WK000101": False, "WK000102": False,
                                                          "WK000103": True}
    gebied = _Gebied(id="t", naam="Test", gemeente="GM0001", wijken={2022: ("WK000101", "WK000102")},
                     buurten={})
    fig = kaart(g, wijken, gebied, "lbm", 2022, label="Leefbaarometer")
    ax = fig.axes[0]
    assert "Test" in ax.get_title() and "2022" in ax.get_title()
    # choropleth + missing + outline + small-population dots
    assert len(ax.collections) >= 3
    fig.savefig(tmp_path / "k.png")
    assert (tmp_path / "k.png").stat().st_size > 1000
