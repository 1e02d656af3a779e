"""The readable data-quality report ``datakwaliteit.md`` written by ``wijkmonitor build``.

Sections (Dutch, for researchers): sources used and missing; coverage (``dekking``) per area
and year; borrowed weights; indeling changes met (codes absent in a year, boundary changes);
approximations; suppressed values; invalid source values; wijken flagged for few inhabitants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.core import nl
from helpers.core.provenance import DEMO_LABEL
from helpers.studies.indicators.aggregate import normalise_naam

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from helpers.studies.indicators.model import Resultaat


def _md_tabel(df: pd.DataFrame, max_rijen: int = 60) -> str:
    """A small markdown table (cells are already strings); truncated with a note."""
    if df.empty:
        return "_geen_\n"
    kop = "| " + " | ".join(map(str, df.columns)) + " |"
    lijn = "| " + " | ".join("---" for _ in df.columns) + " |"
    rijen = ["| " + " | ".join("" if v is None else str(v).replace("|", "/") for v in r) + " |"
             for r in df.head(max_rijen).itertuples(index=False)]
    extra = f"\n_... en nog {len(df) - max_rijen} rijen_\n" if len(df) > max_rijen else "\n"
    return "\n".join([kop, lijn, *rijen]) + extra


def dekkingstabel(basis: pd.DataFrame, indicator: str = "lbm") -> pd.DataFrame:
    """Coverage per area (rows) and year (columns) of one indicator, as Dutch percentages
    (``–`` where the area has no value that year)."""
    sel = basis[basis["indicator"] == indicator]
    if sel.empty:
        import pandas as pd

        return pd.DataFrame()
    d = sel.assign(dek=sel["dekking"].where(sel["waarde"].notna()))
    t = d.pivot_table(index="focusgebied", columns="jaar", values="dek", aggfunc="first",
                      dropna=False)
    t = t.reindex(sorted(sel["focusgebied"].unique()))
    t = t.map(lambda x: nl.procent(100 * x, 0))
    t.columns = [str(c) for c in t.columns]
    return t.reset_index()


def rapport(res: Resultaat, ontbrekend: list[str], bronnen: dict) -> str:
    """The markdown text of ``datakwaliteit.md``."""
    import pandas as pd


    b, w, m = res.basis, res.wijken, res.meldingen
    delen = ["# Datakwaliteit indicatorbasis", ""]
    if bronnen.get("demo"):
        delen += [f"**Let op: gebouwd uit {DEMO_LABEL}.**", ""]
    delen += [f"Nulmeting: {res.nulmeting}. Rijen: {len(b)} (focusgebied x indicator x jaar), "
              f"waarvan {int(b['waarde'].notna().sum())} met een waarde.", ""]

    delen += ["## Bronnen", ""]
    bestanden = bronnen.get("bestanden", [])
    if bestanden:
        delen.append(_md_tabel(pd.DataFrame([{
            "bestand": f.get("pad"), "formaat": f.get("formaat"), "jaar": f.get("jaar") or "",
            "rijen": f.get("rijen"), "demo": "ja" if f.get("demo") else "nee"} for f in bestanden])))
    delen += ["### Ontbrekende bronnen en gaten", ""]
    delen += [f"- {r}" for r in ontbrekend] or ["- geen"]
    delen.append("")

    delen += ["## Dekking per focusgebied en jaar", "",
              "Aandeel van de inwoners van het gebied van wie de wijk een waarde (en een gewicht) "
              "heeft. Leefbaarometer-totaalscore:", ""]
    delen.append(_md_tabel(dekkingstabel(b, "lbm"), 40))
    delen += ["Aantal inwoners (KWB):", "", _md_tabel(dekkingstabel(b, "inwoners"), 40)]

    delen += ["## Geleende gewichten", "",
              "De Leefbaarometer wordt gewogen met het aantal inwoners uit de KWB-jaargang met "
              "dezelfde wijkindeling. Ontbreekt die, dan komt het gewicht uit het dichtstbijzijnde "
              "jaar waarin de code hetzelfde gebied aanduidt (zelfde naam, geen grenswijziging). "
              "Bij een geregistreerde grenswijziging is het gewicht een benadering.", ""]
    lbm_w = w[w["bron"] == "leefbaarometer"].drop_duplicates(["code", "jaar"])
    if not lbm_w.empty:
        tel = lbm_w.groupby(["jaar", "gewichtstatus"]).size().unstack(fill_value=0)
        tel.columns = [str(c) for c in tel.columns]
        delen.append("Wijken per meetjaar naar herkomst van het gewicht (heel Nederland):\n")
        delen.append(_md_tabel(tel.reset_index().astype(str)))
    gl = b[b["gewicht_geleend"] & b["waarde"].notna()][
        ["focusgebied", "jaar", "gewichtjaar", "gewichtstatus"]].drop_duplicates()
    delen.append("Focusgebieden met geleende gewichten:\n")
    delen.append(_md_tabel(gl.astype(str)))
    anders = lbm_w[lbm_w["gewichtstatus"] == "ontbreekt"]
    if not anders.empty:
        fg_gm = set(b["gemeentecode"].dropna())
        a = anders[("GM" + anders["code"].str.slice(2, 6)).isin(fg_gm)]
        namen = res.regions.rename(columns={"indelingsjaar": "jaar"})[["code", "jaar", "naam"]]
        a = a[["code", "jaar"]].merge(namen, on=["code", "jaar"], how="left")
        lbm_jaren = set(a["jaar"])
        kwb_naam = (namen[namen["code"].isin(a["code"]) & ~namen["jaar"].isin(lbm_jaren)]
                    .sort_values("jaar").groupby("code")
                    .agg(naam_kwb=("naam", "last"), kwb_jaar=("jaar", "last")))
        a = (a.sort_values("jaar").groupby("code")
             .agg(naam=("naam", "last"), jaren=("jaar", lambda j: ", ".join(map(str, j))))
             .join(kwb_naam).reset_index())

        zelfde = (normalise_naam(a["naam"]) == normalise_naam(a["naam_kwb"])).fillna(False)
        a["reden"] = [
            "code ontbreekt in de KWB" if not isinstance(n, str)
            else (f"0 of onbekend aantal inwoners in KWB {int(j)}" if z
                  else f"andere naam in KWB {int(j)}: {n} (ander gebied)")
            for n, j, z in zip(a["naam_kwb"], a["kwb_jaar"].fillna(0), zelfde, strict=True)]
        delen.append("Wijken in de focusgemeenten zonder bruikbaar gewicht:\n")
        delen.append(_md_tabel(a[["code", "naam", "reden", "jaren"]].astype(str)))

    delen += ["## Indelingswijzigingen", ""]
    codes = m[m["soort"].isin(["codes ontbreken", "andere naam"])][["gebied", "jaar", "tekst"]]
    delen.append("Registercodes die in een jaar niet in de bron voorkomen (het gebied heeft dan "
                 "geen of een onvolledige waarde) of daar een andere naam hebben:\n")
    delen.append(_md_tabel(codes.astype(str)))
    reg = res.regions
    if not reg.empty and "indelingswijziging" in reg:
        fg_gm = set(b["gemeentecode"].dropna())
        gw = reg[(reg["indelingswijziging"].astype("Float64") == 3) & reg["gemeente"].isin(fg_gm)
                 & (reg["soort"] == "wijk")]
        delen.append("Wijken in de focusgemeenten met een grenswijziging (indelingswijziging 3):\n")
        delen.append(_md_tabel(gw[["code", "naam", "indelingsjaar"]].astype(str)))

    delen += ["## Benaderingen", ""]
    ben = b[b["benadering"] & b["waarde"].notna()]
    if not ben.empty:
        t = ben.groupby(["indicator"]).agg(rijen=("waarde", "size")).reset_index()
        basis_txt = b.drop_duplicates("indicator").set_index("indicator")
        t["waarom"] = t["indicator"].map(
            lambda i: "gewicht over grenswijziging geleend"
            if (ben[ben["indicator"] == i]["gewichtstatus"] == "geleend, grenzen gewijzigd").all()
            else "basis benaderd")
        delen.append(_md_tabel(t.astype(str)))
        del basis_txt
    else:
        delen.append("_geen_\n")

    delen += ["## Onderdrukte en ongeldige waarden", ""]
    ond = b[b["onderdrukt"]][["focusgebied", "indicator", "jaar", "reden"]]
    delen.append(_md_tabel(ond.astype(str)))
    ong = m[m["soort"].isin(["ongeldige waarde", "gewicht nul of ontbrekend", "geen landelijke dekking"])]
    delen.append(_md_tabel(ong[["soort", "jaar", "indicator", "tekst"]].astype(str)))

    delen += ["## Wijken met weinig inwoners", "",
              "De Leefbaarometer waarschuwt dat scores van wijken met weinig inwoners onbetrouwbaar "
              "zijn. Ze wegen mee naar hun (kleine) aantal inwoners, maar worden niet apart "
              "vergeleken. In de focusgemeenten:", ""]
    kl = w[w["klein"] & (w["bron"] == "leefbaarometer") & (w["indicator"] == "lbm")]
    fg_gm = set(b["gemeentecode"].dropna())
    kl = kl[("GM" + kl["code"].str.slice(2, 6)).isin(fg_gm)]
    if not kl.empty:
        namen = res.regions.rename(columns={"indelingsjaar": "jaar"})[["code", "jaar", "naam"]]
        kl = kl.merge(namen, on=["code", "jaar"], how="left")
        kl = kl.sort_values(["code", "jaar"]).groupby("code").agg(
            naam=("naam", "last"), inwoners=("inw", "last"),
            jaren=("jaar", lambda s: ", ".join(map(str, s)))).reset_index()
        kl["inwoners"] = kl["inwoners"].map(lambda x: nl.getal(x))
    delen.append(_md_tabel(kl.astype(str) if not kl.empty else kl))
    n_nl = int(w[w["klein"] & (w["indicator"] == "lbm")]["code"].nunique())
    delen.append(f"Landelijk: {n_nl} wijkcodes met minder inwoners dan de drempel.\n")
    return "\n".join(delen) + "\n"
