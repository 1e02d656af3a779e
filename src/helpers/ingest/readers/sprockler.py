"""Reader for Sprockler exports (layout ``sprockler``): CSV or XLSX, one row per respondent,
question texts as headers as named in ``params/sprockler.yml``.

Recognised by its header: the respondent-id column of the mapping plus at least five of its
bipole columns. All validation is :func:`helpers.ingest.readers.sprockler_export.parse_rows` (file, line and
column named). Produces the processed table ``sprockler``: respondent-level and pseudonymised
(keyed HMAC; the raw id is never stored), area ids from the registry, the reporting group,
slider values, tripole weights, picture coordinates, consent and release flags, and story
text **only** for respondents with consent and release (null otherwise). Only an export the
demo-data generator marked as demo in its content (column ``wijkmonitor_demodata``, see
:func:`helpers.core.provenance.is_demo_export`) may use the public demo key; every other file,
whatever its name, needs ``$WIJKMONITOR_PSEUDONIEM_SLEUTEL`` (see :mod:`helpers.core.privacy`).
"""

from __future__ import annotations

from helpers.core.privacy import pseudonym_key
from helpers.core.provenance import is_demo_export
from helpers.core.schemas import pa, register
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult
from helpers.ingest.readers.sprockler_export import (
    parse_rows,
    read_excel_frame,
    read_text,
    respondent_columns,
)
from helpers.registers.sprockler import GROEPEN, load_mapping

FORMAAT = "sprockler"
TABEL = "sprockler"
MIN_BIPOLEN = 5


def schema(mapping=None):
    """The pandera schema of the processed table ``sprockler`` for ``mapping`` (default file)."""

    mapping = mapping or load_mapping()
    cols = {}
    for c, kind in respondent_columns(mapping).items():
        if kind == "str":
            checks = [pa.Check.isin(list(GROEPEN))] if c == "groep" else []
            if c == "respondent":
                checks = [pa.Check.str_matches(r"^p[0-9a-f]{16}$")]
            cols[c] = pa.Column(str, checks)
        elif kind == "float":
            hi = 1.0 if c.startswith(tuple(f"{v.id}_" for v in mapping.van_type("tripool"))) \
                else 100.0
            cols[c] = pa.Column("float64", pa.Check.in_range(0.0, hi), nullable=True)
        elif kind == "bool":
            cols[c] = pa.Column(bool)
        else:
            cols[c] = pa.Column(str, nullable=True)
    return pa.DataFrameSchema(cols, unique=["respondent"], strict=True, ordered=True, name=TABEL)


class _SprocklerReader:
    formaat = FORMAAT
    beschrijving = ("Sprockler-export: kolom 'Respondentnummer' en de vraagteksten uit "
                    "params/sprockler.yml")

    def matches(self, header: Header) -> bool:

        try:
            m = load_mapping()
        except Exception:  # a broken mapping file must not break other formats' detection
            return False
        cols = set(header.columns)
        bipolen = sum(v.spec["kolom"] in cols for v in m.bipolen)
        return m.een("id").spec["kolom"] in cols and bipolen >= MIN_BIPOLEN

    def read(self, header: Header) -> ReadResult:

        m = load_mapping()
        register(TABEL, schema(m))
        if header.frame is not None:
            cols, rows, lines = read_excel_frame(header.frame)
        else:
            data = header.data if header.data is not None else header.path.read_bytes()
            cols, rows, lines = read_text(data, header.path)
        key = pseudonym_key(demo=is_demo_export(cols, rows), bron=header.path)
        df = parse_rows(cols, rows, lines, m, header.path, key)
        df[LINE_COL] = lines
        return ReadResult(tables={TABEL: df}, formaat=self.formaat, jaar=m.jaar,
                          notes=["respondentnummers vervangen door gesleutelde pseudoniemen; "
                                 "verhalen alleen met toestemming en vrijgave"])


READER = _SprocklerReader()
