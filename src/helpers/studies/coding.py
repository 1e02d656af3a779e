"""Qualitative coding: the code tree, coded segments, frequencies, co-occurrence, retrieval.

Used by the process evaluation (codes under the six bouwstenen) and by the theme studies
(branches ``werkzame_elementen``, ``knelpunten``, ``ervaren_effecten``, ``effect_domein``).

Code tree
    ``params/codeboom.yml`` (see :func:`load_codeboom`); a code is named by its *path*, the ids
    from the top level down joined with ``/`` (``"bewonersbetrokkenheid/zeggenschap"``).
    A REFI-QDA codebook (``.qdc``, the exchange format of MAXQDA, NVivo and ATLAS.ti) can be
    imported with :func:`qdc_naar_codeboom` (stdlib XML parser; see docs/layouts.md for why
    no third-party library is used).

Coded segments (CSV, layout in docs/layouts.md)
    ``bron, respondent_of_sessie, focusgebied, segment, codes, toestemming, vrijgegeven`` and
    optionally ``thema`` and ``interventie``. ``codes`` holds code paths separated by ``;``.
    :func:`read_segments` validates everything and raises :class:`helpers.core.errors.InputError`
    naming file, line (header = line 1) and column.

Counting rules (documented in docs/aqa/assumptions-caveats.md, "Kwalitatieve codering")
    - A segment counts at most once per code at the level asked for: a segment coded with two
      sub-codes of the same bouwsteen counts once for that bouwsteen.
    - ``respondenten`` counts distinct ``respondent_of_sessie`` values (people or sessions);
      these are the counts of people to which minimum-n suppression applies.

Privacy
    :func:`retrieve` returns only segments with ``toestemming`` AND ``vrijgegeven`` and never the
    ``respondent_of_sessie`` column. No function here returns respondent ids in an aggregate.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config
from helpers.core.errors import InputError, RegistryError
from helpers.ingest.readers.common import parse_flag

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

SEPARATOR = "/"
CODE_SEPARATOR = ";"
VERPLICHTE_KOLOMMEN = ("bron", "respondent_of_sessie", "focusgebied", "segment", "codes",
                       "toestemming", "vrijgegeven")
OPTIONELE_KOLOMMEN = ("thema", "interventie")
THEMA_IDS = ("armoede_schulden", "reintegratie", "veerkracht", "jonge_kind", "sociale_cohesie")
_CODE_RE = re.compile(r"^[a-z0-9_]+$")


# ----------------------------------------------------------------------------- code tree


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
    import yaml

    p = Path(path) if path else config.CODEBOOM_YML
    if p.suffix.lower() == ".qdc":
        return codeboom_uit_dict(qdc_naar_codeboom(p), bron=str(p))
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
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


# ----------------------------------------------------------------------------- segments


def _resolver():
    """Return ``naam -> focusgebied id`` using the area registry's aliases.

    Uses :func:`helpers.registers.focusgebieden.resolve_gebied`; raises ``LookupError``/``ValueError``/
    ``KeyError`` (or a project error) for unknown names, which callers turn into InputError.
    """
    from helpers.registers import focusgebieden as registry

    return registry.resolve_gebied


def _register_index() -> set[tuple[str, str, str]]:
    """(thema, focusgebied id, interventie) of every entry of ``params/interventies.yml``."""
    from helpers.studies.themes.common import load_register

    return {(t, i["focusgebied"], i["interventie"])
            for t, spec in load_register().items() for i in spec["interventies"]}


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel 'CSV (gescheiden door lijstscheidingsteken)' exports are cp1252.
        return raw.decode("cp1252")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_segments(path: str | Path, codeboom: Codeboom | None = None) -> pd.DataFrame:
    """Read and validate a coded-segments CSV (layout: docs/layouts.md).

    Returns one row per segment with columns ``segment_id`` (1-based row number), ``bron``,
    ``respondent_of_sessie``, ``focusgebied`` (registry id, ``<NA>`` when empty), ``segment``,
    ``codes`` (tuple of code paths), ``toestemming``, ``vrijgegeven`` (bool), ``thema`` and
    ``interventie`` (``<NA>`` when absent).

    Accepts UTF-8 (with or without BOM) and cp1252, delimiter ``,`` ``;`` or tab (from the
    header). Raises :class:`InputError` naming file, line and column for: a missing required
    column, an empty file, an empty segment text or code list, an unknown code path, an unknown
    focus-area name, an unknown theme id, a flag that is not ja/nee, or an ``interventie``
    that is not in ``params/interventies.yml`` for the segment's theme and area.
    """
    p = Path(path)
    return parse_segments(_read_text(p), p, codeboom).drop(columns="_regel")


def parse_segments(text: str, path: str | Path, codeboom: Codeboom | None = None,
                   delimiter: str | None = None) -> pd.DataFrame:
    """Parse the decoded text of a coded-segments CSV (see :func:`read_segments`); ``path``
    is used in messages only. Adds the column ``_regel`` (source line, header = 1)."""
    import pandas as pd

    p = Path(path)
    boom = codeboom or load_codeboom()
    if not text.strip():
        raise InputError(p, "het bestand is leeg", line=1, expected="een kopregel met " +
                         ", ".join(VERPLICHTE_KOLOMMEN))
    delim = delimiter or _sniff_delimiter(text.splitlines()[0])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delim)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    for col in VERPLICHTE_KOLOMMEN:
        if col not in header:
            raise InputError(p, f"kolom '{col}' ontbreekt", line=1, column=col,
                             expected=", ".join(VERPLICHTE_KOLOMMEN))
    resolve = _resolver()
    cache: dict[str, str] = {}
    register: set[tuple[str, str, str]] | None = None
    rows = []
    for i, rec in enumerate(reader, start=1):
        line = reader.line_num
        if None in rec:
            raise InputError(p, "meer velden dan kolommen in de kopregel", line=line,
                             expected=f"{len(header)} velden")
        rec = {k: (v or "").strip() for k, v in rec.items()}
        if not rec["segment"]:
            raise InputError(p, "lege segmenttekst", line=line, column="segment",
                             expected="de gecodeerde tekst")
        if not rec["respondent_of_sessie"]:
            raise InputError(p, "lege respondent of sessie", line=line,
                             column="respondent_of_sessie", expected="een (pseudonieme) id")
        codes = tuple(dict.fromkeys(c.strip() for c in rec["codes"].split(CODE_SEPARATOR)
                                    if c.strip()))
        if not codes:
            raise InputError(p, "geen codes", line=line, column="codes",
                             expected="een of meer codepaden gescheiden door ';'")
        for c in codes:
            if c not in boom:
                raise InputError(p, f"onbekende code '{c}'", line=line, column="codes",
                                 expected=f"een codepad uit {boom.bron or 'de codeboom'}")
        naam = rec["focusgebied"]
        gebied: Any = pd.NA
        if naam:
            if naam not in cache:
                try:
                    cache[naam] = resolve(naam)
                except Exception as exc:  # registry raises its own error type
                    raise InputError(p, f"onbekend focusgebied '{naam}'", line=line,
                                     column="focusgebied",
                                     expected="een id of alias uit params/focusgebieden.yml"
                                     ) from exc
            gebied = cache[naam]
        thema: Any = pd.NA
        if rec.get("thema"):
            thema = rec["thema"]
            if thema not in THEMA_IDS:
                raise InputError(p, f"onbekend thema '{thema}'", line=line, column="thema",
                                 expected=", ".join(THEMA_IDS))
        interventie = rec.get("interventie") or ""
        if interventie:
            if register is None:
                register = _register_index()
            if thema is pd.NA or (thema, gebied, interventie) not in register:
                raise InputError(p, f"interventie '{interventie}' staat niet in het "
                                 f"interventieregister voor thema '{rec.get('thema') or ''}' en "
                                 f"focusgebied '{naam}'", line=line, column="interventie",
                                 expected="een interventie uit params/interventies.yml (met thema "
                                 "en focusgebied), of leeg")
        rows.append({
            "segment_id": i,
            "bron": rec["bron"],
            "respondent_of_sessie": rec["respondent_of_sessie"],
            "focusgebied": gebied,
            "segment": rec["segment"],
            "codes": codes,
            "toestemming": parse_flag(rec["toestemming"], p, line, "toestemming"),
            "vrijgegeven": parse_flag(rec["vrijgegeven"], p, line, "vrijgegeven"),
            "thema": thema,
            "interventie": rec.get("interventie") or pd.NA,
            "_regel": line,
        })
    if not rows:
        raise InputError(p, "geen segmenten onder de kopregel", line=2,
                         expected="minstens één gecodeerd segment")
    df = pd.DataFrame(rows)
    for col in ("bron", "respondent_of_sessie", "focusgebied", "segment", "thema", "interventie"):
        df[col] = df[col].astype("string")
    return df


SEGMENTEN_TABEL = "gecodeerde_segmenten"


def load_segments(processed: Path | None = None, codeboom: Codeboom | None = None
                  ) -> pd.DataFrame:
    """The coded segments from ``data/processed/gecodeerde_segmenten.parquet`` (written by
    ingest through :mod:`helpers.ingest.readers.segmenten`), in the shape of :func:`read_segments`
    (``codes`` as tuples, ``segment_id`` 1..n). Codes are re-checked against the current code
    tree (:class:`RegistryError` when the tree lost a code still in use).
    Raises ``FileNotFoundError`` when the table has not been ingested.
    """
    import pandas as pd

    p = config.processed(f"{SEGMENTEN_TABEL}.parquet", processed)
    df = pd.read_parquet(p)
    boom = codeboom or load_codeboom()
    df["codes"] = df["codes"].map(lambda s: tuple(c for c in str(s).split(CODE_SEPARATOR) if c))
    onbekend = sorted({c for cs in df["codes"] for c in cs if c not in boom})
    if onbekend:
        raise RegistryError(f"{p}: codes niet (meer) in de codeboom: {', '.join(onbekend)}")
    df.insert(0, "segment_id", range(1, len(df) + 1))
    for col in ("toestemming", "vrijgegeven"):
        df[col] = df[col].astype(bool)
    return df


def _afkappen(pad: str, niveau: int) -> str:
    return SEPARATOR.join(pad.split(SEPARATOR)[:niveau])


def codes_lang(segments: pd.DataFrame, niveau: int | None = None,
               tak: str | None = None) -> pd.DataFrame:
    """Long table: one row per (segment, code) with the other segment columns.

    ``niveau``: truncate paths to this depth (1 = bouwsteen/branch) and drop duplicates per
    segment; ``None`` keeps full paths. ``tak``: keep only codes under this path (the branch
    itself is kept when ``niveau`` truncates to it). Codes shallower than ``niveau`` keep their
    own path.
    """
    df = segments.explode("codes").rename(columns={"codes": "code"})
    df = df[df["code"].notna()]
    if tak:
        df = df[(df["code"] == tak) | df["code"].str.startswith(tak + SEPARATOR)]
    if niveau is not None:
        df = df.assign(code=df["code"].map(lambda c: _afkappen(c, niveau)))
    df = df.drop_duplicates(subset=["segment_id", "code"])
    return df.reset_index(drop=True)


def code_frequencies(segments: pd.DataFrame, by: Sequence[str] | str | None = None, *,
                     niveau: int = 1, tak: str | None = None,
                     codeboom: Codeboom | None = None) -> pd.DataFrame:
    """Frequencies of codes: segments and distinct respondents/sessions per code.

    ``by``: grouping columns of the segments (e.g. ``"focusgebied"``, ``"thema"``, a group
    column merged in by the caller); ``niveau`` 1 = per bouwsteen / branch, 2 = sub-codes;
    ``tak`` restricts to one branch (e.g. ``"werkzame_elementen"``).

    Returns columns ``[*by, code, label, segmenten, respondenten, aandeel_segmenten]`` where
    ``aandeel_segmenten`` is the % (0-100) of the group's segments coded with the code (base:
    all segments of the group, not only those in ``tak``). Sorted by group then descending
    segment count, ties by tree order. Counts of people (``respondenten``) still need
    minimum-n suppression before publication (:mod:`helpers.core.privacy`).
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by or [])
    boom = codeboom or load_codeboom()
    lang = codes_lang(segments, niveau=niveau, tak=tak)
    keys = [*by, "code"]
    if lang.empty:
        return pd.DataFrame(columns=[*keys, "label", "segmenten", "respondenten",
                                     "aandeel_segmenten"])
    agg = (lang.groupby(keys, dropna=False)
           .agg(segmenten=("segment_id", "nunique"),
                respondenten=("respondent_of_sessie", "nunique"))
           .reset_index())
    if by:
        totaal = segments.groupby(by, dropna=False)["segment_id"].nunique().rename("_totaal")
        agg = agg.merge(totaal.reset_index(), on=by, how="left")
    else:
        agg["_totaal"] = segments["segment_id"].nunique()
    agg["aandeel_segmenten"] = 100.0 * agg["segmenten"] / agg["_totaal"]
    volgorde = {p: i for i, p in enumerate(boom.codes)}
    agg["label"] = agg["code"].map(boom.label)
    agg["_orde"] = agg["code"].map(lambda c: volgorde.get(c, len(volgorde)))
    agg = agg.sort_values([*by, "segmenten", "_orde"],
                          ascending=[True] * len(by) + [False, True])
    return agg[[*keys, "label", "segmenten", "respondenten", "aandeel_segmenten"]].reset_index(drop=True)


