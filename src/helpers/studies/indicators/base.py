"""The quantitative indicator base: registry ``params/indicatoren.yml`` -> ``indicatorbasis.parquet``.

Three blocks (load, process, save):

1. :func:`helpers.registers.indicatoren.load_indicatoren` reads and validates the registry.
2. :func:`helpers.studies.indicators.values.wijkwaarden` turns the processed national tables (``kwb.parquet``,
   ``leefbaarometer.parquet``, ``regions.parquet``) into one long table of code-level values
   with weights (Leefbaarometer weights chosen by :func:`helpers.studies.indicators.aggregate.kies_gewichten`);
   :func:`helpers.studies.indicators.membership.lidmaatschap` lists the members of every area and reference per source and year;
   :func:`build_indicatorbasis` aggregates (:func:`helpers.studies.indicators.aggregate.aggregeer`), adds the
   references, the changes since the nulmeting and the previous measurement, and the bands.
3. :func:`write_indicatorbasis` writes ``indicatorbasis.parquet``, ``indicatorwijken.parquet``
   and ``datakwaliteit.md`` atomically (``wijkmonitor build`` in :mod:`helpers.cli` chains ingest
   and this step).

Output ``indicatorbasis.parquet``: one row per (focusgebied, indicator, jaar), columns
``focusgebied, indicator, jaar, waarde, gemeente_rest, gemeente, focusgebieden, nederland,
referentieniveau, eenheid, bron, bronkolom, dekking, gewichtjaar, gewicht_geleend,
gewichtstatus, basis, n_leden, n_met_waarde, n_klein, benadering, onderdrukt, reden, label,
thema, soort, richting, peiljaar, publiceren, gemeentecode, dekking_<ref>, nulmetingjaar,
waarde_nulmeting, verschil_nulmeting, nulmeting_benadering, vorige_jaar, verschil_vorige,
spreiding, band_<ref>`` for the references ``gemeente_rest, gemeente, focusgebieden, nederland``.
"""


from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core import config, io
from helpers.core.codes import gemeente_of
from helpers.core.errors import InputError
from helpers.registers import monitor
from helpers.registers.focusgebieden import load_focusgebieden
from helpers.registers.indicatoren import (
    BRON_LABEL,
    REFERENTIES,
    Registry,
    build_basis_telt,
    load_indicatoren,
)
from helpers.studies.indicators.aggregate import GEWICHT_GRENZEN, aggregate_rows, band
from helpers.studies.indicators.maps import load_grenzen
from helpers.studies.indicators.membership import build_dekking_focusgebieden, lidmaatschap
from helpers.studies.indicators.model import Meldingen, Resultaat
from helpers.studies.indicators.nulmeting import build_nulmeting
from helpers.studies.indicators.quality import rapport
from helpers.studies.indicators.values import _prefix, wijkwaarden

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

INDICATORBASIS = config.INDICATORBASIS_PARQUET
INDICATORWIJKEN = "indicatorwijken.parquet"
DATAKWALITEIT = "datakwaliteit.md"


