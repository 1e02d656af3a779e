"""The quantitative indicator base: registry ``params/indicatoren.yml`` -> ``indicatorbasis.parquet``.

Three blocks (load, process, save):

1. :func:`load_indicatoren` reads and validates the indicator registry.
2. :func:`wijkwaarden` turns the processed national tables (``kwb.parquet``,
   ``leefbaarometer.parquet``, ``regions.parquet``) into one long table of code-level values
   with weights (Leefbaarometer weights chosen by :func:`helpers.studies.indicators.aggregate.kies_gewichten`);
   :func:`lidmaatschap` lists the members of every area and reference per source and year;
   :func:`bouw_indicatorbasis` aggregates (:func:`helpers.studies.indicators.aggregate.aggregeer`), adds the
   references, the changes since the nulmeting and the previous measurement, and the bands.
3. :func:`schrijf_indicatorbasis` writes ``indicatorbasis.parquet``, ``indicatorwijken.parquet``
   and ``datakwaliteit.md`` atomically; :func:`build_cli` is ``wijkmonitor build``.

Output ``indicatorbasis.parquet``: one row per (focusgebied, indicator, jaar), columns
``focusgebied, indicator, jaar, waarde, gemeente_rest, gemeente, focusgebieden, nederland,
referentieniveau, eenheid, bron, bronkolom, dekking, gewichtjaar, gewicht_geleend,
gewichtstatus, basis, n_leden, n_met_waarde, n_klein, benadering, onderdrukt, reden, label,
thema, soort, richting, peiljaar, publiceren, gemeentecode, dekking_<ref>, nulmetingjaar,
waarde_nulmeting, verschil_nulmeting, vorige_jaar, verschil_vorige, spreiding,
band_<ref>`` for the references ``gemeente_rest, gemeente, focusgebieden, nederland``.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config
from helpers.core.errors import InputError, RegistryError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMAS = ("leefbaarheid", "armoede en schulden", "re-integratie", "jonge kind",
          "veerkracht en weerbaarheid", "sociale cohesie", "context")
SOORTEN = ("langetermijneffect", "kortetermijnresultaat", "context")
BRONNEN = ("leefbaarometer", "kwb")
RICHTINGEN = ("hoger_beter", "lager_beter", "neutraal")
REFERENTIES = ("gemeente_rest", "gemeente", "focusgebieden", "nederland")
BRON_LABEL = {
    "leefbaarometer": "Leefbaarometer 3.0 (BZK)",
    "kwb": "CBS Kerncijfers wijken en buurten",
}
INDICATORBASIS = config.INDICATORBASIS_PARQUET
INDICATORWIJKEN = "indicatorwijken.parquet"
DATAKWALITEIT = "datakwaliteit.md"
# A reference 'nederland' aggregated from wijken needs national coverage: at least this many
# municipalities with wijken in the source that year (else it is left missing, with a reason).
MIN_GEMEENTEN_LANDELIJK = 100


# --------------------------------------------------------------------------------------------
# 1. Registry
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    """One registered indicator (see the header of ``params/indicatoren.yml``)."""

    id: str
    label: str
    thema: str
    soort: str
    bron: str
    eenheid: str
    richting: str
    regel: str
    kolom: str | None = None
    kolommen: dict = field(default_factory=dict)  # {jaar|"alle": [names]}
    teller: str | None = None
    noemer: str | None = None
    gewicht: str | None = None
    factor: float = 1.0
    benadering: bool = False
    basis: str | None = None
    peiljaar: int = 0
    min_basis: float = 0.0
    banden: dict = field(default_factory=dict)
    publiceren: bool = True

    def kolommen_voor(self, jaar: int) -> list[str]:
        """Candidate source column names for a KWB edition (specific year first)."""
        return list(self.kolommen.get(jaar, [])) + list(self.kolommen.get("alle", []))


@dataclass(frozen=True)
class Registry:
    indicatoren: tuple[Indicator, ...]
    min_inwoners_wijk: int = 200

    def __iter__(self):
        return iter(self.indicatoren)

    def get(self, iid: str) -> Indicator:
        for ind in self.indicatoren:
            if ind.id == iid:
                return ind
        raise KeyError(iid)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicatoren]


def _fout(path: Path, iid: str, msg: str) -> RegistryError:
    return RegistryError(f"{path}: indicator '{iid}': {msg}")


def load_indicatoren(path: Path | None = None) -> Registry:
    """Read and validate the indicator registry (default ``params/indicatoren.yml``).

    Raises :class:`helpers.core.errors.RegistryError` naming the file, the indicator and the field
    for: duplicate or malformed ids, unknown thema/soort/bron/richting/regel, a KWB indicator
    without source columns, a Leefbaarometer indicator without ``kolom``, a ratio or weight
    referring to an unknown indicator, or band thresholds that are not ``0 < klein < groot``.
    """
    import re

    import yaml

    path = Path(path or config.INDICATOREN_YML)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    except FileNotFoundError as exc:
        raise RegistryError(f"indicatorregister niet gevonden: {path}") from exc
    std = doc.get("standaard", {}) or {}
    items = doc.get("indicatoren")
    if not isinstance(items, list) or not items:
        raise RegistryError(f"{path}: sleutel 'indicatoren' ontbreekt of is leeg")
    out: list[Indicator] = []
    seen: set[str] = set()
    for i, it in enumerate(items, 1):
        iid = str(it.get("id", ""))
        if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
            raise RegistryError(f"{path}: indicator nr. {i}: ongeldige id '{iid}' (verwacht a-z0-9_)")
        if iid in seen:
            raise _fout(path, iid, "id komt dubbel voor")
        seen.add(iid)
        for key, allowed in (("thema", THEMAS), ("soort", SOORTEN), ("bron", BRONNEN),
                             ("richting", RICHTINGEN)):
            if it.get(key) not in allowed:
                raise _fout(path, iid, f"'{key}' is '{it.get(key)}' (verwacht een van: {', '.join(allowed)})")
        agg = it.get("aggregatie") or {}
        regel = agg.get("regel")
        from helpers.studies.indicators.aggregate import REGELS

        if regel not in REGELS:
            raise _fout(path, iid, f"aggregatie.regel is '{regel}' (verwacht: {', '.join(REGELS)})")
        kol = it.get("kolommen")
        if isinstance(kol, list):
            kolommen = {"alle": [str(k) for k in kol]}
        elif isinstance(kol, dict):
            kolommen = {(k if k == "alle" else int(k)): [str(x) for x in v] for k, v in kol.items()}
        else:
            kolommen = {}
        if it["bron"] == "kwb" and regel != "ratio" and not kolommen:
            raise _fout(path, iid, "'kolommen' ontbreekt (bronkolom per formaat en jaar)")
        if it["bron"] == "leefbaarometer" and not it.get("kolom"):
            raise _fout(path, iid, "'kolom' ontbreekt (kolom van leefbaarometer.parquet)")
        if regel == "ratio" and not (agg.get("teller") and agg.get("noemer")):
            raise _fout(path, iid, "ratio zonder 'teller' en 'noemer'")
        if regel == "gewogen_gemiddelde" and not agg.get("gewicht"):
            raise _fout(path, iid, "gewogen_gemiddelde zonder 'gewicht'")
        banden = {**(std.get("banden") or {}), **(it.get("banden") or {})}
        if not (0 < float(banden.get("klein", 0)) < float(banden.get("groot", 0))):
            raise _fout(path, iid, "banden: verwacht 0 < klein < groot")
        out.append(Indicator(
            id=iid, label=str(it.get("label", iid)), thema=it["thema"], soort=it["soort"],
            bron=it["bron"], eenheid=str(it.get("eenheid", "")), richting=it["richting"],
            regel=regel, kolom=it.get("kolom"), kolommen=kolommen,
            teller=agg.get("teller"), noemer=agg.get("noemer"), gewicht=agg.get("gewicht"),
            factor=float(agg.get("factor", 1.0)), benadering=bool(agg.get("benadering", False)),
            basis=it.get("basis"), peiljaar=int(it.get("peiljaar", std.get("peiljaar", 0))),
            min_basis=float(it.get("min_basis", std.get("min_basis", 0))), banden=banden,
            publiceren=bool(it.get("publiceren", std.get("publiceren", True))),
        ))
    ids = {i.id for i in out}
    for ind in out:
        for ref in (ind.teller, ind.noemer, ind.gewicht):
            if ref is not None and ref not in ids:
                raise _fout(path, ind.id, f"verwijst naar onbekende indicator '{ref}'")
        for ref in (ind.teller, ind.noemer):
            if ref is not None and next(i for i in out if i.id == ref).regel != "som":
                raise _fout(path, ind.id, f"teller/noemer '{ref}' moet een aantal (regel som) zijn")
    if "inwoners" not in ids:
        raise RegistryError(f"{path}: indicator 'inwoners' ontbreekt (nodig als gewicht)")
    return Registry(tuple(out), int(std.get("min_inwoners_wijk", 200)))


# --------------------------------------------------------------------------------------------
# Areas (from the area registry, or any objects with the same attributes)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Gebied:
    id: str
    naam: str
    gemeente: str
    wijken: dict
    buurten: dict
    aliassen: tuple = ()
    toelichting: str = ""


def laad_gebieden(path: Path | None = None) -> list:
    """The focus areas: :func:`helpers.registers.focusgebieden.load_focusgebieden` (or a plain YAML read of
    the same shape when the registry module is not available)."""
    try:
        from helpers.registers.focusgebieden import load_focusgebieden
    except ImportError:
        load_focusgebieden = None
    if load_focusgebieden is not None:
        return list(load_focusgebieden(path) if path else load_focusgebieden())
    import yaml

    p = Path(path or config.FOCUSGEBIEDEN_YML)
    doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    if isinstance(doc, dict):
        doc = doc.get("focusgebieden", [])
    return [_Gebied(id=d["id"], naam=d.get("naam", d["id"]), gemeente=d["gemeente"],
                    wijken={int(k): tuple(v) for k, v in (d.get("wijken") or {}).items()},
                    buurten={int(k): tuple(v) for k, v in (d.get("buurten") or {}).items()},
                    aliassen=tuple(d.get("aliassen") or ()), toelichting=d.get("toelichting", ""))
            for d in doc]


def codes_voor_jaar(gebied: Any, jaar: int) -> tuple[int | None, tuple[str, ...]]:
    """The registry codes of ``gebied`` that apply to data of indeling year ``jaar``.

    Wijk codes when the area has any, else buurt codes. The registry's indeling year is the
    data year itself when listed, else the latest listed year before it, else the earliest
    after it. Returns ``(indelingsjaar used, codes)``.
    """
    sets = dict(getattr(gebied, "wijken", {}) or {}) or dict(getattr(gebied, "buurten", {}) or {})
    if not sets:
        return None, ()
    jaren = sorted(int(j) for j in sets)
    if jaar in jaren:
        kies = jaar
    else:
        eerder = [j for j in jaren if j < jaar]
        kies = eerder[-1] if eerder else jaren[0]
    codes = sets.get(kies, sets.get(str(kies)))
    return kies, tuple(str(c).strip() for c in codes)


# --------------------------------------------------------------------------------------------
# 2. Code-level values
# --------------------------------------------------------------------------------------------
@dataclass
class Meldingen:
    """Data-quality notes collected while building (rendered in ``datakwaliteit.md``)."""

    rijen: list = field(default_factory=list)

    def add(self, soort: str, tekst: str, gebied: str = "", jaar: int | None = None,
            indicator: str = "") -> None:
        self.rijen.append({"soort": soort, "gebied": gebied, "jaar": jaar,
                           "indicator": indicator, "tekst": tekst})

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.rijen, columns=["soort", "gebied", "jaar", "indicator", "tekst"])


_ODATA_KEY = re.compile(r"(k_)?[A-Za-z0-9]*[A-Z][A-Za-z0-9]*_(\d+)")


def odata_stam(naam: str) -> str:
    """Match key of a source column: an OData key without its numeric suffix (the suffix
    differs per KWB table: ``HuishOnderOfRondSociaalMinimum_79`` in 2019, another number in
    later editions); kwb.xlsx short names and StatLine headers are kept as they are."""
    m = _ODATA_KEY.fullmatch(naam)
    return "odata:" + naam[: m.start(2) - 1] if m else naam


def _kwb_ruw(kwb: pd.DataFrame, reg: Registry) -> pd.DataFrame:
    """Raw KWB values per indicator: ``indicator, code, jaar, x, variabele``.

    The first listed source column present for a (code, jaar) wins.
    """
    import pandas as pd

    jaren = sorted(kwb["jaar"].unique().tolist()) if not kwb.empty else []
    rows = []
    for ind in reg:
        if ind.bron != "kwb" or not ind.kolommen:
            continue
        for jaar in jaren:
            for prio, naam in enumerate(ind.kolommen_voor(int(jaar))):
                rows.append((ind.id, int(jaar), naam, prio))
    kaart = pd.DataFrame(rows, columns=["indicator", "jaar", "sleutel", "prio"])
    if kaart.empty or kwb.empty:
        return pd.DataFrame(columns=["indicator", "code", "jaar", "x", "variabele"])
    kaart["sleutel"] = kaart["sleutel"].map(odata_stam)
    namen = pd.Series(kwb["variabele"].unique())
    stam = pd.DataFrame({"variabele": namen, "sleutel": namen.map(odata_stam)})
    k = kwb[["code", "jaar", "variabele", "waarde"]].merge(stam, on="variabele")
    m = k.merge(kaart, on=["jaar", "sleutel"])
    m = m.sort_values(["indicator", "code", "jaar", "prio"]).drop_duplicates(
        ["indicator", "code", "jaar"])
    return m.rename(columns={"waarde": "x"})[["indicator", "code", "jaar", "x", "variabele"]]


def _prefix(codes: pd.Series, prefixes: tuple[str, ...] | str) -> pd.Series:
    """``codes.str.startswith(prefixes)`` computed once per distinct code (fast on long tables)."""
    from helpers.studies.indicators.aggregate import per_code

    return per_code(codes, lambda s: s.str.startswith(prefixes)).fillna(False).astype(bool)


def wijkwaarden(
    kwb: pd.DataFrame,
    lbm: pd.DataFrame,
    regions: pd.DataFrame,
    reg: Registry,
    meldingen: Meldingen | None = None,
) -> pd.DataFrame:
    """Code-level values of every registered indicator.

    Returns ``indicator, bron, code, jaar, x, teller, noemer, w, inw, gewichtjaar,
    gewichtstatus, klein, variabele``. ``x`` is in the indicator's unit (ratios recomputed at
    code level for maps and spread). Invalid source values -- negative counts, percentages
    outside 0-100 -- are set to missing and reported in ``meldingen`` (never used silently).
    Leefbaarometer weights are inhabitants chosen by :func:`helpers.studies.indicators.aggregate.kies_gewichten`.
    """
    import numpy as np
    import pandas as pd

    from helpers.studies.indicators.aggregate import GEWICHT_ZELFDE, kies_gewichten

    meldingen = meldingen if meldingen is not None else Meldingen()
    ruw = _kwb_ruw(kwb, reg)
    ruw["bron"] = "kwb"

    # Validate raw values: negative counts, percentages outside 0-100.
    eenheid = ruw["indicator"].map({i.id: i.eenheid for i in reg})
    is_aantal = ruw["indicator"].map({i.id: i.eenheid in ("aantal", "x 1000 euro")
                                      or i.eenheid.startswith("per") for i in reg}).astype(bool)
    is_pct = ruw["indicator"].map({i.id: i.eenheid == "procent" for i in reg}).astype(bool)
    neg = is_aantal & (ruw["x"] < 0)
    pct = is_pct & ((ruw["x"] < 0) | (ruw["x"] > 100))
    slecht = ruw[neg | pct]
    for (iid, jaar, var), grp in slecht.groupby(["indicator", "jaar", "variabele"]):
        soort = "negatief aantal" if eenheid.loc[grp.index[0]] != "procent" else "percentage buiten 0-100"
        voorbeeld = ", ".join(f"{c}={x:g}" for c, x in zip(grp["code"][:5], grp["x"][:5], strict=False))
        meldingen.add("ongeldige waarde",
                      f"{soort} in kolom '{var}' (KWB {jaar}) voor {len(grp)} code(s): {voorbeeld}; "
                      "als ontbrekend behandeld", jaar=int(jaar), indicator=iid)
    ruw.loc[neg | pct, "x"] = np.nan

    inw = ruw[ruw["indicator"] == "inwoners"][["code", "jaar", "x"]].rename(columns={"x": "inw"})

    delen = []
    for ind in reg:
        if ind.bron != "kwb":
            continue
        if ind.regel == "ratio":
            t = ruw[ruw["indicator"] == ind.teller][["code", "jaar", "x", "variabele"]]
            n = ruw[ruw["indicator"] == ind.noemer][["code", "jaar", "x"]]
            d = t.rename(columns={"x": "teller"}).merge(
                n.rename(columns={"x": "noemer"}), on=["code", "jaar"], how="outer")
            d["x"] = ind.factor * d["teller"] / d["noemer"].where(d["noemer"] > 0)
        else:
            d = ruw[ruw["indicator"] == ind.id][["code", "jaar", "x", "variabele"]].copy()
            d["teller"] = np.nan
            d["noemer"] = np.nan
        if ind.regel == "gewogen_gemiddelde":
            w = ruw[ruw["indicator"] == ind.gewicht][["code", "jaar", "x"]].rename(columns={"x": "w"})
            d = d.merge(w, on=["code", "jaar"], how="left")
            nul = d["x"].notna() & ~(d["w"] > 0)
            if nul.any():
                codes = d.loc[nul, "code"].head(5).tolist()
                meldingen.add("gewicht nul of ontbrekend",
                              f"{int(nul.sum())} code(s) met een waarde maar zonder positief gewicht "
                              f"'{ind.gewicht}' (bv. {', '.join(codes)}); niet meegewogen",
                              indicator=ind.id)
        else:
            d["w"] = np.nan
        d["indicator"] = ind.id
        d["bron"] = "kwb"
        d = d.merge(inw, on=["code", "jaar"], how="left")
        d["gewichtjaar"] = pd.array(np.where(d["w"].notna(), d["jaar"], np.nan), dtype="Int64") \
            if ind.regel == "gewogen_gemiddelde" else pd.array([pd.NA] * len(d), dtype="Int64")
        d["gewichtstatus"] = pd.array(np.where(d["w"].notna(), GEWICHT_ZELFDE, None)
                                      if ind.regel == "gewogen_gemiddelde" else [None] * len(d),
                                      dtype="string")
        delen.append(d)

    # Leefbaarometer: inhabitant weights, borrowed from another KWB year where needed.
    lbm_inds = [i for i in reg if i.bron == "leefbaarometer"]
    if lbm_inds and not lbm.empty:
        lw = lbm.copy()
        doel = lw[["code", "jaar"]]
        namen = regions.rename(columns={"indelingsjaar": "jaar"})[["code", "jaar", "naam"]] \
            if not regions.empty else None
        wijz = regions.loc[regions["indelingswijziging"].astype("Float64") == 3,
                           ["code", "indelingsjaar"]].rename(columns={"indelingsjaar": "jaar"}) \
            if not regions.empty else None
        gew = kies_gewichten(doel, inw.rename(columns={"inw": "gewicht"}), namen, wijz)
        lw = lw.merge(gew, on=["code", "jaar"], how="left")
        for ind in lbm_inds:
            d = pd.DataFrame({
                "indicator": ind.id, "bron": "leefbaarometer", "code": lw["code"],
                "jaar": lw["jaar"], "x": lw[ind.kolom].astype(float), "teller": np.nan,
                "noemer": np.nan, "w": lw["gewicht"], "inw": lw["gewicht"],
                "gewichtjaar": lw["gewichtjaar"],
                "gewichtstatus": lw["gewichtstatus"].astype("string"),
                "variabele": ind.kolom,
            })
            delen.append(d)
    cols = ["indicator", "bron", "code", "jaar", "x", "teller", "noemer", "w", "inw",
            "gewichtjaar", "gewichtstatus", "variabele"]
    delen = [d[cols] for d in delen if not d.empty]
    out = pd.concat(delen, ignore_index=True) if delen else pd.DataFrame(columns=cols)
    out["jaar"] = out["jaar"].astype(int)
    out["gewichtjaar"] = out["gewichtjaar"].astype("Int64")
    wijkcode = _prefix(out["code"], ("WK", "BU"))
    out["klein"] = wijkcode & (out["inw"] < reg.min_inwoners_wijk).fillna(False)
    return out


# --------------------------------------------------------------------------------------------
# Membership of areas and references
# --------------------------------------------------------------------------------------------
def _universum(waarden: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Codes known per (bron, jaar): in the source's data that year or in the region table of
    that indeling year. Columns ``bron, jaar, code, gemeente, soort`` (soort wijk/buurt/
    gemeente/land from the code prefix)."""
    import pandas as pd

    from helpers.studies.indicators.aggregate import gemeente_van, per_code

    data = waarden[["bron", "jaar", "code"]].drop_duplicates()
    jaren = data[["bron", "jaar"]].drop_duplicates()
    if not regions.empty:
        rg = regions[["code", "indelingsjaar"]].rename(columns={"indelingsjaar": "jaar"})
        rg = jaren.merge(rg, on="jaar")
        data = pd.concat([data, rg], ignore_index=True).drop_duplicates()
    data["gemeente"] = gemeente_van(data["code"])
    data["soort"] = per_code(data["code"], lambda s: s.str.slice(0, 2).map(
        {"WK": "wijk", "BU": "buurt", "GM": "gemeente", "NL": "land"}))
    data["in_bron"] = data.set_index(["bron", "jaar", "code"]).index.isin(
        waarden.set_index(["bron", "jaar", "code"]).index)
    return data


