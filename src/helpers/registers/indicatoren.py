"""The indicator registry ``params/indicatoren.yml``: load and validate.

One :class:`Indicator` per entry (id, label, thema, soort, bron, eenheid, richting and the
aggregation rule); adding an indicator is one YAML edit. See the header of the YAML file for the
fields and ``docs/verkennen.md`` for the generated list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core import config
from helpers.core.errors import RegistryError
from helpers.core.io import write_text
from helpers.core.yamlfile import parse_yaml

THEMAS = ("leefbaarheid", "armoede en schulden", "re-integratie", "jonge kind",
          "veerkracht en weerbaarheid", "sociale cohesie", "context")
SOORTEN = ("langetermijneffect", "kortetermijnresultaat", "context")
BRONNEN = ("leefbaarometer", "kwb")
RICHTINGEN = ("hoger_beter", "lager_beter", "neutraal")
REFERENTIES = ("gemeente_rest", "gemeente", "focusgebieden", "nederland")
# Aggregation rules from wijk/buurt to area: sum of counts, ratio of two sums, weighted mean.
REGELS = ("som", "ratio", "gewogen_gemiddelde")
BRON_LABEL = {
    "leefbaarometer": "Leefbaarometer 3.0 (BZK)",
    "kwb": "CBS Kerncijfers wijken en buurten",
}


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
    path = Path(path or config.INDICATOREN_YML)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RegistryError(f"indicatorregister niet gevonden: {path}") from exc
    doc = parse_yaml(text, path) or {}
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



def build_basis_telt(ind: Indicator, reg: Registry) -> str:
    """What the base (``basis``) of an indicator counts, in Dutch for tables: the registry's
    ``basis`` text, else the count itself (``som``), else the denominator or weight
    (``inwoners``, ``huishoudens``, ``woningen``)."""
    if ind.basis:
        return ind.basis
    if ind.regel == "som":
        return "het aantal zelf"
    ref = ind.noemer if ind.regel == "ratio" else ind.gewicht
    if not ref:
        return ""
    try:
        label = reg.get(ref).label
    except KeyError:
        label = ref
    label = label.lower()
    return label[len("aantal "):] if label.startswith("aantal ") else label


#: Markers around the generated indicator list in ``docs/verkennen.md``.
DOC_BEGIN = "<!-- indicatoren: begin (gegenereerd uit params/indicatoren.yml) -->"
DOC_END = "<!-- indicatoren: einde -->"


def build_indicator_table(reg: Registry | None = None) -> str:
    """The indicator list for researchers (Dutch markdown table, generated from the registry):
    id, label, theme, unit, direction, what the base counts, source, peiljaar offset and
    whether it is published."""
    reg = reg or load_indicatoren()
    rows = ["| id | indicator | thema | eenheid | richting | basis telt | bron | peiljaar | publiek |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for i in reg:
        peil = "editiejaar" if not i.peiljaar else f"editiejaar {i.peiljaar:+d}"
        cel = [f"`{i.id}`", i.label, i.thema, i.eenheid, i.richting.replace("_", " "),
               build_basis_telt(i, reg) or "–", BRON_LABEL.get(i.bron, i.bron), peil,
               "ja" if i.publiceren else "nee"]
        rows.append("| " + " | ".join(str(c).replace("|", "/") for c in cel) + " |")
    return "\n".join(rows)


def write_indicator_docs(path: Path, reg: Registry | None = None) -> bool:
    """Replace the text between :data:`DOC_BEGIN` and :data:`DOC_END` in ``path`` by
    :func:`build_indicator_table`; returns True when the file changed. Raises ``ValueError``
    when the markers are missing."""
    text = Path(path).read_text(encoding="utf-8")
    if DOC_BEGIN not in text or DOC_END not in text:
        raise ValueError(f"{path}: markeringen {DOC_BEGIN!r} en {DOC_END!r} ontbreken")
    head, rest = text.split(DOC_BEGIN, 1)
    tail = rest.split(DOC_END, 1)[1]
    new = f"{head}{DOC_BEGIN}\n{build_indicator_table(reg)}\n{DOC_END}{tail}"
    if new == text:
        return False
    write_text(path, new)
    return True
