"""Tables of the indicator base for readers and notebooks (lookups, formatting, key figures)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers.core import nl
from helpers.kit.display import BAND_KLEUREN
from helpers.registers.focusgebieden import load_focusgebieden
from helpers.registers.indicatoren import load_indicatoren

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

REF_LABEL = {
    "gemeente_rest": "rest van de gemeente",
    "gemeente": "hele gemeente",
    "focusgebieden": "alle focusgebieden",
    "nederland": "Nederland",
}


# ---------------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------------
def gebiedsnamen(gebieden: list | None = None) -> dict[str, str]:
    """Area id -> Dutch name (from the area registry)."""
    if gebieden is None:

        gebieden = load_focusgebieden()
    return {g.id: g.naam for g in gebieden}


def _fmt(x: Any, eenheid: str) -> str:
    if eenheid == "procent":
        return nl.procent(x, 1)
    if eenheid == "aantal":
        return nl.getal(x, 0)
    if eenheid in ("score",):
        return nl.getal(x, 3)
    if eenheid == "afwijking":
        return nl.verschil(x, 3)
    return nl.getal(x, 1)


def _fmt_verschil(x: Any, eenheid: str, teken: bool = True) -> str:
    """A difference in the indicator's unit (percentages in procentpunten)."""
    dec = {"aantal": 0, "procent": 1, "score": 3, "afwijking": 3}.get(eenheid, 1)
    tekst = nl.verschil(x, dec) if teken else nl.getal(abs(x), dec)
    return tekst + (" procentpunt" if eenheid == "procent" else "")


def laatste(basis: pd.DataFrame, alleen_publiceren: bool = True) -> pd.DataFrame:
    """Per area and indicator the latest year with a value (published indicators only)."""
    b = basis[basis["waarde"].notna()]
    if alleen_publiceren and "publiceren" in b:
        b = b[b["publiceren"].astype(bool)]
    b = b.sort_values(["focusgebied", "indicator", "jaar"])
    return b.drop_duplicates(["focusgebied", "indicator"], keep="last").reset_index(drop=True)


def kerncijfers_per_gebied(basis: pd.DataFrame, namen: dict[str, str] | None = None) -> pd.DataFrame:
    """Machine-readable key numbers per area and published indicator (latest year), for the
    factsheets: ``focusgebied, naam, indicator, label, thema, soort, eenheid, richting, jaar
    (the peiljaar: the year the figure refers to), editiejaar (the source edition), waarde,
    gemeente_rest, gemeente, focusgebieden, nederland, referentieniveau,
    band_<ref>, nulmetingjaar, waarde_nulmeting, verschil_nulmeting, vorige_jaar,
    verschil_vorige, dekking, basis, basis_telt (what the base counts), gewichtjaar,
    gewicht_geleend, benadering``."""
    lt = laatste(basis)
    # 'jaar' is the year the figure refers to (peiljaar); 'editiejaar' the source edition.
    if "peiljaar" in lt:
        lt = lt.assign(editiejaar=lt["jaar"], jaar=lt["peiljaar"].fillna(lt["jaar"]).astype(int))
    if namen:
        lt = lt.assign(naam=lt["focusgebied"].map(namen))
    else:
        lt = lt.assign(naam=lt["focusgebied"])
    cols = ["focusgebied", "naam", "indicator", "label", "thema", "soort", "eenheid", "richting",
            "jaar", "editiejaar", "waarde", "gemeente_rest", "gemeente", "focusgebieden",
            "nederland", "referentieniveau", "band_gemeente_rest", "band_gemeente",
            "band_focusgebieden", "band_nederland", "nulmetingjaar", "waarde_nulmeting",
            "verschil_nulmeting", "nulmeting_benadering", "vorige_jaar", "verschil_vorige",
            "dekking", "basis", "basis_telt", "gewichtjaar", "gewicht_geleend", "benadering"]
    return lt[[c for c in cols if c in lt.columns]]