def _check_namen(reg: pd.DataFrame, regions: pd.DataFrame, meldingen: Meldingen) -> None:
    """Report registry codes whose name in a data year differs from their name in the registry's
    indeling year: the same code may denote another area (the code is still used; the note
    names area, year, code and both names)."""
    from helpers.studies.indicators.aggregate import normaliseer_naam

    if regions.empty or reg.empty:
        return
    n = regions[["code", "indelingsjaar", "naam"]].rename(columns={"indelingsjaar": "jaar"})
    n = n[n["code"].isin(reg["code"].unique())].drop_duplicates(["code", "jaar"])
    d = reg[reg["jaar"] != reg["registerjaar"]].merge(n, on=["code", "jaar"])
    d = d.merge(n.rename(columns={"jaar": "registerjaar", "naam": "naam_register"}),
                on=["code", "registerjaar"])
    anders = d[normaliseer_naam(d["naam"]) != normaliseer_naam(d["naam_register"])]
    for r in anders.drop_duplicates(["gebied", "jaar", "code"]).itertuples(index=False):
        meldingen.add("andere naam",
                      f"focusgebied '{r.gebied}': code {r.code} heet in {r.jaar} '{r.naam}' maar in "
                      f"registerjaar {r.registerjaar} '{r.naam_register}'; mogelijk een ander gebied",
                      gebied=r.gebied, jaar=int(r.jaar))


