"""Disclosure audit of an edition: reads every table of the edition together and refuses when
a suppressed cell can be recovered (policy: ``docs/aqa/disclosure-policy.md``).

Called by :func:`helpers.publish.pipeline.render` on the tables of the publication, the
factsheets and the downloads (one set: the factsheets show filtered rows of the same tables,
the downloads every row). Every check returns Dutch problems naming the table and the row;
:func:`helpers.publish.guards.weiger` turns them into one refusal.

Checks (tables whose source is CBS or the Leefbaarometer are outside the audit: CBS publishes
those counts itself):

1. **Small counts**: a shown count of persons (the table's base column and the count columns
   :data:`TELKOLOMMEN`) of 1 to ``min_n - 1``.
2. **Recovery within a table** (rank check, :func:`helpers.core.disclosure.recoverable`):
   rows that share their descriptive columns (e.g. ``vraag``) form a block; in every grouping
   of the block the total row equals the sum of its groups; when the table declares its
   *samenstelling* (the atoms of overlapping groupings, e.g. the survey's reporting group
   derived from role and organisation type) the rows are vectors over those atoms instead.
   A hidden row (``onderdrukt``) that is a linear combination of shown rows is refused.
3. **Area plus rest of the gemeente against the gemeente**: a row hiding the area but showing
   both ``gemeente_rest`` and ``gemeente`` counts.
4. **The same cell across tables**: a cell hidden in one table but shown with the same row
   description (same notebook, same descriptive columns and values, same column) in another.
   Tables of different notebooks describe different statistics (e.g. code frequencies of
   two theme studies) and are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from helpers.core.disclosure import recoverable
from helpers.publish.guards import TECHNISCHE_KOLOMMEN, TOTAAL_LABELS, waarde_kolommen
from helpers.registers import monitor

VERBORGEN = ("primair", "secundair")
TELKOLOMMEN = (
    "n",
    "teller",
    "respondenten",
    "respondenten/sessies",
    "deelnemers",
    "kinderen",
    "personen",
    "aantal_personen",
    "huishoudens",
)
BUITEN_AUDIT = re.compile(r"\b(CBS|Leefbaarometer|Kerncijfers wijken)", re.I)
SAMENSTELLING = "samenstelling"


def _naam(t: dict) -> str:
    return f"{t['notebook']}/{t['naam']}"


def _rij(i: int) -> str:
    return f"rij {i + 2}"  # as a spreadsheet shows it (header = row 1)


def _beschrijving(df: Any, i: int, kolommen: list[str]) -> str:
    delen = [f"{c} '{df.iloc[i][c]}'" for c in kolommen if str(df.iloc[i][c]) not in ("", "nan")]
    return f"{_rij(i)} ({', '.join(delen)})" if delen else _rij(i)


def in_audit(t: dict) -> bool:
    """False for tables whose source is CBS or the Leefbaarometer (published by CBS/BZK)."""
    return not BUITEN_AUDIT.search(str((t.get("meta") or {}).get("bron", "")))


def _tekstkolommen(df: Any) -> list[str]:
    import pandas as pd

    return [
        c
        for c in df.columns
        if c not in TECHNISCHE_KOLOMMEN and not pd.api.types.is_numeric_dtype(df[c])
    ]


def _verborgen(df: Any) -> Any:
    import pandas as pd

    if "onderdrukt" not in df.columns:
        return pd.Series(False, index=df.index)
    return df["onderdrukt"].fillna("").astype(str).isin(VERBORGEN)


def check_small_counts(t: dict, min_n: int) -> list[str]:
    """Shown counts of persons of 1 to ``min_n - 1`` (check 1)."""
    import pandas as pd

    df = t["df"]
    n_kolom = (t.get("meta") or {}).get("n_kolom")
    kolommen = [c for c in df.columns if c == n_kolom or str(c).lower() in TELKOLOMMEN]
    tekst = _tekstkolommen(df)
    out = []
    for c in kolommen:
        v = pd.to_numeric(df[c], errors="coerce")
        for i in [i for i, x in enumerate(v) if x == x and 0 < x < min_n]:
            out.append(
                f"tabel '{_naam(t)}', {_beschrijving(df, i, tekst)}: kolom '{c}' toont "
                f"{int(v.iloc[i])} personen, minder dan het minimum van {min_n}; toon "
                f"'< {min_n}' (helpers.core.privacy)"
            )
    return out


def _groepering(df: Any, tekst: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(group column, grouping columns, block columns) of a table with a total row."""
    groep = (
        "groep"
        if "groep" in df.columns
        else next(
            (
                c
                for c in tekst
                if df[c].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS).any()
            ),
            None,
        )
    )
    if groep is None:
        return None, [], tekst
    is_tot = df[groep].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS)
    rest = [c for c in tekst if c != groep]
    indeling = [
        c
        for c in rest
        if is_tot.any()
        and df.loc[is_tot, c].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS).all()
    ]
    return groep, indeling, [c for c in rest if c not in indeling]