def cooccurrence(segments: pd.DataFrame, niveau: int = 1, tak: str | None = None, *,
                 codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Code co-occurrence matrix: cell (a, b) = number of segments coded with both a and b.

    The diagonal holds the number of segments coded with the code itself. Codes at depth
    ``niveau`` (after truncation), optionally limited to branch ``tak`` or to ``codes`` (in
    that order). Square integer DataFrame, index and columns = code paths.
    """
    import pandas as pd

    lang = codes_lang(segments, niveau=niveau, tak=tak)
    if codes is not None:
        order = list(codes)
        lang = lang[lang["code"].isin(order)]
    else:
        order = sorted(lang["code"].unique())
    import numpy as np

    pos = {c: j for j, c in enumerate(order)}
    rij, _ = pd.factorize(lang["segment_id"])
    kol = lang["code"].map(pos).to_numpy()
    ind = np.zeros((int(rij.max()) + 1 if len(rij) else 0, len(order)), dtype=np.int64)
    ind[rij, kol] = 1  # (segment, code) pairs are unique after codes_lang
    mat = ind.T @ ind
    return pd.DataFrame(mat, index=order, columns=order).astype(int)


def heatmap(matrix: pd.DataFrame, *, titel: str, codeboom: Codeboom | None = None,
            xlabel: str = "", ylabel: str = "", cbar_label: str = "aantal segmenten",
            fmt: str = "d", cmap: str = "Blues") -> Any:
    """Heatmap of a (co-occurrence) matrix with Dutch code labels; returns the Figure."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    boom = codeboom or load_codeboom()
    m = matrix.copy()
    m.index = [boom.label(str(i)) for i in m.index]
    m.columns = [boom.label(str(c)) for c in m.columns]
    # room for the cells plus the (long, Dutch) row labels and rotated column labels
    rijlabel = max((len(str(i)) for i in m.index), default=10)
    kollabel = max((len(str(c)) for c in m.columns), default=10)
    w = max(6.0, 0.75 * len(m.columns) + 0.09 * rijlabel + 2.5)
    h = max(4.0, 0.45 * len(m.index) + 0.07 * kollabel + 1.5)
    fig, ax = plt.subplots(figsize=(w, h))
    sns.heatmap(m, annot=True, fmt=fmt, cmap=cmap, linewidths=0.5, ax=ax,
                cbar_kws={"label": cbar_label})
    ax.set_title(titel)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=45)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("right")
    fig.tight_layout()
    return fig


def retrieve(segments: pd.DataFrame, code: str, *, focusgebied: str | None = None,
             thema: str | None = None, subcodes: bool = True,
             max_aantal: int | None = None) -> pd.DataFrame:
    """Segments coded with ``code`` that may be shown: consent AND release given.

    ``subcodes``: also match codes under ``code``. ``focusgebied``: an id, or ``None``/
    ``"alle"`` for all areas. Returns columns ``bron, focusgebied, thema, segment, codes``
    (codes joined with ``; ``) — never ``respondent_of_sessie``.
    """
    mag = segments["toestemming"].astype(bool) & segments["vrijgegeven"].astype(bool)
    df = segments[mag]
    if focusgebied and focusgebied != "alle":
        df = df[df["focusgebied"] == focusgebied]
    if thema:
        df = df[df["thema"] == thema]

    def hit(codes: tuple[str, ...]) -> bool:
        return any(c == code or (subcodes and c.startswith(code + SEPARATOR)) for c in codes)

    df = df[df["codes"].map(hit)]
    out = df.assign(codes=df["codes"].map(lambda cs: "; ".join(cs)))[
        ["bron", "focusgebied", "thema", "segment", "codes"]].reset_index(drop=True)
    return out.head(max_aantal) if max_aantal else out
