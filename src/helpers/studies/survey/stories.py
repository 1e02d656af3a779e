"""Stories: only with the respondent's consent (``toestemming``) AND a researcher's release
(``vrijgegeven``, set after checking the text for names). The import already blanks every other
story; this module filters again (defence in depth) and picks illustrations per bouwsteen.

Selection per bouwsteen: for each bipole of the bouwsteen, the released stories of respondents
whose answer is positief and negatief — and, when the mapping has a ``toon`` bipole, whose
story has that tone too (the respondent's own rating); per side the most outspoken one (highest slider value
for positief, lowest for negatief — the respondent placed the story clearly on that side;
ties: the lexicographically smallest text, so the choice is deterministic). Output never
carries a respondent id or pseudonym.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from helpers.studies.survey.bipoles import classify

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

KOLOMMEN = ["bouwsteen", "vraag", "kant", "titel", "verhaal", "toestemming", "vrijgegeven"]


def released(resp: pd.DataFrame, mapping) -> pd.DataFrame:
    """Respondent rows whose story may be shown (consent and release and non-empty text)."""
    verhaal = mapping.een("verhaal").id
    ok = resp["toestemming"].astype(bool) & resp["vrijgegeven"].astype(bool)
    ok &= resp[verhaal].notna() & (resp[verhaal].astype(str).str.strip() != "")
    return resp[ok]


def select_stories(resp: pd.DataFrame, mapping, per_kant: int = 1) -> pd.DataFrame:
    """Illustrative released stories per bouwsteen (columns :data:`KOLOMMEN`)."""
    import pandas as pd


    vr = mapping.een("verhaal").id
    ti = mapping.een("titel").id if mapping.een("titel") else None
    pool = released(resp, mapping)
    toon = classify(pool["toon"], mapping.negatief_onder, mapping.positief_boven) \
        if "toon" in mapping.vragen and "toon" in pool else None
    rows = []
    for vraag in mapping.bipolen:
        if not vraag.bouwsteen or pool.empty:
            continue
        cat = classify(pool[vraag.id], mapping.negatief_onder, mapping.positief_boven)
        for kant in ("positief", "negatief"):
            side = pool[(cat == kant) & ((toon == kant) if toon is not None else True)]
            if side.empty:
                continue
            sign = -1 if kant == "positief" else 1
            side = side.assign(_d=sign * side[vraag.id], _t=side[vr].astype(str))
            for _, r in side.sort_values(["_d", "_t"]).head(per_kant).iterrows():
                rows.append({"bouwsteen": vraag.bouwsteen, "vraag": vraag.id, "kant": kant,
                             "titel": (r[ti] or "") if ti else "", "verhaal": r[vr],
                             "toestemming": True, "vrijgegeven": True})
    out = pd.DataFrame(rows, columns=KOLOMMEN)
    return out.drop_duplicates(subset=["bouwsteen", "verhaal"]).reset_index(drop=True)


def stories_html(stories: pd.DataFrame) -> str:
    """HTML list of stories with every text HTML-escaped ('' when there are none)."""
    if stories is None or stories.empty:
        return ""
    items = []
    for _, r in stories.iterrows():
        titel = html.escape(str(r.get("titel") or ""))
        tekst = html.escape(str(r["verhaal"]))
        items.append(f"<li><strong>{titel}</strong> ({html.escape(str(r['kant']))}): "
                     f"<em>{tekst}</em></li>")
    return "<ul>" + "".join(items) + "</ul>"
