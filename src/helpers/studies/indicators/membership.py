"""Members of every focus area and reference, per source and year (indicator base, step 2b)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.core.codes import gemeente_of, per_code
from helpers.registers.focusgebieden import member_codes
from helpers.studies.indicators.aggregate import normalise_naam
from helpers.studies.indicators.model import Meldingen

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# A reference 'nederland' aggregated from wijken needs national coverage: at least this many
# municipalities with wijken in the source that year (else it is left missing, with a reason).
MIN_GEMEENTEN_LANDELIJK = 100


def _universum(waarden: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Codes known per (bron, jaar): in the source's data that year or in the region table of
    that indeling year. Columns ``bron, jaar, code, gemeente, soort`` (soort wijk/buurt/
    gemeente/land from the code prefix)."""
    import pandas as pd

    data = waarden[["bron", "jaar", "code"]].drop_duplicates()
    jaren = data[["bron", "jaar"]].drop_duplicates()
    if not regions.empty:
        rg = regions[["code", "indelingsjaar"]].rename(columns={"indelingsjaar": "jaar"})
        rg = jaren.merge(rg, on="jaar")
        data = pd.concat([data, rg], ignore_index=True).drop_duplicates()
    data["gemeente"] = gemeente_of(data["code"])
    data["soort"] = per_code(data["code"], lambda s: s.str.slice(0, 2).map(
        {"WK": "wijk", "BU": "buurt", "GM": "gemeente", "NL": "land"}))
    data["in_bron"] = data.set_index(["bron", "jaar", "code"]).index.isin(
        waarden.set_index(["bron", "jaar", "code"]).index)
    return data


def _check_namen(reg: pd.DataFrame, regions: pd.DataFrame, meldingen: Meldingen,
                 bevestigd: frozenset[str] = frozenset()) -> None:
    """Report registry codes whose name in a data year differs from their name in the registry's
    indeling year: the same code may denote another area (the code is still used; the note
    names area, year, code and both names)."""
    if regions.empty or reg.empty:
        return
    n = regions[["code", "indelingsjaar", "naam"]].rename(columns={"indelingsjaar": "jaar"})
    n = n[n["code"].isin(reg["code"].unique())].drop_duplicates(["code", "jaar"])
    d = reg[reg["jaar"] != reg["registerjaar"]].merge(n, on=["code", "jaar"])
    d = d.merge(n.rename(columns={"jaar": "registerjaar", "naam": "naam_register"}),
                on=["code", "registerjaar"])
    anders = d[normalise_naam(d["naam"]) != normalise_naam(d["naam_register"])]
    # A name variation of a code the registry states unchanged is not another area.
    anders = anders[~anders["code"].isin(bevestigd)]
    for r in anders.drop_duplicates(["gebied", "jaar", "code"]).itertuples(index=False):
        meldingen.add("andere naam",
                      f"focusgebied '{r.gebied}': code {r.code} heet in {r.jaar} '{r.naam}' maar in "
                      f"registerjaar {r.registerjaar} '{r.naam_register}'; mogelijk een ander gebied",
                      focusgebied=r.gebied, jaar=int(r.jaar))


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
            rj, codes = member_codes(g, int(jaar))
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
                      focusgebied=r.gebied, jaar=int(r.jaar))
    leden_fg = bekend[bekend["_merge"] == "both"][["gebied", "bron", "jaar", "code"]].assign(
        groep="focusgebied")
    bevestigd = frozenset(c for g in gebieden for c in getattr(g, "ongewijzigd", ()))
    _check_namen(reg[["gebied", "jaar", "registerjaar", "code"]].drop_duplicates(), regions,
                 meldingen, bevestigd)

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