def indicatoren_zonder_waarde(basis: pd.DataFrame,
                              volgorde: list[str] | None = None) -> dict[str, list[str]]:
    """Per area the labels of the published registered indicators without a value in any year
    of this edition, for the sentence "Geen gegevens in deze editie: ...".

    The indicator base holds a row per area, registered indicator and year, with a missing
    ``waarde`` where the edition's files have no figure. An indicator with a suppressed value
    (``onderdrukt``) has data and is not named. ``volgorde``: indicator ids in registry order
    (default: the order of ``params/indicatoren.yml``); areas without such indicators are left
    out."""
    if volgorde is None:
        volgorde = [i.id for i in load_indicatoren()]
    rang = {iid: n for n, iid in enumerate(volgorde)}
    b = basis
    if "publiceren" in b:
        b = b[b["publiceren"].astype(bool)]
    gevuld = b["waarde"].notna()
    if "onderdrukt" in b:
        gevuld = gevuld | b["onderdrukt"].fillna(False).astype(bool)
    heeft = gevuld.groupby([b["focusgebied"], b["indicator"]]).any()
    labels = b.drop_duplicates("indicator").set_index("indicator")["label"]
    uit: dict[str, list[str]] = {}
    for (gid, iid), ja in sorted(heeft.items(), key=lambda kv: (kv[0][0],
                                                                rang.get(kv[0][1], len(rang)))):
        if not ja:
            uit.setdefault(str(gid), []).append(str(labels[iid]))
    return uit


def zin_zonder_waarde(labels: list[str]) -> str:
    """"Geen gegevens in deze editie: A; B; C." ('' without labels; labels are separated by
    semicolons because they may contain commas and "en")."""
    if not labels:
        return ""
    return f"Geen gegevens in deze editie: {'; '.join(labels)}."


def kerntabel(basis: pd.DataFrame, focusgebied: str, referenties: list[str]) -> pd.DataFrame:
    """Headline table of one area: per published indicator the latest value, the references,
    their bands, the change since the nulmeting and the coverage (Dutch formatted strings)."""
    import pandas as pd

    lt = laatste(basis[basis["focusgebied"] == focusgebied])
    rijen = []
    for r in lt.itertuples(index=False):
        # The year the figure refers to (peiljaar); the source edition in its own column.
        peil = getattr(r, "peiljaar", r.jaar)
        rij = {"Indicator": r.label, "Jaar": str(int(peil) if pd.notna(peil) else r.jaar),
               "Bron (editie)": str(r.bron), "Waarde": _fmt(r.waarde, r.eenheid)}
        for ref in referenties:
            rij[REF_LABEL.get(ref, ref).capitalize()] = _fmt(getattr(r, ref), r.eenheid)
            band = getattr(r, f"band_{ref}")
            rij[f"t.o.v. {REF_LABEL.get(ref, ref)}"] = band if isinstance(band, str) else "–"
        nj = r.nulmetingjaar
        benadering = bool(getattr(r, "nulmeting_benadering", False))
        rij["Verschil sinds nulmeting"] = (
            f"{_fmt_verschil(r.verschil_nulmeting, r.eenheid)} (t.o.v. {nj}"
            + (", benadering: andere wijkindeling)" if benadering else ")")
            if pd.notna(nj) and nj != r.jaar else "–")
        rij["Dekking"] = nl.procent(100 * r.dekking, 0)
        telt = getattr(r, "basis_telt", "") or ""
        rij["Basis"] = (f"{nl.getal(r.basis, 0)} ({telt})" if telt else nl.getal(r.basis, 0)) \
            if pd.notna(r.basis) else "–"
        rijen.append(rij)
    return pd.DataFrame(rijen)


def kleur_banden(df: pd.DataFrame) -> Any:
    """pandas Styler colouring the band columns (colour-blind-safe diverging palette)."""

    band_cols = [c for c in df.columns if c.startswith("t.o.v.")]

    def kleur(v: Any) -> str:
        k = BAND_KLEUREN.get(v)
        if not k:
            return ""
        tekst = "#ffffff" if v.startswith("duidelijk") else "#000000"
        return f"background-color: {k}; color: {tekst}"

    return df.style.map(kleur, subset=band_cols).hide(axis="index")
