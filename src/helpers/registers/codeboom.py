"""The code tree ``params/codeboom.yml`` (qualitative coding): load, validate, import .qdc.

A code is named by its *path*, the ids from the top level down joined with ``/``
(``"bewonersbetrokkenheid/zeggenschap"``). A REFI-QDA codebook (``.qdc``, the exchange format of
MAXQDA, NVivo and ATLAS.ti) can be imported with :func:`qdc_naar_codeboom` (stdlib XML parser;
see docs/layouts.md for why no third-party library is used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.core.errors import InputError, RegistryError
from helpers.core.yamlfile import read_yaml

SEPARATOR = "/"
CODE_SEPARATOR = ";"
_CODE_RE = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Code:
    """One node of the code tree. ``pad``: full path; ``top``: the top-level code id."""

    pad: str
    label: str
    soort: str
    niveau: int

    @property
    def top(self) -> str:
        return self.pad.split(SEPARATOR)[0]


@dataclass
class Codeboom:
    """The code tree: ``codes`` maps every code path to its :class:`Code` (in tree order)."""

    codes: dict[str, Code] = field(default_factory=dict)
    bron: str = ""

    def __contains__(self, pad: str) -> bool:
        return pad in self.codes

    def label(self, pad: str) -> str:
        """Dutch label of a code path (the path itself when unknown)."""
        c = self.codes.get(pad)
        return c.label if c else pad

    def top_level(self, soort: str | None = None) -> list[str]:
        """Top-level code ids in tree order, optionally only of one ``soort``."""
        return [c.pad for c in self.codes.values()
                if c.niveau == 1 and (soort is None or c.soort == soort)]

    def bouwstenen(self) -> list[str]:
        """The six bouwsteen ids in tree order."""
        return self.top_level("bouwsteen")

    def kinderen(self, pad: str) -> list[str]:
        """Direct sub-codes of ``pad`` in tree order."""
        prefix = pad + SEPARATOR
        depth = pad.count(SEPARATOR) + 2
        return [p for p, c in self.codes.items() if p.startswith(prefix) and c.niveau == depth]


def _walk(node: Any, parent: str, niveau: int, soort: str, out: dict[str, Code], bron: str) -> None:
    if not isinstance(node, dict) or "code" not in node or "label" not in node:
        raise RegistryError(f"{bron}: elke code heeft 'code' en 'label' nodig, gevonden: {node!r}")
    extra = set(node) - {"code", "label", "soort", "subcodes"}
    if extra:
        raise RegistryError(f"{bron}: code '{node['code']}' heeft onbekende sleutel(s) "
                            f"{sorted(map(str, extra))} (een komma in een label? zet het label "
                            "tussen aanhalingstekens)")
    cid = str(node["code"])
    if not _CODE_RE.match(cid):
        raise RegistryError(f"{bron}: code-id '{cid}' mag alleen a-z, 0-9 en _ bevatten")
    pad = f"{parent}{SEPARATOR}{cid}" if parent else cid
    if pad in out:
        raise RegistryError(f"{bron}: code '{pad}' komt twee keer voor")
    soort = str(node.get("soort", soort))
    if niveau == 1 and soort not in ("bouwsteen", "thema"):
        raise RegistryError(f"{bron}: code '{pad}' heeft soort '{soort}' (verwacht: bouwsteen of thema)")
    out[pad] = Code(pad=pad, label=str(node["label"]), soort=soort, niveau=niveau)
    for sub in node.get("subcodes") or []:
        _walk(sub, pad, niveau + 1, soort, out, bron)


def codeboom_uit_dict(data: dict, bron: str = "codeboom") -> Codeboom:
    """Build and validate a :class:`Codeboom` from the YAML structure ``{"codes": [...]}``.

    Raises :class:`RegistryError` for missing keys, duplicate paths, bad ids or a tree without
    the six bouwstenen at the top.
    """
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise RegistryError(f"{bron}: verwacht een sleutel 'codes' met een lijst")
    out: dict[str, Code] = {}
    for node in data["codes"]:
        _walk(node, "", 1, "thema", out, bron)
    return Codeboom(codes=out, bron=bron)


def load_codeboom(path: str | Path | None = None) -> Codeboom:
    """Load the code tree (default ``params/codeboom.yml``; a ``.qdc`` file is imported).

    Raises :class:`RegistryError` when the tree is invalid (see :func:`codeboom_uit_dict`).
    """
    p = Path(path) if path else config.CODEBOOM_YML
    if p.suffix.lower() == ".qdc":
        return codeboom_uit_dict(qdc_naar_codeboom(p), bron=str(p))
    data = read_yaml(p, missing="de codeboom")
    return codeboom_uit_dict(data, bron=str(p))


def _slug(name: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    return s or "code"


def qdc_naar_codeboom(path: str | Path) -> dict:
    """Convert a REFI-QDA codebook (``.qdc``, XML, namespace ``urn:QDA-XML:codebook:1.0``)
    into the ``codeboom.yml`` structure (``{"versie": 1, "codes": [...]}``).

    Code names become labels; ids are ASCII slugs of the names (made unique among siblings).
    Top-level codes whose slug is a bouwsteen id of the current tree get ``soort: bouwsteen``,
    all others ``soort: thema``. Raises :class:`InputError` for a file that is not a REFI-QDA
    codebook (not XML, or no ``Codes`` element).
    """
    import xml.etree.ElementTree as ET

    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise InputError(p, f"geen geldig XML-bestand: {exc}", line=getattr(exc, "position", (None,))[0],
                         expected="REFI-QDA codeboek (.qdc)") from exc

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    codes_el = next((el for el in root.iter() if local(el.tag) == "Codes"), None)
    if local(root.tag) != "CodeBook" or codes_el is None:
        raise InputError(p, "geen REFI-QDA codeboek: element 'CodeBook' met 'Codes' ontbreekt",
                         expected="<CodeBook><Codes><Code name=...>")
    bouwsteen_ids = {"gedeelde_ambitie", "recht_doen_aan_belangen", "constructieve_relaties",
                     "bewonersbetrokkenheid", "professioneel_organiseren", "betekenisvol_proces"}

    def convert(el: Any, top: bool) -> dict:
        name = (el.get("name") or "").strip()
        if not name:
            raise InputError(p, "een Code zonder attribuut 'name'", column="name")
        node: dict[str, Any] = {"code": _slug(name), "label": name}
        if top:
            node["soort"] = "bouwsteen" if node["code"] in bouwsteen_ids else "thema"
        subs = [convert(c, False) for c in el if local(c.tag) == "Code"]
        _uniek(subs)
        if subs:
            node["subcodes"] = subs
        return node

    def _uniek(nodes: list[dict]) -> None:
        seen: dict[str, int] = {}
        for n in nodes:
            base = n["code"]
            if base in seen:
                seen[base] += 1
                n["code"] = f"{base}_{seen[base]}"
            else:
                seen[base] = 1

    tops = [convert(c, True) for c in codes_el if local(c.tag) == "Code"]
    _uniek(tops)
    return {"versie": 1, "codes": tops}