def _cel_stelsel(deel: Any, groep: str, indeling: list[str]) -> Any:
    """Known rows of the cell formulation: unknowns are the block's rows; per grouping the
    relation total - sum(groups) = 0."""
    import numpy as np

    k = len(deel)
    is_tot = deel[groep].astype(str).str.strip().str.lower().isin(TOTAAL_LABELS).to_numpy()
    rel = []
    if is_tot.sum() == 1:
        t = int(np.flatnonzero(is_tot)[0])
        sleutels = (
            deel[indeling].astype(str).agg("|".join, axis=1)
            if indeling
            else deel[groep].astype(str).map(lambda _: "")
        )
        for s in dict.fromkeys(sleutels[~is_tot]):
            r = np.zeros(k)
            r[t] = 1.0
            r[((sleutels == s) & ~is_tot).to_numpy()] = -1.0
            rel.append(r)
    return np.array(rel).reshape(-1, k)


def _atomen(sam: dict, deel: Any, groep: str, blok: dict) -> tuple[Any, Any]:
    """Row vectors over the declared atoms (and the vectors of non-identifying categories)."""
    import numpy as np
    import pandas as pd

    atomen = pd.DataFrame(sam["atomen"], columns=sam["groeperingen"]).astype(str)
    geldig = sam.get("geldig", {}).get(str(blok.get(sam.get("blok", "vraag"), "")))
    if geldig is not None:
        atomen = atomen.iloc[list(geldig)]
    kol = sam.get("groepering", "groepering")
    m = []
    for _, r in deel.iterrows():
        g = str(r[kol])
        m.append(
            np.ones(len(atomen))
            if g.strip().lower() in TOTAAL_LABELS
            else (atomen[g] == str(r[groep])).to_numpy(dtype=float)
        )
    vrij = [
        (atomen[g] == v).to_numpy(dtype=float) for g in atomen.columns for v in sam.get("vrij", [])
    ]
    return np.array(m), np.array([v for v in vrij if v.any()]).reshape(-1, len(atomen))


def check_recovery(t: dict) -> list[str]:
    """Hidden rows that are linear combinations of shown rows of their block (check 2)."""
    import numpy as np

    df = t["df"].reset_index(drop=True)
    verborgen = _verborgen(df)
    if not verborgen.any():
        return []
    tekst = _tekstkolommen(df)
    sam = (t.get("meta") or {}).get(SAMENSTELLING)
    groep, indeling, blokken = _groepering(df, tekst)
    if sam:  # declared atoms: the grouping column is named, blocks are the other columns
        groep = "groep" if "groep" in df.columns else groep
        kol = sam.get("groepering", "groepering")
        blokken = [c for c in tekst if c not in (groep, kol)]
    if groep is None:
        return []
    delen = df.groupby(blokken, sort=False, dropna=False).groups if blokken else {None: df.index}
    out = []
    for sleutel, idx in delen.items():
        deel = df.loc[idx]
        hid = verborgen.loc[idx].to_numpy()
        if not hid.any():
            continue
        blok = dict(
            zip(blokken, sleutel if isinstance(sleutel, tuple) else (sleutel,), strict=False)
        )
        if sam:
            m, vrij = _atomen(sam, deel, groep, blok)
            bekend = m[~hid]
        else:
            m = np.eye(len(deel))
            vrij = np.zeros((0, len(deel)))
            bekend = np.vstack([m[~hid], _cel_stelsel(deel, groep, indeling)])
        doelen = np.flatnonzero(hid)
        for j in recoverable(bekend, m[doelen]) if len(bekend) else []:
            i = doelen[j]
            if any(np.array_equal(m[i], v) for v in vrij):
                continue  # exactly a non-identifying category: discloses nobody
            pos = int(idx[i])
            out.append(
                f"tabel '{_naam(t)}', {_beschrijving(df, pos, tekst)}: de onderdrukte "
                "cel is terug te rekenen uit getoonde cellen van dezelfde tabel (totaal en "
                "groepen, ook over groeperingen heen); onderdruk nog een cel"
            )
    return out


