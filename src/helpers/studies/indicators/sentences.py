"""Generated sentences about the indicator base: descriptive, never causal, with caveats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers.core import nl
from helpers.studies.indicators.tables import _fmt, _fmt_verschil, laatste

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# Words that suggest causality; generated sentences must never contain them (checked in tests
# and by the publication guards).
REF_ZIN = {
    "gemeente_rest": "de rest van de gemeente",
    "gemeente": "de hele gemeente",
    "focusgebieden": "alle focusgebieden samen",
    "nederland": "Nederland",
}
CAUSAAL = ("door", "doordat", "dankzij", "vanwege", "leidde tot", "leidt tot", "als gevolg van",
           "effect van", "veroorzaakt", "zorgde voor", "zorgt voor", "resulteerde",
           "te danken aan", "te wijten aan")
SAMENSTELLING = ("Een gebiedsgemiddelde kan ook veranderen wanneer de samenstelling van de "
                 "bevolking verandert, bijvoorbeeld bij verhuizingen, zonder dat de situatie van "
                 "de bewoners zelf verandert.")


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------
def _band_zin(band: Any, ref: str) -> str | None:
    if not isinstance(band, str):
        return None
    wat = REF_ZIN.get(ref, ref)
    if band == "gelijk":
        return f"ongeveer gelijk aan {wat}"
    return f"{band} dan {wat}"


def zin_indicator(rij: Any, naam: str) -> str:
    """A descriptive sentence about one indicator of one area (latest year), with the
    composition caveat for changes. Never causal."""
    import pandas as pd

    e = rij["eenheid"]
    delen = [f"In {naam} was de waarde van '{rij['label']}' in {rij['jaar']} {_fmt(rij['waarde'], e)}"]
    nj = rij.get("nulmetingjaar")
    if pd.notna(nj) and int(nj) != int(rij["jaar"]) and pd.notna(rij.get("verschil_nulmeting")):
        richting = "hoger" if rij["verschil_nulmeting"] > 0 else "lager" \
            if rij["verschil_nulmeting"] < 0 else "gelijk"
        verschil = _fmt_verschil(rij["verschil_nulmeting"], e, teken=False)
        delen.append(f"; dat is {verschil} {richting} dan bij de nulmeting ({int(nj)})"
                     if richting != "gelijk" else f"; dat is gelijk aan de nulmeting ({int(nj)})")
        if bool(rij.get("nulmeting_benadering", False)):
            delen.append(", maar dat verschil is een benadering: de wijkindeling van het gebied "
                         "is sinds de nulmeting gewijzigd")
    zin = "".join(delen) + "."
    banden = [z for z in (_band_zin(rij.get(f"band_{r}"), r) for r in ("gemeente_rest", "nederland")) if z]
    if banden:
        zin += " De waarde ligt " + " en ".join(banden) + "."
    if pd.notna(rij.get("dekking")) and rij["dekking"] < 1:
        zin += f" De cijfers dekken {nl.procent(100 * rij['dekking'], 0)} van de inwoners van het gebied."
    if pd.notna(nj) and int(nj) != int(rij["jaar"]):
        zin += " " + SAMENSTELLING
    return zin


def zinnen(basis: pd.DataFrame, focusgebied: str, naam: str, indicatoren: tuple[str, ...] = ("lbm",)) -> dict[str, str]:
    """Generated sentences per indicator for one area (key ``<indicator>``)."""
    lt = laatste(basis[basis["focusgebied"] == focusgebied])
    out = {}
    for iid in indicatoren:
        r = lt[lt["indicator"] == iid]
        if not r.empty:
            out[iid] = zin_indicator(r.iloc[0], naam)
    return out


def kanttekeningen(basis: pd.DataFrame, focusgebied: str) -> str:
    """Markdown caveats shown next to the figures (composition, prediction, years, weights)."""
    sel = basis if focusgebied == "alle" else basis[basis["focusgebied"] == focusgebied]
    lt = laatste(sel)
    jaren = sorted({int(j) for j in lt["jaar"].unique()}) if not lt.empty else []
    regels = [
        "**Kanttekeningen bij deze cijfers**",
        "",
        f"- *Samenstelling:* {SAMENSTELLING}",
        "- *Leefbaarometer:* de score is een statistische voorspelling van de leefbaarheid op "
        "basis van kenmerken van woningen, bewoners en omgeving; het is geen meting van hoe "
        "bewoners hun wijk ervaren en geen verklaring van verschillen. Scores van wijken met "
        "weinig inwoners zijn onbetrouwbaar.",
        "- *Referentieniveau:* de vaste referentiewaarde van de Leefbaarometer (lbm − afw) is "
        "geen landelijk gemiddelde van dat jaar; 'Nederland' is het naar inwoners gewogen "
        "gemiddelde van alle wijken met een score.",
        "- *Verschillende jaren:* de indicatoren hebben niet allemaal hetzelfde jaar"
        + (f" (hier: {', '.join(map(str, jaren))})" if jaren else "")
        + "; de KWB-jaargang is niet altijd het peiljaar van een variabele.",
    ]
    if "gewicht_geleend" in lt and lt["gewicht_geleend"].any():
        jaren_w = sorted({int(j) for j in lt.loc[lt["gewicht_geleend"], "gewichtjaar"].dropna()})
        regels.append("- *Gewichten:* voor sommige jaren komen de inwonersaantallen (gewichten) uit "
                      f"een andere KWB-jaargang ({', '.join(map(str, jaren_w))}); zie datakwaliteit.md.")
    if "benadering" in lt and lt["benadering"].any():
        regels.append("- *Benaderingen:* " + ", ".join(sorted(lt.loc[lt["benadering"], "label"].unique()))
                      + " zijn benaderd (basis of gewicht niet precies zoals CBS die definieert).")
    return "\n".join(regels)