def _load_processed(processed: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    def read(naam: str, kolommen: list[str]) -> pd.DataFrame:
        p = io.record_read(Path(processed) / naam)
        if not p.exists():
            return pd.DataFrame(columns=kolommen)
        df = io.read_parquet(p)
        missing = [c for c in kolommen if c not in df.columns]
        if missing:
            raise InputError(p, "verwerkte tabel mist een kolom", column=missing[0],
                             expected=", ".join(kolommen))
        return df

    regions = read(config.REGIONS_PARQUET,
                   ["code", "naam", "soort", "gemeente", "indelingsjaar", "indelingswijziging"])
    kwb = read(config.KWB_PARQUET, ["code", "jaar", "variabele", "waarde"])
    lbm = read(config.LEEFBAAROMETER_PARQUET,
               ["code", "niveau", "jaar", "lbm", "afw", "fys", "onv", "soc", "vrz", "won"])
    for df in (regions, kwb, lbm):
        if "code" in df:
            df["code"] = df["code"].astype(str).str.strip()
    return regions, kwb, lbm


def _relevant(kwb: pd.DataFrame, lbm: pd.DataFrame, gebieden: list, reg: Registry
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep only the source columns the registry names, and buurt rows only for the
    municipalities of areas defined by buurten (the references use wijken and totals)."""
    namen = {n for i in reg for v in i.kolommen.values() for n in v}
    gm_buurt = {g.gemeente for g in gebieden if getattr(g, "buurten", None)}
    def buurt_weg(df: pd.DataFrame) -> pd.DataFrame:
        buurt = _prefix(df["code"], "BU")
        if gm_buurt:
            buurt = buurt & ~gemeente_of(df["code"]).isin(gm_buurt)
        return df[~buurt]

    if not kwb.empty:
        kwb = buurt_weg(kwb[kwb["variabele"].isin(namen)])
    if not lbm.empty:
        lbm = buurt_weg(lbm)
    return kwb, lbm


def build_indicatorbasis(
    regions: pd.DataFrame,
    kwb: pd.DataFrame,
    lbm: pd.DataFrame,
    gebieden: list,
    reg: Registry | None = None,
    nulmeting: int | None = None,
    min_dekking_focusgebieden: float | None = None,
) -> Resultaat:
    """Build the indicator base from the processed tables (all in memory, vectorised).

    Parameters: the three processed tables, the focus areas (objects with ``id, naam,
    gemeente, wijken, buurten``), the indicator registry, the nulmeting year and the minimum
    coverage of the reference 'alle focusgebieden' (default: ``params/monitor.yml``).
    Missing data never become 0: a value is NaN with a ``reden``; coverage is in ``dekking``.
    """
    import numpy as np
    import pandas as pd

    reg = reg or load_indicatoren()
    nulmeting = monitor.nulmeting(nulmeting)
    if min_dekking_focusgebieden is None:
        min_dekking_focusgebieden = monitor.load_monitor().min_dekking_focusgebieden
    mel = Meldingen()
    regions = regions.copy()
    if "indelingswijziging" not in regions:
        regions["indelingswijziging"] = pd.NA
    kwb, lbm = _relevant(kwb, lbm, gebieden, reg)
    bevestigd = frozenset(c for g in gebieden for c in getattr(g, "ongewijzigd", ()))
    waarden = wijkwaarden(kwb, lbm, regions, reg, mel, bevestigd)
    leden, ontbrekend = lidmaatschap(gebieden, waarden, regions, mel)
    regels = {i.id: {"regel": i.regel, "factor": i.factor} for i in reg}
    agg = aggregate_rows(waarden, leden, regels)

    # Every (area, indicator, year of its source) gets a row, also when nothing could be
    # computed (then waarde is NaN and reden says why).
    jaren_bron = waarden[["bron", "jaar"]].drop_duplicates()
    ind_df = pd.DataFrame([{"indicator": i.id, "bron": i.bron} for i in reg])
    grid = ind_df.merge(jaren_bron, on="bron")
    gdf = pd.DataFrame([{"focusgebied": g.id, "gemeentecode": g.gemeente} for g in gebieden])
    grid = gdf.merge(grid, how="cross")

    fg = agg[agg["groep"] == "focusgebied"].drop(columns="groep").rename(columns={"gebied": "focusgebied"})
    basis = grid.merge(fg, on=["focusgebied", "indicator", "jaar"], how="left")
    for ref, sleutel in (("gemeente_rest", "focusgebied"), ("gemeente", "gemeentecode"),
                         ("focusgebieden", None), ("nederland", None)):
        r = agg[agg["groep"] == ref][["gebied", "indicator", "jaar", "waarde", "dekking"]].rename(
            columns={"waarde": ref, "dekking": f"dekking_{ref}"})
        if sleutel is None:
            basis = basis.merge(r.drop(columns="gebied"), on=["indicator", "jaar"], how="left")
        else:
            basis = basis.merge(r.rename(columns={"gebied": sleutel}),
                                on=[sleutel, "indicator", "jaar"], how="left")

    # Registry metadata.
    meta = pd.DataFrame([{
        "indicator": i.id, "label": i.label, "thema": i.thema, "soort": i.soort,
        "eenheid": i.eenheid, "richting": i.richting, "_peil": i.peiljaar,
        "publiceren": i.publiceren, "_benadering": i.benadering, "_min_basis": i.min_basis,
        "_klein": float(i.banden["klein"]), "_groot": float(i.banden["groot"]),
        "_methode": i.banden.get("methode", "spreiding"), "regel": i.regel,
        "basis_telt": build_basis_telt(i, reg),
    } for i in reg])
    basis = basis.merge(meta, on="indicator", how="left")
    basis["peiljaar"] = basis["jaar"] + basis["_peil"]

    # Source label and the source column(s) used that year.
    used = waarden.dropna(subset=["variabele"]).groupby(["indicator", "jaar"])["variabele"].agg(
        lambda s: "; ".join(sorted(set(s)))).rename("bronkolom").reset_index()
    for ind in reg:
        if ind.regel == "ratio":
            t = used[used["indicator"].isin([ind.teller, ind.noemer])].groupby("jaar")["bronkolom"].agg(
                lambda s: " / ".join(s)).reset_index().assign(indicator=ind.id)
            used = pd.concat([used[used["indicator"] != ind.id], t], ignore_index=True)
    basis = basis.merge(used, on=["indicator", "jaar"], how="left")
    basis["bron"] = basis["bron"].map(BRON_LABEL) + " " + basis["jaar"].astype(str)

    # Reasons for missing values.
    reden = pd.Series("", index=basis.index, dtype=object)
    geen_kolom = basis["bronkolom"].isna()
    zoek = {i.id: ", ".join(i.kolommen_voor(0)) or f"{i.teller}/{i.noemer}" for i in reg}
    reden[geen_kolom] = ("bronkolom ontbreekt in " + basis["bron"] + " (gezocht: "
                         + basis["indicator"].map(zoek) + ")")[geen_kolom]
    if not ontbrekend.empty:
        o = ontbrekend.rename(columns={"gebied": "focusgebied"})
        o = o.assign(_ontb="codes ontbreken in " + o["jaar"].astype(str) + ": " + o["codes"])
        basis = basis.merge(o[["focusgebied", "bron", "jaar", "_ontb"]],
                            on=["focusgebied", "bron", "jaar"], how="left")
        zet = (~geen_kolom) & basis["_ontb"].notna()
        reden[zet] = basis.loc[zet, "_ontb"]
    zonder_gewicht = basis["waarde"].isna() & (reden == "") & (basis["n_met_x"].fillna(0) > 0)
    reden[zonder_gewicht] = ("waarden zonder bruikbaar gewicht: inwoners (KWB) ontbreken of de code "
                             "duidt in het gewichtjaar een ander gebied aan")
    leeg = basis["waarde"].isna() & (reden == "")
    reden[leeg] = "geen waarden voor de wijken van het gebied"

    # Suppression below the minimum base; impossible aggregated percentages.
    onder = basis["waarde"].notna() & (basis["basis"] < basis["_min_basis"])
    reden[onder] = "onderdrukt: basis " + basis.loc[onder, "basis"].round(0).astype(str) + \
        " kleiner dan " + basis.loc[onder, "_min_basis"].astype(str)
    for iid, jaar, gb in basis.loc[onder, ["indicator", "jaar", "focusgebied"]].itertuples(index=False):
        mel.add("onderdrukt", "waarde onderdrukt (basis te klein)", focusgebied=gb, jaar=int(jaar),
                indicator=iid)
    basis["onderdrukt"] = onder
    basis.loc[onder, "waarde"] = np.nan
    pct = (basis["eenheid"] == "procent") & ((basis["waarde"] < 0) | (basis["waarde"] > 100))
    reden[pct] = "berekend percentage buiten 0-100; niet getoond"
    basis.loc[pct, "waarde"] = np.nan
    basis["reden"] = reden.replace("", pd.NA)

    basis["benadering"] = basis["_benadering"] | (basis["gewichtstatus"] == GEWICHT_GRENZEN)

    # Referentieniveau: the Leefbaarometer's fixed benchmark lbm - afw (dimensions: 0, they are
    # deviations from that benchmark).
    if not lbm.empty:
        ref = (lbm["lbm"] - lbm["afw"]).groupby(lbm["jaar"]).median()
        lbm_kol = {i.id: i.kolom for i in reg if i.bron == "leefbaarometer"}
        is_lbm = basis["indicator"].map(lbm_kol)
        basis["referentieniveau"] = np.where(
            is_lbm == "lbm", basis["jaar"].map(ref), np.where(is_lbm.notna(), 0.0, np.nan))
    else:
        basis["referentieniveau"] = np.nan

    # Changes since the previous measurement and since the nulmeting.
    basis = basis.sort_values(["focusgebied", "indicator", "jaar"]).reset_index(drop=True)
    v = basis[basis["waarde"].notna()][["focusgebied", "indicator", "jaar", "waarde"]].copy()
    if not v.empty:
        v = v.sort_values(["focusgebied", "indicator", "jaar"])
        v["vorige_jaar"] = v.groupby(["focusgebied", "indicator"])["jaar"].shift()
        v["_vorige"] = v.groupby(["focusgebied", "indicator"])["waarde"].shift()
        basis = basis.merge(v[["focusgebied", "indicator", "jaar", "vorige_jaar", "_vorige"]],
                            on=["focusgebied", "indicator", "jaar"], how="left")
    else:
        basis["vorige_jaar"] = np.nan
        basis["_vorige"] = np.nan
    basis["vorige_jaar"] = basis["vorige_jaar"].astype("Int64")
    basis["verschil_vorige"] = basis["waarde"] - basis["_vorige"]
    # A change across a change of the area's definition is an approximation (not a clean
    # change): nulmeting_benadering. Recomputed per run by load_basis(nulmeting=...).
    basis = build_nulmeting(basis, nulmeting, gebieden, regions)
    volgorde = ["nulmetingjaar", "waarde_nulmeting", "vorige_jaar", "verschil_nulmeting",
                "verschil_vorige", "nulmeting_benadering"]  # the stored column order
    basis = basis[[c for c in basis.columns if c not in volgorde] + volgorde]

    # 'Alle focusgebieden' only where the areas with a value cover enough of all their
    # inhabitants (else no value and so no band).
    basis = build_dekking_focusgebieden(basis, float(min_dekking_focusgebieden))

    # Bands against each reference: thresholds from the registry, by default fractions of the
    # spread (standard deviation) of the wijk values that year (wijken with few inhabitants
    # left out).
    wk = waarden[_prefix(waarden["code"], "WK") & waarden["x"].notna() & ~waarden["klein"]]
    sd = wk.groupby(["indicator", "jaar"])["x"].std().rename("spreiding").reset_index()
    basis = basis.merge(sd, on=["indicator", "jaar"], how="left")
    schaal = np.where(basis["_methode"] == "absoluut", 1.0, basis["spreiding"])
    klein = pd.Series(basis["_klein"] * schaal, index=basis.index)
    groot = pd.Series(basis["_groot"] * schaal, index=basis.index)
    geen_band = basis["regel"] == "som"
    for ref in REFERENTIES:
        b = band(basis["waarde"] - basis[ref], klein, groot)
        basis[f"band_{ref}"] = b.mask(geen_band)

    basis["gewichtjaar"] = basis["gewichtjaar"].astype("Int64")
    basis["n_leden"] = basis["n_leden"].fillna(0).astype(int)
    basis["n_met_waarde"] = basis["n_met_waarde"].fillna(0).astype(int)
    basis["n_klein"] = basis["n_klein"].fillna(0).astype(int)
    basis["n_met_x"] = basis["n_met_x"].fillna(0).astype(int)
    basis["gewicht_geleend"] = basis["gewicht_geleend"].astype("boolean").fillna(False).astype(bool)
    basis = basis.drop(columns=[c for c in basis.columns if c.startswith("_")] + ["regel"])
    eerst = ["focusgebied", "indicator", "jaar", "waarde", "gemeente_rest", "gemeente",
             "focusgebieden", "nederland", "referentieniveau", "eenheid", "bron", "bronkolom",
             "dekking", "gewichtjaar", "gewicht_geleend", "gewichtstatus"]
    basis = basis[eerst + [c for c in basis.columns if c not in eerst]]
    basis = basis.sort_values(["focusgebied", "indicator", "jaar"]).reset_index(drop=True)

    # Notes on borrowed weights, small wijken and approximations (for datakwaliteit.md).
    geleend = basis[basis["gewicht_geleend"] & basis["waarde"].notna()]
    for r in geleend[["focusgebied", "indicator", "jaar", "gewichtjaar", "gewichtstatus"]].drop_duplicates(
            ["focusgebied", "jaar"]).itertuples(index=False):
        mel.add("gewicht geleend",
                f"gewichten (inwoners) uit KWB {r.gewichtjaar} ({r.gewichtstatus})",
                focusgebied=r.focusgebied, jaar=int(r.jaar), indicator=r.indicator)
    return Resultaat(basis=basis, wijken=waarden, meldingen=mel.frame(), regions=regions,
                     nulmeting=nulmeting)


def build_uit_map(processed: Path | None = None, nulmeting: int | None = None,
                 gebieden: list | None = None, reg: Registry | None = None) -> Resultaat:
    """Read the processed tables in ``processed`` and build the indicator base."""
    processed = Path(processed or config.DATA_PROCESSED)
    regions, kwb, lbm = _load_processed(processed)
    gebieden = gebieden if gebieden is not None else load_focusgebieden()
    return build_indicatorbasis(regions, kwb, lbm, gebieden, reg, nulmeting)



# --------------------------------------------------------------------------------------------
# 3. Save
# --------------------------------------------------------------------------------------------
def schema_indicatorbasis():
    """pandera schema of ``indicatorbasis.parquet`` (key, types, ranges). Not strict: extra
    columns (``dekking_<ref>``, metadata) are allowed."""
    import pandera.pandas as pa

    def ref(nullable: bool = True) -> pa.Column:
        return pa.Column(float, nullable=nullable, coerce=True)

    return pa.DataFrameSchema(
        {
            "focusgebied": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
            "indicator": pa.Column(str),
            "jaar": pa.Column(int, pa.Check.in_range(1990, 2100)),
            "waarde": ref(),
            "gemeente_rest": ref(), "gemeente": ref(), "focusgebieden": ref(), "nederland": ref(),
            "referentieniveau": ref(),
            "eenheid": pa.Column(str),
            "bron": pa.Column(str),
            "dekking": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
            "gewichtjaar": pa.Column("Int64", nullable=True),
            "gewicht_geleend": pa.Column(bool),
            "onderdrukt": pa.Column(bool),
            "benadering": pa.Column(bool),
            "nulmeting_benadering": pa.Column(bool),
            "dekking_focusgebieden": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
            **{f"band_{r}": pa.Column(nullable=True, checks=pa.Check.isin(
                ["duidelijk lager", "lager", "gelijk", "hoger", "duidelijk hoger"]))
               for r in REFERENTIES},
        },
        unique=["focusgebied", "indicator", "jaar"],
    )


def write_indicatorbasis(res: Resultaat, out: Path, ontbrekende_bronnen: list[str] | None = None,
                           bronnen: dict | None = None) -> list[Path]:
    """Write ``indicatorbasis.parquet``, ``indicatorwijken.parquet`` and ``datakwaliteit.md``
    into ``out`` (each atomically: temp file then ``os.replace``)."""
    out = Path(out)
    paden = [out / INDICATORBASIS, out / INDICATORWIJKEN, out / DATAKWALITEIT]
    schema_indicatorbasis().validate(res.basis)
    md = rapport(res, ontbrekende_bronnen or [], bronnen or {})
    io.write_parquet(paden[0], res.basis)
    io.write_parquet(paden[1], res.wijken)
    io.write_text(paden[2], md)
    return paden


def ontbrekende_bronnen(res: Resultaat, processed: Path | None = None) -> list[str]:
    """Dutch lines naming what the sources in use do not provide (boundaries: checked in
    ``grenzen.parquet`` of ``processed`` when given)."""
    w = res.wijken
    regels = []
    if w.empty or not (w["bron"] == "leefbaarometer").any():
        regels.append("Leefbaarometer-scores (wijken): geen bestand gevonden")
    kwb_jaren = sorted(w.loc[w["bron"] == "kwb", "jaar"].unique().tolist())
    if not kwb_jaren:
        regels.append("CBS Kerncijfers wijken en buurten: geen bestand gevonden (de Leefbaarometer "
                      "wordt gewogen met inwoners uit de KWB; zonder KWB geen gebiedswaarden)")
    b = res.basis
    if not b.empty:
        per = b.groupby(["indicator", "jaar"])["waarde"].apply(lambda s: s.notna().any()).unstack()
        for iid, rij in per.iterrows():
            leeg = [int(j) for j, ok in rij.items() if ok is False or ok == False]  # noqa: E712
            if leeg and len(leeg) == rij.notna().sum():
                regels.append(f"indicator '{iid}': in geen enkel jaar een waarde "
                              f"(jaren {', '.join(map(str, leeg))})")
            elif leeg:
                regels.append(f"indicator '{iid}': geen waarde in {', '.join(map(str, leeg))}")
    if processed is not None and load_grenzen(Path(processed)) is None:
        regels.append("wijkgrenzen (CBS wijk- en buurtkaart): geen GeoPackage/GeoJSON/TopoJSON "
                      "ingelezen; kaarten worden overgeslagen")
    return regels



# --------------------------------------------------------------------------------------------
# Access for notebooks
# --------------------------------------------------------------------------------------------
def load_basis(processed: Path | None = None, nulmeting: int | None = None) -> pd.DataFrame:
    """Read ``indicatorbasis.parquet`` with the change since the nulmeting for ``nulmeting``.

    ``nulmeting``: the nulmeting year (``None``: ``params/monitor.yml``). The nulmeting columns
    (``nulmetingjaar``, ``waarde_nulmeting``, ``verschil_nulmeting``, ``nulmeting_benadering``)
    are recomputed here from the stored values, ``regions.parquet`` (boundary changes) and the
    area registry (:func:`helpers.studies.indicators.nulmeting.build_nulmeting`), not taken
    from ``build``; the year is in ``basis.attrs["nulmeting"]``. Raises :class:`InputError`
    when the base is missing.
    """
    import pandas as pd

    folder = Path(processed or config.DATA_PROCESSED)
    p = io.record_read(folder / INDICATORBASIS)
    if not p.exists():
        raise InputError(p, "indicatorbasis ontbreekt; voer eerst 'wijkmonitor build' uit")
    regions = folder / config.REGIONS_PARQUET
    if regions.exists():
        regions = io.read_parquet(regions)
    else:
        regions = pd.DataFrame(columns=["code", "indelingsjaar", "indelingswijziging"])
    return build_nulmeting(io.read_parquet(p), monitor.nulmeting(nulmeting),
                           load_focusgebieden(), regions)


def load_wijken(processed: Path | None = None) -> pd.DataFrame:
    """Read ``indicatorwijken.parquet`` (code-level values; empty frame when missing)."""
    import pandas as pd

    p = io.record_read(Path(processed or config.DATA_PROCESSED) / INDICATORWIJKEN)
    return io.read_parquet(p) if p.exists() else pd.DataFrame(
        columns=["indicator", "bron", "code", "jaar", "x", "w", "inw", "klein"])


def voor_gebied(basis: pd.DataFrame, focusgebied: str) -> pd.DataFrame:
    """Rows of one area (all areas for ``alle``); raises KeyError for an unknown id."""
    if focusgebied == "alle":
        return basis
    sel = basis[basis["focusgebied"] == focusgebied]
    if sel.empty:
        raise KeyError(f"onbekend focusgebied '{focusgebied}' in de indicatorbasis")
    return sel