def build_dekking_focusgebieden(basis: pd.DataFrame, min_dekking: float) -> pd.DataFrame:
    """Coverage of the reference 'alle focusgebieden' against *all* focus areas.

    Per (indicator, jaar): the inhabitants of the areas with a value (times their own
    ``dekking``) as a share of the inhabitants of all areas in ``basis``. An area's
    inhabitants are its ``inwoners`` value of the nearest year (ties: the later); without any,
    the areas count by number. Where the share is below ``min_dekking`` the reference is set
    to NaN (and so gets no band). Returns ``basis`` with ``focusgebieden`` and
    ``dekking_focusgebieden`` replaced.
    """
    import numpy as np

    b = basis.copy()
    inw = b.loc[(b["indicator"] == "inwoners") & b["waarde"].notna(), ["focusgebied", "jaar", "waarde"]]
    paren = b[["focusgebied", "jaar"]].drop_duplicates()
    k = paren.merge(inw.rename(columns={"jaar": "_j", "waarde": "_inw"}), on="focusgebied")
    if k.empty:
        gewicht = paren.assign(_inw=1.0)
    else:
        k["_afstand"] = (k["jaar"] - k["_j"]).abs()
        k = k.sort_values(["focusgebied", "jaar", "_afstand", "_j"],
                          ascending=[True, True, True, False]).drop_duplicates(["focusgebied", "jaar"])
        gewicht = paren.merge(k[["focusgebied", "jaar", "_inw"]], on=["focusgebied", "jaar"], how="left")
        # An area without any inhabitants figure counts with the mean of the others.
        gewicht["_inw"] = gewicht["_inw"].fillna(gewicht.groupby("jaar")["_inw"].transform("mean"))
        gewicht["_inw"] = gewicht["_inw"].fillna(1.0)
    b = b.merge(gewicht, on=["focusgebied", "jaar"], how="left")
    heeft = b["waarde"].notna()
    b["_gedekt"] = np.where(heeft, b["_inw"] * b["dekking"].fillna(1.0).clip(0, 1), 0.0)
    keys = [b["indicator"], b["jaar"]]
    aandeel = b.groupby(keys)["_gedekt"].transform("sum") / b.groupby(keys)["_inw"].transform("sum")
    b["dekking_focusgebieden"] = aandeel.where(b["focusgebieden"].notna())
    b.loc[aandeel < min_dekking, "focusgebieden"] = np.nan
    return b.drop(columns=["_inw", "_gedekt"])


def build_nulmeting_benadering(basis: pd.DataFrame, gebieden: list,
                               regions: pd.DataFrame) -> pd.Series:
    """Per row of ``basis``: is the comparison with the nulmeting across a change of the area's
    definition -- other registry codes in the two years (Amsterdam: new codes from 2023, old
    ones in 2019) or a recorded boundary change (``indelingswijziging`` 3) of a member code in
    a year after the earlier and up to the later of the two? Then the change is an
    approximation."""
    import pandas as pd

    per = {g.id: g for g in gebieden}
    wijz = set()
    if not regions.empty and "indelingswijziging" in regions:
        r = regions[regions["indelingswijziging"].astype("Float64") == 3]
        wijz = set(zip(r["code"], r["indelingsjaar"].astype(int), strict=True))

    cache: dict[tuple[str, int, int], bool] = {}

    def benadering(gid: str, jaar: int, nj: int) -> bool:
        sleutel = (gid, jaar, nj)
        if sleutel not in cache:
            g = per.get(gid)
            if g is None:
                cache[sleutel] = False
            else:
                a, b = set(member_codes(g, jaar)[1]), set(member_codes(g, nj)[1])
                lo, hi = min(jaar, nj), max(jaar, nj)
                grens = any((c, y) in wijz for c in a | b for y in range(lo + 1, hi + 1))
                cache[sleutel] = a != b or grens
        return cache[sleutel]

    ok = basis["nulmetingjaar"].notna() & (basis["nulmetingjaar"] != basis["jaar"])
    out = pd.Series(False, index=basis.index)
    if not ok.any():
        return out
    out[ok] = [benadering(g, int(j), int(n)) for g, j, n in
               basis.loc[ok, ["focusgebied", "jaar", "nulmetingjaar"]].itertuples(index=False)]
    return out
