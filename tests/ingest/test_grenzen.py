"""Boundaries as a source: reading, checking, projecting and recording the wijk- en buurtkaart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shapely.geometry import box

from helpers.core.errors import InputError
from helpers.ingest.build import run_ingest
from helpers.ingest.grenzen import DOEL_CRS, is_boundary_file, read_boundary_file

LBM_HEADER = "wk_code,wk_naam,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
# Three wijken of Utrecht (GM0344) and one of Zeist (GM0355), boxes of ~0.01 degree.
WIJKEN = [
    ("WK034401", "West", "GM0344", 5.10),
    ("WK034402", "Noordwest", "GM0344", 5.11),
    ("WK034403", "Overvecht", "GM0344", 5.12),
    ("WK035501", "Zeist-Noord", "GM0355", 5.23),
]
Y0 = 52.09


def _lbm(raw: Path, jaar: int = 2022, codes=None) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    rows = "".join(
        f"{c},{n},{jaar},3.9,0.1,0,0,0,0,0\n"
        for c, n, _, _ in WIJKEN
        if codes is None or c in codes
    )
    p = raw / "lbm-wijken.csv"
    p.write_text(LBM_HEADER + rows, encoding="utf-8")
    return p


def _geojson_doc(jaar: int | None = 2022) -> dict:
    feats = []
    for code, naam, gm, x in WIJKEN:
        ring = [[x, Y0], [x + 0.01, Y0], [x + 0.01, Y0 + 0.01], [x, Y0 + 0.01], [x, Y0]]
        props = {"wijkcode": code, "wijknaam": naam, "gemeentecode": gm}
        if jaar:
            props["jaar"] = jaar
        feats.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _write_json(path: Path, doc: dict, indent: int | None = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=indent), encoding="utf-8")
    return path


def _topojson_doc() -> dict:
    """Quantised TopoJSON (delta-encoded arcs, transform), one arc per wijk, real-file keys."""
    arcs, geoms = [], []
    scale = [0.001, 0.001]
    translate = [5.0, 52.0]
    for i, (code, naam, gm, x) in enumerate(WIJKEN):
        qx, qy = round((x - translate[0]) / scale[0]), round((Y0 - translate[1]) / scale[1])
        arcs.append([[qx, qy], [10, 0], [0, 10], [-10, 0], [0, -10]])  # deltas
        geoms.append(
            {
                "type": "Polygon",
                "arcs": [[i]],
                "properties": {
                    "statcode": code,
                    "statnaam": naam,
                    "gmCode": gm,
                    "jrstatcode": f"2022{code}",
                },
            }
        )
    return {
        "type": "Topology",
        "transform": {"scale": scale, "translate": translate},
        "arcs": arcs,
        "objects": {"wijk_2022": {"type": "GeometryCollection", "geometries": geoms}},
    }


def _read(path: Path, regions=None):
    return read_boundary_file(path, path.read_bytes(), regions)


# --------------------------------------------------------------------------- formats


def test_geojson_projected_to_rd_new(tmp_path):
    g = _read(_write_json(tmp_path / "wijken.geojson", _geojson_doc()))
    assert g.formaat == "cbs-wijkkaart-geojson" and g.jaar == 2022 and g.crs_bron == "EPSG:4326"
    f = g.frame
    assert list(f.columns) == ["code", "naam", "gemeente", "indelingsjaar", "geometry"]
    assert f.crs.to_epsg() == 28992
    # Utrecht in RD New: x about 136 km, y about 456 km; a 0.01 x 0.01 degree box is about
    # 690 m wide and 1,110 m high (unprojected it would look square)
    minx, miny, maxx, maxy = f.geometry.iloc[0].bounds
    assert 130_000 < minx < 140_000 and 450_000 < miny < 460_000
    assert 1.5 < (maxy - miny) / (maxx - minx) < 1.7


def test_topojson_quantised_matches_geojson(tmp_path):
    topo = _read(_write_json(tmp_path / "wijk-2022-wgs84.topojson", _topojson_doc()))
    geoj = _read(_write_json(tmp_path / "wijken.geojson", _geojson_doc()))
    assert topo.formaat == "cbs-wijkkaart-topojson" and topo.jaar == 2022  # from jrstatcode
    assert topo.frame["code"].tolist() == [w[0] for w in WIJKEN]
    assert topo.frame["gemeente"].tolist() == [w[2] for w in WIJKEN]
    diff = topo.frame.geometry.symmetric_difference(geoj.frame.geometry, align=False).area
    assert diff.max() < 1.0  # m2


def test_geopackage_in_rd_new_with_layers(tmp_path):
    p = tmp_path / "wijkenbuurtenkaart_2022.gpkg"
    g = gpd.GeoDataFrame(
        {
            "WK_CODE": [w[0] for w in WIJKEN],
            "WK_NAAM": [w[1] for w in WIJKEN],
            "GM_CODE": [w[2] for w in WIJKEN],
        },
        geometry=[
            box(130_000 + 1000 * i, 455_000, 130_900 + 1000 * i, 455_900)
            for i in range(len(WIJKEN))
        ],
        crs="EPSG:28992",
    )
    g.to_file(p, layer="cbs_wijken_2022", driver="GPKG")
    g.rename(columns={"WK_CODE": "BU_CODE"}).to_file(p, layer="cbs_buurten_2022", driver="GPKG")
    res = _read(p)
    assert res.formaat == "cbs-wijkkaart-geopackage" and res.crs_bron == "EPSG:28992"
    assert res.jaar == 2022 and res.frame["naam"].tolist()[0] == "West"
    assert res.frame.geometry.iloc[0].bounds == pytest.approx((130_000, 455_000, 130_900, 455_900))


def test_which_files_are_boundaries(tmp_path):
    assert is_boundary_file(Path("a.topojson"), b"")
    assert is_boundary_file(Path("a.GPKG"), b"")
    assert is_boundary_file(Path("kaart.json"), b'{"type": "Topology", "arcs": []}')
    assert not is_boundary_file(Path("metadata.json"), b'{"titel": "iets"}')
    assert not is_boundary_file(Path("README.md"), b"# FeatureCollection")


# --------------------------------------------------------------------------- bad input


def _broken_topojson(tmp_path: Path) -> Path:
    text = json.dumps(_topojson_doc(), indent=1)
    p = tmp_path / "wijk-2022.topojson"
    p.write_text(text[: len(text) // 2], encoding="utf-8")  # cut off halfway
    return p


def test_broken_topojson_names_file_line_and_expectation(tmp_path):
    p = _broken_topojson(tmp_path)
    with pytest.raises(InputError) as e:
        _read(p)
    assert e.value.file == str(p) and "geen geldige JSON" in str(e.value)
    assert e.value.line and e.value.line > 1 and "TopoJSON" in e.value.expected


def test_geojson_that_is_not_json(tmp_path):
    p = tmp_path / "wijken-2022.geojson"
    p.write_text("wijkcode;wijknaam\nWK034401;West\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        _read(p)
    assert "geen geldige JSON" in str(e.value) and e.value.line == 1
    assert "GeoJSON" in str(e.value)


def test_gpkg_that_is_no_sqlite_file(tmp_path):
    p = tmp_path / "grenzen.gpkg"
    p.write_bytes(b"x")
    with pytest.raises(InputError, match="geen GeoPackage"):
        _read(p)


def _mutated(tmp_path: Path, change) -> Path:
    doc = _geojson_doc()
    change(doc["features"])
    return _write_json(tmp_path / "wijken-2022.geojson", doc)


@pytest.mark.parametrize(
    "change, message, column",
    [
        (lambda f: f[1]["geometry"]["coordinates"][0].pop(), "niet gesloten", "geometry"),
        (
            lambda f: f[1]["geometry"].update(type="LineString", coordinates=[[5, 52], [5.1, 52]]),
            "geometrie is LineString",
            "geometry",
        ),
        (lambda f: f[1].update(geometry=None), "geometrie is leeg", "geometry"),
        (lambda f: f[1]["properties"].update(wijkcode="BU03440101"), "geen wijkcode", "wijkcode"),
        (lambda f: f[1]["properties"].update(wijkcode="WK034401"), "twee keer", "code"),
        (
            lambda f: f[1]["properties"].update(gemeentecode="GM0355"),
            "niet bij gemeente",
            "gemeentecode",
        ),
        (lambda f: f[1]["properties"].pop("wijkcode"), "geen wijkcode", "wijkcode"),
        (
            lambda f: [x["properties"].update(jaar=2021 + i % 2) for i, x in enumerate(f)],
            "meerdere indelingsjaren",
            "jaar",
        ),
        # lon/lat swapped: lies in the Arctic sea
        (
            lambda f: f[1]["geometry"].update(
                coordinates=[[[y, x] for x, y in f[1]["geometry"]["coordinates"][0]]]
            ),
            "buiten Nederland",
            "geometry",
        ),
    ],
)
def test_invalid_geometry_and_codes(tmp_path, change, message, column):
    p = _mutated(tmp_path, change)
    with pytest.raises(InputError) as e:
        _read(p)
    assert message in str(e.value) and e.value.column == column and e.value.file == str(p)


def test_unclosed_ring_names_the_line_of_the_wijk(tmp_path):
    p = _mutated(tmp_path, lambda f: f[2]["geometry"]["coordinates"][0].pop())
    with pytest.raises(InputError) as e:
        _read(p)
    line = next(i for i, t in enumerate(p.read_text().splitlines(), 1) if '"WK034403"' in t)
    assert "WK034403" in str(e.value) and e.value.line == line


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["objects"]["wijk_2022"]["geometries"][0].update(arcs=[[99]]), "bestaat niet"),
        (
            lambda d: d["objects"]["wijk_2022"]["geometries"][0].update(arcs=[[0, 1]]),
            "sluiten niet op elkaar aan",
        ),
        (lambda d: d["arcs"][0].pop(), "niet gesloten"),
        (lambda d: d.update(objects={}), "zonder objecten"),
        (lambda d: d.update(transform={"scale": [1]}), "transform"),
    ],
)
def test_broken_topology(tmp_path, change, message):
    doc = _topojson_doc()
    change(doc)
    p = _write_json(tmp_path / "wijk-2022.topojson", doc)
    with pytest.raises(InputError, match=message):
        _read(p)


def test_self_intersection_is_repaired_and_noted(tmp_path):
    def bowtie(f):
        x = WIJKEN[1][3]
        f[1]["geometry"]["coordinates"] = [
            [[x, Y0], [x + 0.01, Y0 + 0.01], [x + 0.01, Y0], [x, Y0 + 0.01], [x, Y0]]
        ]

    g = _read(_mutated(tmp_path, bowtie))
    assert g.frame.geometry.is_valid.all()
    assert any("hersteld" in n and "WK034402" in n for n in g.notes)


def test_indelingsjaar_from_name_and_codes_of_that_year(tmp_path):
    doc = _geojson_doc(jaar=None)
    p = _write_json(tmp_path / "wijken-2024.geojson", doc)
    reg = pd.DataFrame(
        {
            "code": ["WK034401", "WK034499", "WK035501"],
            "soort": "wijk",
            "gemeente": ["GM0344", "GM0344", "GM0355"],
            "indelingsjaar": 2024,
        }
    )
    g = _read(p, reg)
    assert g.jaar == 2024 and (g.frame["indelingsjaar"] == 2024).all()
    assert any("2 wijkcodes niet in de tabelbronnen van 2024" in n for n in g.notes)
    # Utrecht redrew its wijken in this (invented) year: none of the file's codes exist
    reg2 = reg.assign(code=["WK0344AA", "WK0344AB", "WK035501"])
    with pytest.raises(InputError) as e:
        _read(p, reg2)
    assert "GM0344" in str(e.value) and "wijkindeling 2024" in str(e.value)
    assert e.value.column == "code"
    # no year in properties or file name
    q = _write_json(tmp_path / "wijken.geojson", doc)
    with pytest.raises(InputError, match="indelingsjaar onbekend"):
        _read(q)


# --------------------------------------------------------------------------- ingest


def test_ingest_writes_geoparquet_and_records_sha256(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw)
    p = _write_json(raw / "kaart" / "wijk-2022-wgs84.topojson", _topojson_doc())
    (raw / "metadata.json").write_text('{"titel": "geen kaart"}', encoding="utf-8")
    res = run_ingest(raw, out)
    bronnen = json.loads((out / "bronnen.json").read_text(encoding="utf-8"))
    assert bronnen["overgeslagen"] == ["metadata.json"]
    rec = next(b for b in bronnen["bestanden"] if b["pad"] == "kaart/wijk-2022-wgs84.topojson")
    assert rec["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert rec["formaat"] == "cbs-wijkkaart-topojson" and rec["jaar"] == 2022
    assert (rec["crs_bron"], rec["crs"]) == ("EPSG:4326", DOEL_CRS)
    assert rec["tabellen"] == {"grenzen": 4} and bronnen["tabellen"]["grenzen"] == 4
    assert res.tabellen["grenzen"] == 4
    g = gpd.read_parquet(out / "grenzen.parquet")
    assert g.crs.to_epsg() == 28992 and g["indelingsjaar"].tolist() == [2022] * 4
    # the CRS is recorded in the file itself (GeoParquet 'geo' metadata, PROJJSON)
    geo = json.loads(pq.read_schema(out / "grenzen.parquet").metadata[b"geo"])
    assert geo["columns"]["geometry"]["crs"]["id"] == {"authority": "EPSG", "code": 28992}
    assert geo["columns"]["geometry"]["encoding"] == "WKB"


def test_bad_boundary_fails_build_and_writes_nothing(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw)
    _write_json(raw / "wijk-2022.topojson", _topojson_doc())
    run_ingest(raw, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _broken_topojson(raw)  # overwrites raw/wijk-2022.topojson with a truncated copy
    with pytest.raises(InputError, match="wijk-2022.topojson"):
        run_ingest(raw, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_two_files_for_one_year(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _lbm(raw)
    _write_json(raw / "a-2022.geojson", _geojson_doc())
    _write_json(raw / "b-2022.topojson", _topojson_doc())
    with pytest.raises(InputError, match="tweede grenzenbestand voor indelingsjaar 2022"):
        run_ingest(raw, out)
    assert not out.exists()


def test_real_wijkkaart_2022(real_file, real_dir, tmp_path):
    p = real_file("wijk2022_topojson")
    g = _read(p)
    f = g.frame
    assert g.jaar == 2022 and g.crs_bron == "EPSG:4326" and f.crs.to_epsg() == 28992
    assert len(f) == 3340 and f["code"].is_unique and f.geometry.is_valid.all()
    assert not f.geometry.is_empty.any()
    assert (f["code"].str.slice(2, 6) == f["gemeente"].str.slice(2)).all()
    # the generalised map has a few self-intersections; they are repaired and named
    assert any("WK036364" in n and "hersteld" in n for n in g.notes)
    # the Netherlands in RD New: about 13-278 km east, 307-619 km north; land area ~35,000 km2
    minx, miny, maxx, maxy = f.total_bounds
    assert 0 < minx < 20_000 and 270_000 < maxx < 290_000
    assert 300_000 < miny < 310_000 and 610_000 < maxy < 625_000
    assert 33_000 < f.area.sum() / 1e6 < 42_000
    ov = f[f["code"] == "WK034403"].iloc[0]
    assert ov["naam"] == "Wijk 03 Overvecht" and 5 < ov.geometry.area / 1e6 < 10  # km2