def check_gemeente(t: dict) -> list[str]:
    """A hidden area value with both the rest of the gemeente and the gemeente shown (3)."""
    import pandas as pd

    df = t["df"].reset_index(drop=True)
    if not {"gemeente_rest", "gemeente"} <= set(df.columns):
        return []
    verborgen = _verborgen(df)
    rest = pd.to_numeric(df["gemeente_rest"], errors="coerce")
    gem = pd.to_numeric(df["gemeente"], errors="coerce")
    tekst = _tekstkolommen(df)
    return [
        f"tabel '{_naam(t)}', {_beschrijving(df, i, tekst)}: de onderdrukte waarde van het "
        "gebied volgt uit gemeente min rest van de gemeente; onderdruk ook een van beide"
        for i in range(len(df))
        if verborgen.iloc[i] and rest.iloc[i] == rest.iloc[i] and gem.iloc[i] == gem.iloc[i]
    ]


def _cellen(t: dict) -> Iterable[tuple[tuple, str, bool, int]]:
    """(row description, column, hidden, row) of every result cell of a table."""
    df = t["df"].reset_index(drop=True)
    tekst = _tekstkolommen(df)
    waarden = waarde_kolommen(df, (t.get("meta") or {}).get("n_kolom"))
    verborgen = _verborgen(df)
    for i in range(len(df)):
        sleutel = (t["notebook"], *sorted((c, str(df.iloc[i][c])) for c in tekst))
        for c in waarden:
            v = df.iloc[i][c]
            yield sleutel, c, bool(verborgen.iloc[i]) or v != v, i


def check_across_tables(tabellen: list[dict]) -> list[str]:
    """A cell hidden in one table and shown with the same description in another (check 4)."""
    getoond: dict[tuple, str] = {}
    verborgen: dict[tuple, tuple[str, int]] = {}
    for t in tabellen:
        for sleutel, c, hid, i in _cellen(t):
            if hid and t["df"].iloc[i].get("onderdrukt", "") in VERBORGEN:
                verborgen.setdefault((sleutel, c), (_naam(t), i))
            elif not hid:
                getoond.setdefault((sleutel, c), _naam(t))
    out = []
    for k, (naam, i) in verborgen.items():
        if k in getoond and getoond[k] != naam:
            out.append(
                f"tabel '{naam}', {_rij(i)}: kolom '{k[1]}' is hier onderdrukt maar staat "
                f"met dezelfde rij in tabel '{getoond[k]}'"
            )
    return out


def audit_tables(tabellen: list[dict], min_n: int | None = None) -> list[str]:
    """Every problem of the edition's tables (entries with ``notebook``, ``naam``, ``meta``,
    ``df``, as collected by :func:`helpers.publish.build.build_bronnen`). ``min_n`` from
    ``params/monitor.yml`` by default."""
    grens = monitor.min_n(min_n)
    binnen = [t for t in tabellen if in_audit(t)]
    out: list[str] = []
    for t in binnen:
        out += check_small_counts(t, grens)
        out += check_recovery(t)
        out += check_gemeente(t)
    return out + check_across_tables(binnen)
