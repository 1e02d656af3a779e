"""Reader for coded qualitative segments (layout ``gecodeerde-segmenten-csv``), parser included.

Columns (docs/layouts.md, "Gecodeerde segmenten"): ``bron, respondent_of_sessie, focusgebied,
segment, codes, toestemming, vrijgegeven`` and optionally ``thema``, ``interventie``. ``codes``
holds code paths separated by ``;``. :func:`parse_segments` validates everything (unknown codes,
areas, themes, flags, interventions — file, line and column named). Produces the processed
table ``gecodeerde_segmenten`` with ``codes`` joined by ``;``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core.errors import InputError
from helpers.core.parsing import parse_flag
from helpers.core.schemas import pa, register
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult
from helpers.ingest.readers.common import sniff_delimiter
from helpers.registers.codeboom import CODE_SEPARATOR, Codeboom, load_codeboom
from helpers.registers.focusgebieden import resolve_gebied
from helpers.registers.interventies import THEMAS, load_register

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMAAT = "gecodeerde-segmenten-csv"
TABEL = "gecodeerde_segmenten"
VERPLICHTE_KOLOMMEN = ("bron", "respondent_of_sessie", "focusgebied", "segment", "codes",
                       "toestemming", "vrijgegeven")
OPTIONELE_KOLOMMEN = ("thema", "interventie")
KOLOMMEN = ["bron", "respondent_of_sessie", "focusgebied", "segment", "codes", "toestemming",
            "vrijgegeven", "thema", "interventie"]
THEMA_IDS = tuple(THEMAS)


def _resolver():
    """Return ``naam -> focusgebied id`` using the area registry's aliases.

    Uses :func:`helpers.registers.focusgebieden.resolve_gebied`; raises ``LookupError``/``ValueError``/
    ``KeyError`` (or a project error) for unknown names, which callers turn into InputError.
    """
    return resolve_gebied


def _register_index() -> set[tuple[str, str, str]]:
    """(thema, focusgebied id, interventie) of every entry of ``params/interventies.yml``."""
    return {(t, i["focusgebied"], i["interventie"])
            for t, spec in load_register().items() for i in spec["interventies"]}


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel 'CSV (gescheiden door lijstscheidingsteken)' exports are cp1252.
        return raw.decode("cp1252")


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
    delim = delimiter or sniff_delimiter(text.splitlines()[0])
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


def _register_schema() -> None:

    register(TABEL, pa.DataFrameSchema(
        {
            "bron": pa.Column(str),
            "respondent_of_sessie": pa.Column(str),
            "focusgebied": pa.Column(str, nullable=True),
            "segment": pa.Column(str),
            "codes": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_/;]+$")),
            "toestemming": pa.Column(bool),
            "vrijgegeven": pa.Column(bool),
            "thema": pa.Column(str, nullable=True),
            "interventie": pa.Column(str, nullable=True),
        },
        unique=["bron", "respondent_of_sessie", "segment"],
        strict=True, ordered=True, name=TABEL,
    ))


class _SegmentenReader:
    formaat = FORMAAT
    beschrijving = ("gecodeerde segmenten: kolommen bron, respondent_of_sessie, focusgebied, "
                    "segment, codes, toestemming, vrijgegeven")

    def matches(self, header: Header) -> bool:
        return header.sheet is None and set(VERPLICHTE_KOLOMMEN) <= set(header.columns)

    def read(self, header: Header) -> ReadResult:
        _register_schema()
        data = header.data if header.data is not None else header.path.read_bytes()
        text = data.decode(header.encoding or "utf-8-sig")
        df = parse_segments(text, header.path, delimiter=header.delimiter)
        df = df.assign(codes=df["codes"].map(";".join))
        out = df[[*KOLOMMEN, "_regel"]].rename(columns={"_regel": LINE_COL})
        for col in ("focusgebied", "thema", "interventie"):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
        for col in ("bron", "respondent_of_sessie", "segment"):
            out[col] = out[col].astype(str)
        return ReadResult(tables={TABEL: out}, formaat=self.formaat)


READER = _SegmentenReader()
