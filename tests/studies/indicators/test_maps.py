"""Maps from the processed boundary table: RD New, a legend entry for every mark, no overlap,
the national map of the focus areas."""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import pandas as pd
from shapely.geometry import box

from helpers.core import config
from helpers.registers.focusgebieden import Focusgebied as _Gebied
from helpers.registers.focusgebieden import load_focusgebieden
from helpers.studies.indicators.maps import (
    LABEL_GEEN,
    LABEL_KLEIN,
    bron_kaart,
    kaart,
    kaart_focusgebieden,
    kaartdata,
    load_grenzen,
)

matplotlib.use("Agg")

# Wijken of GM0001 (three) and GM0002 (one), 1 km boxes in RD New around Utrecht.
WIJKEN = [
    ("WK000101", "Noord", "GM0001", 0),
    ("WK000102", "Zuid", "GM0001", 1),
    ("WK000103", "West", "GM0001", 2),
    ("WK000201", "Elders", "GM0002", 5),
]


def _grenzen(jaar=2022, crs="EPSG:28992"):
    return gpd.GeoDataFrame(
        {
            "code": [w[0] for w in WIJKEN],
            "naam": [w[1] for w in WIJKEN],
            "gemeente": [w[2] for w in WIJKEN],
            "indelingsjaar": jaar,
        },
        geometry=[
            box(136_000 + 1000 * w[3], 455_000, 137_000 + 1000 * w[3], 456_000) for w in WIJKEN
        ],
        crs=crs,
    )


def _write(processed, *frames):
    processed.mkdir(parents=True, exist_ok=True)
    pd.concat(frames, ignore_index=True).pipe(gpd.GeoDataFrame, crs="EPSG:28992").to_parquet(
        processed / config.GRENZEN_PARQUET
    )


WAARDEN = pd.DataFrame(
    {
        "indicator": "lbm",
        "code": ["WK000101", "WK000102", "WK000201"],
        "jaar": 2022,
        "x": [4.0, 3.5, 4.2],
        "klein": [False, True, False],
    }
)
GEBIED = _Gebied(
    id="t", naam="Test", gemeente="GM0001", wijken={2022: ("WK000101", "WK000102")}, buurten={}
)


def test_load_grenzen_nearest_year_only_from_processed(tmp_path):
    assert load_grenzen(tmp_path) is None  # no table: no map
    _write(tmp_path, _grenzen(2019), _grenzen(2024))
    assert set(load_grenzen(tmp_path, 2022)["indelingsjaar"]) == {2024}  # tie -> later year
    assert set(load_grenzen(tmp_path, 2020)["indelingsjaar"]) == {2019}
    assert set(load_grenzen(tmp_path)["indelingsjaar"]) == {2024}
    assert load_grenzen(tmp_path).crs.to_epsg() == 28992
    _write(tmp_path, _grenzen().iloc[0:0])  # empty table: ingest found no boundary file
    assert load_grenzen(tmp_path) is None


def test_kaartdata_only_the_municipality():
    d = kaartdata(_grenzen(), WAARDEN, "GM0001", "lbm", 2022)
    assert sorted(d["code"]) == ["WK000101", "WK000102", "WK000103"]
    assert d.set_index("code")["x"].isna().to_dict() == {
        "WK000101": False,
        "WK000102": False,
        "WK000103": True,
    }