def lidmaatschap(
    gebieden: list,
    waarden: pd.DataFrame,
    regions: pd.DataFrame,
    meldingen: Meldingen | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Members of every area and reference, per source and year.

    Returns ``(leden, ontbrekend)``: ``leden`` has ``groep, gebied, bron, jaar, code``;
    ``ontbrekend`` has ``gebied, bron, jaar, registerjaar, codes`` for registry codes that do
    not exist in a year's data or region table (each also reported in ``meldingen``, naming
    area, year and codes). ``gemeente`` and ``nederland`` use the CBS total row (GM code,
    ``NL00``) where the source has it that year, else all wijken; ``nederland`` from wijken
    needs at least :data:`MIN_GEMEENTEN_LANDELIJK` municipalities.
    """
    import pandas as pd

    meldingen = meldingen if meldingen is not None else Meldingen()
    uni = _universum(waarden, regions)
    jaren = uni[["bron", "jaar"]].drop_duplicates().sort_values(["bron", "jaar"])

    # Area members from the registry, per (bron, jaar) -- 20 areas x a few years.
    rows = []
    for g in gebieden:
        for bron, jaar in jaren.itertuples(index=False):
            rj, codes = codes_voor_jaar(g, int(jaar))
            for c in codes:
                rows.append((g.id, g.gemeente, bron, int(jaar), rj, c))
    reg = pd.DataFrame(rows, columns=["gebied", "gm", "bron", "jaar", "registerjaar", "code"])
    bekend = reg.merge(uni[["bron", "jaar", "code"]], on=["bron", "jaar", "code"],
                       how="left", indicator=True)
    mist = bekend[bekend["_merge"] == "left_only"]
    ontbrekend = (mist.groupby(["gebied", "bron", "jaar", "registerjaar"])["code"]
                  .agg(lambda s: ", ".join(sorted(s))).rename("codes").reset_index())
    for r in ontbrekend.itertuples(index=False):
        meldingen.add("codes ontbreken",
                      f"focusgebied '{r.gebied}': in jaar {r.jaar} ontbreken de codes {r.codes} "
                      f"(registerindeling {r.registerjaar}) in de bron {r.bron}",
                      gebied=r.gebied, jaar=int(r.jaar))
    leden_fg = bekend[bekend["_merge"] == "both"][["gebied", "bron", "jaar", "code"]].assign(
        groep="focusgebied")
    _check_namen(reg[["gebied", "jaar", "registerjaar", "code"]].drop_duplicates(), regions, meldingen)

    # Rest of the municipality: same-level codes of the gemeente minus the registry codes.
    soort_fg = reg.assign(soort=reg["code"].str.slice(0, 2).map({"WK": "wijk", "BU": "buurt"}))[
        ["gebied", "gm", "bron", "jaar", "soort"]].drop_duplicates()
    rest = soort_fg.merge(uni[["bron", "jaar", "code", "gemeente", "soort"]],
                          left_on=["bron", "jaar", "gm", "soort"],
                          right_on=["bron", "jaar", "gemeente", "soort"])
    rest = rest.merge(reg[["gebied", "bron", "jaar", "code"]], on=["gebied", "bron", "jaar", "code"],
                      how="left", indicator=True)
    leden_rest = rest[rest["_merge"] == "left_only"][["gebied", "bron", "jaar", "code"]].assign(
        groep="gemeente_rest")

    # Whole municipality: its CBS total row where present, else its wijken.
    gms = reg[["gm", "bron", "jaar"]].drop_duplicates()
    totaal = gms.merge(uni[uni["in_bron"]], left_on=["gm", "bron", "jaar"],
                       right_on=["code", "bron", "jaar"])[["gm", "bron", "jaar", "code"]]
    zonder = gms.merge(totaal[["gm", "bron", "jaar"]], how="left", indicator=True)
    zonder = zonder[zonder["_merge"] == "left_only"].drop(columns="_merge")
    wijken = zonder.merge(uni[uni["soort"] == "wijk"], left_on=["gm", "bron", "jaar"],
                          right_on=["gemeente", "bron", "jaar"])[["gm", "bron", "jaar", "code"]]
    leden_gm = pd.concat([totaal, wijken]).rename(columns={"gm": "gebied"}).assign(groep="gemeente")

    # All focus areas together.
    leden_alle = leden_fg[["bron", "jaar", "code"]].drop_duplicates().assign(
        gebied="alle", groep="focusgebieden")

    # The Netherlands: NL00 where present, else all wijken when the coverage is national.
    nl = uni[(uni["code"] == "NL00") & uni["in_bron"]][["bron", "jaar", "code"]]
    zonder = jaren.merge(nl[["bron", "jaar"]], how="left", indicator=True)
    zonder = zonder[zonder["_merge"] == "left_only"].drop(columns="_merge")
    wk = uni[uni["soort"] == "wijk"].merge(zonder, on=["bron", "jaar"])
    n_gm = wk.groupby(["bron", "jaar"])["gemeente"].nunique()
    landelijk = n_gm[n_gm >= MIN_GEMEENTEN_LANDELIJK].index
    for bron, jaar in zonder.itertuples(index=False):
        if (bron, jaar) not in landelijk:
            meldingen.add("geen landelijke dekking",
                          f"bron {bron} {jaar}: geen rij NL00 en wijken van slechts "
                          f"{int(n_gm.get((bron, jaar), 0))} gemeenten; referentie 'nederland' "
                          "ontbreekt", jaar=int(jaar))
    wk = wk.set_index(["bron", "jaar"])
    wk = wk[wk.index.isin(landelijk)].reset_index()[["bron", "jaar", "code"]]
    leden_nl = pd.concat([nl, wk]).assign(gebied="NL00", groep="nederland")

    leden = pd.concat([leden_fg, leden_rest, leden_gm, leden_alle, leden_nl], ignore_index=True)
    leden["jaar"] = leden["jaar"].astype(int)
    return leden[["groep", "gebied", "bron", "jaar", "code"]], ontbrekend


# --------------------------------------------------------------------------------------------
# The indicator base
# --------------------------------------------------------------------------------------------
@dataclass
class Resultaat:
    """Everything one build produces."""

    basis: pd.DataFrame
    wijken: pd.DataFrame
    meldingen: pd.DataFrame
    regions: pd.DataFrame
    nulmeting: int


def _lees_processed(processed: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    def lees(naam: str, kolommen: list[str]) -> pd.DataFrame:
        p = Path(processed) / naam
        if not p.exists():
            return pd.DataFrame(columns=kolommen)
        df = pd.read_parquet(p)
        missing = [c for c in kolommen if c not in df.columns]
        if missing:
            raise InputError(p, "verwerkte tabel mist een kolom", column=missing[0],
                             expected=", ".join(kolommen))
        return df

    regions = lees(config.REGIONS_PARQUET,
                   ["code", "naam", "soort", "gemeente", "indelingsjaar", "indelingswijziging"])
    kwb = lees(config.KWB_PARQUET, ["code", "jaar", "variabele", "waarde"])
    lbm = lees(config.LEEFBAAROMETER_PARQUET,
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
    from helpers.studies.indicators.aggregate import gemeente_van

    def buurt_weg(df: pd.DataFrame) -> pd.DataFrame:
        buurt = _prefix(df["code"], "BU")
        if gm_buurt:
            buurt = buurt & ~gemeente_van(df["code"]).isin(gm_buurt)
        return df[~buurt]

    if not kwb.empty:
        kwb = buurt_weg(kwb[kwb["variabele"].isin(namen)])
    if not lbm.empty:
        lbm = buurt_weg(lbm)
    return kwb, lbm


def bouw_indicatorbasis(
    regions: pd.DataFrame,
    kwb: pd.DataFrame,
    lbm: pd.DataFrame,
    gebieden: list,
    reg: Registry | None = None,
    nulmeting: int = 2022,
) -> Resultaat:
    """Build the indicator base from the processed tables (all in memory, vectorised).

    Parameters: the three processed tables, the focus areas (objects with ``id, naam,
    gemeente, wijken, buurten``), the indicator registry and the nulmeting year.
    Missing data never become 0: a value is NaN with a ``reden``; coverage is in ``dekking``.
    """
    import numpy as np
    import pandas as pd

    from helpers.studies.indicators.aggregate import GEWICHT_GRENZEN, aggregeer, band

    reg = reg or load_indicatoren()
    mel = Meldingen()
    regions = regions.copy()
    if "indelingswijziging" not in regions:
        regions["indelingswijziging"] = pd.NA
    kwb, lbm = _relevant(kwb, lbm, gebieden, reg)
    waarden = wijkwaarden(kwb, lbm, regions, reg, mel)
    leden, ontbrekend = lidmaatschap(gebieden, waarden, regions, mel)
    regels = {i.id: {"regel": i.regel, "factor": i.factor} for i in reg}
    agg = aggregeer(waarden, leden, regels)

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
        mel.add("onderdrukt", "waarde onderdrukt (basis te klein)", gebied=gb, jaar=int(jaar),
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

    # Changes since the nulmeting and the previous measurement.
    basis = basis.sort_values(["focusgebied", "indicator", "jaar"]).reset_index(drop=True)
    v = basis[basis["waarde"].notna()][["focusgebied", "indicator", "jaar", "waarde"]].copy()
    v["_d"] = np.where(v["jaar"] <= nulmeting, nulmeting - v["jaar"], 1000 + v["jaar"] - nulmeting)
    if not v.empty:
        idx = v.groupby(["focusgebied", "indicator"])["_d"].idxmin()
        nul = v.loc[idx, ["focusgebied", "indicator", "jaar", "waarde"]].rename(
            columns={"jaar": "nulmetingjaar", "waarde": "waarde_nulmeting"})
        basis = basis.merge(nul, on=["focusgebied", "indicator"], how="left")
        v = v.sort_values(["focusgebied", "indicator", "jaar"])
        v["vorige_jaar"] = v.groupby(["focusgebied", "indicator"])["jaar"].shift()
        v["_vorige"] = v.groupby(["focusgebied", "indicator"])["waarde"].shift()
        basis = basis.merge(v[["focusgebied", "indicator", "jaar", "vorige_jaar", "_vorige"]],
                            on=["focusgebied", "indicator", "jaar"], how="left")
    else:
        basis["nulmetingjaar"] = np.nan
        basis["waarde_nulmeting"] = np.nan
        basis["vorige_jaar"] = np.nan
        basis["_vorige"] = np.nan
    basis["nulmetingjaar"] = basis["nulmetingjaar"].astype("Int64")
    basis["vorige_jaar"] = basis["vorige_jaar"].astype("Int64")
    basis["verschil_nulmeting"] = basis["waarde"] - basis["waarde_nulmeting"]
    basis["verschil_vorige"] = basis["waarde"] - basis["_vorige"]

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
                gebied=r.focusgebied, jaar=int(r.jaar), indicator=r.indicator)
    return Resultaat(basis=basis, wijken=waarden, meldingen=mel.frame(), regions=regions,
                     nulmeting=nulmeting)


def bouw_uit_map(processed: Path | None = None, nulmeting: int = 2022,
                 gebieden: list | None = None, reg: Registry | None = None) -> Resultaat:
    """Read the processed tables in ``processed`` and build the indicator base."""
    processed = Path(processed or config.DATA_PROCESSED)
    regions, kwb, lbm = _lees_processed(processed)
    gebieden = gebieden if gebieden is not None else laad_gebieden()
    return bouw_indicatorbasis(regions, kwb, lbm, gebieden, reg, nulmeting)


# --------------------------------------------------------------------------------------------
# 3. Save
# --------------------------------------------------------------------------------------------
def _atomisch(path: Path, schrijf) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        schrijf(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
            **{f"band_{r}": pa.Column(nullable=True, checks=pa.Check.isin(
                ["duidelijk lager", "lager", "gelijk", "hoger", "duidelijk hoger"]))
               for r in REFERENTIES},
        },
        unique=["focusgebied", "indicator", "jaar"],
    )


def schrijf_indicatorbasis(res: Resultaat, out: Path, ontbrekende_bronnen: list[str] | None = None,
                           bronnen: dict | None = None) -> list[Path]:
    """Write ``indicatorbasis.parquet``, ``indicatorwijken.parquet`` and ``datakwaliteit.md``
    into ``out`` (each atomically: temp file then ``os.replace``)."""
    from helpers.studies.indicators.quality import rapport

    out = Path(out)
    paden = [out / INDICATORBASIS, out / INDICATORWIJKEN, out / DATAKWALITEIT]
    schema_indicatorbasis().validate(res.basis)
    md = rapport(res, ontbrekende_bronnen or [], bronnen or {})
    _atomisch(paden[0], lambda p: res.basis.to_parquet(p, index=False))
    _atomisch(paden[1], lambda p: res.wijken.to_parquet(p, index=False))
    _atomisch(paden[2], lambda p: p.write_text(md, encoding="utf-8"))
    return paden


def ontbrekende_bronnen(res: Resultaat, raw: Path | None = None) -> list[str]:
    """Dutch lines naming what the sources in use do not provide."""
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
    if raw is not None:
        from helpers.studies.indicators.maps import zoek_grenzen

        if not zoek_grenzen(Path(raw)):
            regels.append("wijkgrenzen (CBS wijk- en buurtkaart): geen GeoPackage/GeoJSON/TopoJSON "
                          "in de ruwe map; kaarten worden overgeslagen")
    return regels


def build_cli(raw: Path, out: Path, nulmeting: int = 2022) -> None:
    """Body of ``wijkmonitor build``: ingest, then the indicator base, with a Dutch summary."""
    from rich.console import Console

    from helpers.core import provenance
    from helpers.ingest.build import run_ingest

    console = Console()
    raw, out = Path(raw), Path(out)
    console.print(f"Inlezen van ruwe bestanden uit {raw} ...")
    run_ingest(raw, out)
    console.print("Indicatorbasis opbouwen ...")
    res = bouw_uit_map(out, nulmeting)
    ontbreekt = ontbrekende_bronnen(res, raw)
    paden = schrijf_indicatorbasis(res, out, ontbreekt, provenance.load_bronnen(out))
    b = res.basis
    gevuld = b["waarde"].notna().sum()
    console.print(f"{len(b)} rijen (focusgebied x indicator x jaar), {gevuld} met een waarde.")
    for p in paden:
        console.print(f"geschreven: {p}")
    if ontbreekt:
        console.print("[bold]Ontbrekende bronnen en gaten[/bold] (zie ook datakwaliteit.md):")
        for r in ontbreekt:
            console.print(f"  - {r}")


# --------------------------------------------------------------------------------------------
# Access for notebooks
# --------------------------------------------------------------------------------------------
def laad_basis(processed: Path | None = None) -> pd.DataFrame:
    """Read ``indicatorbasis.parquet`` (raises :class:`InputError` when it is missing)."""
    import pandas as pd

    p = Path(processed or config.DATA_PROCESSED) / INDICATORBASIS
    if not p.exists():
        raise InputError(p, "indicatorbasis ontbreekt; voer eerst 'wijkmonitor build' uit")
    return pd.read_parquet(p)


def laad_wijken(processed: Path | None = None) -> pd.DataFrame:
    """Read ``indicatorwijken.parquet`` (code-level values; empty frame when missing)."""
    import pandas as pd

    p = Path(processed or config.DATA_PROCESSED) / INDICATORWIJKEN
    return pd.read_parquet(p) if p.exists() else pd.DataFrame(
        columns=["indicator", "bron", "code", "jaar", "x", "w", "inw", "klein"])


def voor_gebied(basis: pd.DataFrame, gebied: str) -> pd.DataFrame:
    """Rows of one area (all areas for ``alle``); raises KeyError for an unknown id."""
    if gebied == "alle":
        return basis
    sel = basis[basis["focusgebied"] == gebied]
    if sel.empty:
        raise KeyError(f"onbekend focusgebied '{gebied}' in de indicatorbasis")
    return sel