def _legend_texts(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def test_every_mark_has_a_legend_entry():
    fig = kaart(_grenzen(), WAARDEN, GEBIED, "lbm", 2022, label="Leefbaarometer")
    ax = fig.axes[0]
    assert ax.get_title() == "Test: Leefbaarometer, 2022"
    texts = _legend_texts(fig)
    assert "focusgebied Test" in texts  # the black outline
    assert LABEL_KLEIN in texts  # the dots
    assert LABEL_GEEN in texts  # the hatching
    leg = ax.get_legend()
    hatch = [h for h, t in zip(leg.legend_handles, texts, strict=True) if t == LABEL_GEEN][0]
    assert hatch.get_hatch() == "///"
    # the colour bar is labelled with the indicator
    cbar = [a for a in fig.axes if a is not ax]
    assert len(cbar) == 1 and cbar[0].get_xlabel() == "Leefbaarometer"


def test_no_dot_or_hatch_entry_without_such_wijken():
    w = WAARDEN.assign(klein=False)
    g = _grenzen()[lambda d: d["code"] != "WK000103"]
    texts = _legend_texts(kaart(g, w, GEBIED, "lbm", 2022, label="Leefbaarometer"))
    assert texts == ["focusgebied Test"]


def test_map_in_rd_new_not_stretched():
    fig = kaart(_grenzen(crs="EPSG:28992").to_crs("EPSG:4326"), WAARDEN, GEBIED, "lbm", 2022)
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert 130_000 < x0 < x1 < 145_000 and 450_000 < y0 < y1 < 460_000  # metres, RD New
    assert ax.get_aspect() == 1.0


def _boxes(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    out = {"titel": ax.title.get_window_extent(r), "kaart": ax.get_window_extent(r)}
    if ax.get_legend():
        out["legenda"] = ax.get_legend().get_window_extent(r)
    for i, a in enumerate(fig.axes[1:]):
        out[f"as{i}"] = a.get_tightbbox(r)
    return out


def test_nothing_overlaps():
    fig = kaart(_grenzen(), WAARDEN, GEBIED, "lbm", 2022, label="Leefbaarometer-score")
    boxes = _boxes(fig)
    assert {"titel", "kaart", "legenda", "as0"} <= set(boxes)
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b)
    fw, fh = fig.bbox.width, fig.bbox.height
    for name, bb in boxes.items():  # everything inside the figure
        assert bb.x0 >= -1 and bb.y0 >= -1 and bb.x1 <= fw + 1 and bb.y1 <= fh + 1, name


def test_caption_source_names_the_map_not_a_file():
    assert bron_kaart(2022) == "CBS, Wijk- en buurtkaart 2022 (bewerking)"


def _gebieden_demo():
    return [
        _Gebied(
            id="a", naam="Gebied A", gemeente="GM0001", wijken={2022: ("WK000101",)}, buurten={}
        ),
        _Gebied(
            id="b", naam="Gebied B", gemeente="GM0002", wijken={2022: ("WK000201",)}, buurten={}
        ),
        _Gebied(
            id="c", naam="Gebied C", gemeente="GM0003", wijken={2024: ("WK000301",)}, buurten={}
        ),
    ]


def test_kaart_focusgebieden_numbers_and_names_every_area():
    fig = kaart_focusgebieden(_grenzen(), _gebieden_demo())
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["1", "2"]  # C has no wijken in the boundaries' year: not drawn
    texts = _legend_texts(fig)
    assert texts[:2] == ["overige wijken", "wijken van een focusgebied"]
    assert texts[2:4] == ["Gebied A", "Gebied B"]
    assert "Gebied C" in texts[4] and "niet getekend" in texts[4]
    assert ax.get_aspect() == 1.0 and ax.get_title() == "De 3 focusgebieden"
    boxes = _boxes(fig)
    assert not boxes["kaart"].overlaps(boxes["as0"])  # legend panel beside the map


def test_real_maps_in_rd_new(real_file, tmp_path):
    from helpers.ingest.grenzen import read_boundary_file, write_grenzen

    p = real_file("wijk2022_topojson")
    write_grenzen(read_boundary_file(p, p.read_bytes()).frame, tmp_path / "grenzen.parquet")
    g = load_grenzen(tmp_path, 2022)
    gebieden = load_focusgebieden()
    fig = kaart_focusgebieden(g, gebieden)
    ax = fig.axes[0]
    assert len(ax.texts) == len(gebieden) == 20  # every focus area drawn and numbered
    assert _legend_texts(fig)[2:] == [x.naam for x in gebieden]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    # RD New: the Netherlands spans x 13-278 km, y 307-619 km (about 265 by 310 km)
    assert x0 < 15_000 and x1 > 275_000 and y0 < 308_000 and y1 > 618_000  # all of NL...
    assert x1 < 330_000 and y1 - y0 < 360_000  # ...in metres, not in degrees or stretched
    fig.savefig(tmp_path / "nl.png")
    r = fig.canvas.get_renderer()
    cirkels = [t.get_bbox_patch().get_window_extent(r) for t in ax.texts]
    assert not [
        (i, j) for i in range(20) for j in range(i + 1, 20) if cirkels[i].overlaps(cirkels[j])
    ]  # no two numbers overlap
    # Utrecht: Overvecht outlined, the other wijken coloured
    ov = next(x for x in gebieden if x.id == "utrecht-overvecht")
    codes = g[g["gemeente"] == "GM0344"]["code"].tolist()
    w = pd.DataFrame(
        {
            "indicator": "lbm",
            "code": codes,
            "jaar": 2022,
            "x": [3.8 + 0.01 * i for i in range(len(codes))],
            "klein": False,
        }
    )
    f2 = kaart(g, w, ov, "lbm", 2022, label="Leefbaarometer")
    assert _legend_texts(f2) == [f"focusgebied {ov.naam}"]
    f2.savefig(tmp_path / "utrecht.png")
