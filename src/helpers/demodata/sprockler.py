"""Fictitious Sprockler export ``sprockler-export-demo.csv`` that reproduces the published
figures of the 2025 process evaluation.

How: the published percentages, bases and stated orderings are facts in
``sprockler_doelen.yml`` (next to this module). :func:`solve_counts` turns them into integer
counts per question, group and category with a small integer programme (scipy ``milp``,
HiGHS): every published share must round to the published whole percentage, every stated
ordering must hold, and unpublished cells stay as close as possible to the overall shares.
Respondents then get slider values drawn inside the category's third (never at a cut point),
ordered by a latent attitude so answers correlate across questions. Everything else (areas,
roles, tripole, picture pointer, stories, consent and release flags) is drawn with
``numpy.random.default_rng(seed)``. Same seed, same bytes.

Every row carries the marker column ``wijkmonitor_demodata`` (:data:`DEMO_KOLOM` =
:data:`DEMO_WAARDE`): only an export with that marker is pseudonymised with the public demo
key (:func:`helpers.core.provenance.is_demo_export`); its file name does not count.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers.core.provenance import DEMO_KOLOM, DEMO_WAARDE
from helpers.registers.sprockler import load_mapping

DOELEN_YML = Path(__file__).with_name("sprockler_doelen.yml")
BESTAND = "sprockler-export-demo.csv"
GROEPEN = ("bewoner", "gemeente", "programmabureau", "uitvoerende_organisatie", "onbekend")
CATS = ("negatief", "neutraal", "positief")
EPS = 1e-6
# Slider ranges per category, safely inside the thirds (cut points 33.3 / 66.7).
BEREIK = {"negatief": (0, 30), "neutraal": (37, 63), "positief": (70, 100)}

GEBIED_LABELS = [  # answer options of the questionnaire (bijlage A), resolved via the registry
    "Amsterdam Nieuw-West", "Amsterdam Zuidoost", "Arnhem Oost", "Breda Noord", "Delft West",
    "Den Haag Zuidwest", "Dordrecht West", "Eindhoven Woensel-Zuid", "Groningen Noord",
    "Heerlen Noord", "Leeuwarden Oost", "Lelystad Oost", "Nieuwegein Centrale-As",
    "Roosendaal-stad", "Rotterdam Zuid", "Schiedam Nieuwland-Oost", "Tilburg Noordwest",
    "Utrecht Overvecht", "Vlaardingen West", "Zaandam Oost",
]
BEWONER_GEBIEDEN = ["Rotterdam Zuid", "Den Haag Zuidwest", "Heerlen Noord", "Zaandam Oost"]


def load_doelen(path: Path | None = None) -> dict:
    """The targets file as a dict."""
    import yaml

    return yaml.safe_load((path or DOELEN_YML).read_text(encoding="utf-8"))


def bases(doelen: dict, vragen: list[str]) -> dict[tuple[str, str], dict[str, int]]:
    """Per (vraag, groep): group size, nvt, leeg and the valid base n."""
    out = {}
    for q in vragen:
        for g in GROEPEN:
            miss = ((doelen.get("ontbrekend") or {}).get(q) or {}).get(g) or {}
            tot = int(doelen["groepen"][g])
            nvt, leeg = int(miss.get("nvt", 0)), int(miss.get("leeg", 0))
            out[(q, g)] = {"totaal": tot, "nvt": nvt, "leeg": leeg, "n": tot - nvt - leeg}
    return out


def solve_counts(doelen: dict, vragen: list[str]) -> dict[tuple[str, str], dict[str, int]]:
    """Integer counts per (vraag, groep) and category meeting every published figure.

    Raises ``ValueError`` when the targets are infeasible (a transcription error).
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    b = bases(doelen, vragen)
    idx = {(q, g, k): i for i, (q, g, k) in
           enumerate((q, g, k) for q in vragen for g in GROEPEN for k in CATS)}
    nv = len(idx)
    rows, lo, hi = [], [], []

    def add(coef: dict[int, float], low: float, high: float) -> None:
        r = np.zeros(nv + nv)  # counts + absolute deviations
        for i, c in coef.items():
            r[i] += c
        rows.append(r)
        lo.append(low)
        hi.append(high)

    for q in vragen:
        for g in GROEPEN:
            add({idx[q, g, k]: 1 for k in CATS}, b[q, g]["n"], b[q, g]["n"])
    pub = doelen.get("gepubliceerd") or {}
    for q, per_groep in pub.items():
        for g, cats in per_groep.items():
            for k, p in cats.items():
                groups = GROEPEN if g == "alle" else (g,)
                base = sum(b[q, x]["n"] for x in groups)
                add({idx[q, x, k]: 1 for x in groups},
                    (p - 0.5) / 100 * base, (p + 0.5) / 100 * base - EPS)
    for q, k, high, low in doelen.get("ordeningen") or []:
        add({idx[q, high, k]: 1 / b[q, high]["n"], idx[q, low, k]: -1 / b[q, low]["n"]},
            EPS, np.inf)
    tot = {q: sum(b[q, g]["n"] for g in GROEPEN) for q in vragen}

    def overall(q: str, k: str, sign: float = 1.0) -> dict[int, float]:
        return {idx[q, g, k]: sign / tot[q] for g in GROEPEN}

    top, bottom = doelen.get("meest_positief"), doelen.get("minst_positief")
    for q in vragen:
        if top and q != top:
            add({**overall(top, "positief"), **overall(q, "positief", -1)}, EPS, np.inf)
        if bottom and q != bottom:
            add({**overall(q, "positief"), **overall(bottom, "positief", -1)}, EPS, np.inf)
    for q, pts in (doelen.get("kleine_verschillen") or {}).items():
        for g in GROEPEN[:4]:
            for k in CATS:
                coef = overall(q, k, -1)
                coef[idx[q, g, k]] = coef.get(idx[q, g, k], 0) + 1 / b[q, g]["n"]
                add(coef, -pts / 100, pts / 100)
    weakest = doelen.get("minst_positieve_groep")
    if weakest:
        for g in GROEPEN[:4]:
            if g == weakest:
                continue
            coef: dict[int, float] = {}
            for q in vragen:
                coef[idx[q, g, "positief"]] = 1 / b[q, g]["n"]
                coef[idx[q, weakest, "positief"]] = -1 / b[q, weakest]["n"]
            add(coef, EPS, np.inf)
    # prior shares for the objective: overall published (or assumed) shares
    prior = {}
    for q in vragen:
        shares = dict((doelen.get("aangenomen") or {}).get(q) or {})
        shares.update((pub.get(q) or {}).get("alle") or {})
        missing = [k for k in CATS if k not in shares]
        rest = max(0.0, 100 - sum(shares.values()))
        for k in missing:
            shares[k] = rest / len(missing)
        prior[q] = shares
    for (q, g, k), i in idx.items():  # d_i >= |c_i - target|
        t = prior[q][k] / 100 * b[q, g]["n"]
        add({i: 1, nv + i: -1}, -np.inf, t)
        add({i: 1, nv + i: 1}, t, np.inf)
    ub = np.concatenate([[b[q, g]["n"] for (q, g, _k) in idx], np.full(nv, np.inf)])
    res = milp(c=np.concatenate([np.zeros(nv), np.ones(nv)]),
               constraints=LinearConstraint(np.array(rows), lo, hi),
               integrality=np.concatenate([np.ones(nv), np.zeros(nv)]),
               bounds=Bounds(np.zeros(2 * nv), ub))
    if not res.success:
        raise ValueError(f"doelen van de demodata zijn niet haalbaar: {res.message}")
    x = np.round(res.x[:nv]).astype(int)
    return {(q, g): {**b[q, g], **{k: int(x[idx[q, g, k]]) for k in CATS}}
            for q in vragen for g in GROEPEN}


# --------------------------------------------------------------------------- stories
OPENINGEN = [
    "Tijdens een overleg in het wijkcentrum",
    "Bij de start van een nieuw project in de wijk",
    "Vorig najaar, in een werksessie met partners",
    "Op een doordeweekse ochtend bij de buurtkamer",
    "In de stuurgroep van afgelopen voorjaar",
    "Bij het opstellen van de aanvraag",
    "Tijdens een wandeling door de buurt met collega's",
    "Na een bewonersavond in de bibliotheek",
]
GEBEURTENISSEN = {
    "gedeelde_ambitie": {
        "positief": ["merkten we dat iedereen aan tafel dezelfde stip op de horizon voor ogen had.",
                     "spraken we samen af waar we over vijf jaar willen staan met de jongeren."],
        "negatief": ["bleek dat elke organisatie vooral haar eigen doelen najoeg.",
                     "kwamen we er niet uit wat de ambitie nu concreet betekent voor de straat."],
    },
    "constructieve_relaties": {
        "positief": ["belde de wijkagent de welzijnswerker meteen toen er iets speelde.",
                     "durfden partners eindelijk open te zeggen waar het schuurde."],
        "negatief": ["werd een voorstel van een kleine organisatie gewoon weggewuifd.",
                     "voelde het weer als opdrachtgever tegenover opdrachtnemer."],
    },
    "bewonersbetrokkenheid": {
        "positief": ["schoven bewoners aan bij het maken van het wijkplan en namen zij zelf het woord.",
                     "kreeg een groep moeders budget om zelf een ontmoetingsplek te beginnen."],
        "negatief": ["werden bewoners pas gevraagd toen alles al besloten was.",
                     "kwamen er op de inspraakavond vooral de bekende gezichten."],
    },
    "professioneel_organiseren": {
        "positief": ["lagen de rollen in de nieuwe overlegstructuur eindelijk helder vast.",
                     "kon het programmabureau snel schuiven met het integrale budget."],
        "negatief": ["bleef een besluit weken hangen tussen gemeente en programmabureau.",
                     "veranderde de overlegstructuur alweer, voor de derde keer dit jaar."],
    },
    "betekenisvol_proces": {
        "positief": ["keken we na afloop samen terug op wat wel en niet werkte.",
                     "pasten we het plan halverwege aan op basis van wat we hadden geleerd."],
        "negatief": ["was er geen ruimte om terug te kijken; we moesten door naar het volgende.",
                     "bleef onduidelijk wie de regie had over het geheel."],
    },
}
AFSLUITINGEN = {
    "positief": ["Dat gaf me energie.", "Daar werd ik blij van.", "Zo hoort het te gaan."],
    "negatief": ["Dat vond ik jammer.", "Daar baalde ik van.", "Daar moeten we van leren."],
}
BOUWSTEEN_VRAAG = {"gedeelde_ambitie": "gedeelde_ambitie", "constructieve_relaties": "vertrouwen",
                   "bewonersbetrokkenheid": "bewonersdeelname",
                   "professioneel_organiseren": "organisatorische_inrichting",
                   "betekenisvol_proces": "samen_leren"}
# Two fixed stories for the privacy tests (written for this project):
NAAM_VERHAAL = ("Fatima Yilmaz van het buurthuis aan de Kastanjelaan regelde in een week een "
                "kookavond voor nieuwe buren. Zonder haar was het niet gelukt.")
SCRIPT_VERHAAL = ("We testten de nieuwe website van het programma <script>alert(1)</script> en "
                  "merkten dat bewoners de informatie nu beter vinden.")


def _verhaal(rng, bouwsteen: str, kant: str) -> tuple[str, str]:
    gebeurt = GEBEURTENISSEN[bouwsteen][kant][int(rng.integers(2))]
    tekst = (f"{OPENINGEN[int(rng.integers(len(OPENINGEN)))]} {gebeurt} "
             f"{AFSLUITINGEN[kant][int(rng.integers(3))]}")
    titel = {"positief": "Het lukte samen", "negatief": "Het liep anders"}[kant]
    return titel, tekst


# --------------------------------------------------------------------------- generator
def _slider(rng, cat: str) -> int:
    lo, hi = BEREIK[cat]
    if cat != "neutraal" and rng.random() < 0.12:  # dots pushed to the end of the line
        return hi if cat == "positief" else lo
    return int(rng.integers(lo + (1 if cat == "positief" else 0), hi + 1))


def _tripool(rng, groep: str) -> tuple[float, float, float] | None:
    """(visie, daadkracht, strategisch denken) as proportions; None = blank."""
    if rng.random() < 0.08:
        return None
    if groep == "programmabureau":
        centre = [0.2, 0.65, 0.15] if rng.random() < 0.8 else [0.34, 0.33, 0.33]
    elif groep in ("gemeente", "uitvoerende_organisatie"):
        u = rng.random()
        centre = [0.7, 0.2, 0.1] if u < 0.35 else ([0.25, 0.6, 0.15] if u < 0.65
                                                   else [0.36, 0.34, 0.30])
    else:
        centre = [0.4, 0.4, 0.2]
    if rng.random() < 0.15:  # dot on a corner
        k = max(range(3), key=lambda i: centre[i])
        w = [0.0, 0.0, 0.0]
        w[k] = 1.0
        return tuple(w)
    w = rng.dirichlet([c * 25 for c in centre])
    return tuple(float(round(v, 3)) for v in w[:2]) + (float(round(1 - round(w[0], 3)
                                                                   - round(w[1], 3), 3)),)


def _beeld(rng, groep: str) -> tuple[int, int] | None:
    if rng.random() < 0.05:
        return None
    centres = {"programmabureau": (72, 70), "gemeente": (55, 52),
               "uitvoerende_organisatie": (62, 60), "bewoner": (32, 40), "onbekend": (50, 50)}
    cx, cy = centres[groep]
    x = int(min(100, max(0, rng.normal(cx, 18))))
    y = int(min(100, max(0, rng.normal(cy, 18))))
    return x, y


ORG = {
    "gemeente": ["Gemeente (anders dan programmabureau)"],
    "programmabureau": ["Programmabureau bij de gemeente",
                        "Programmabureau onafhankelijk van de gemeente"],
    "uitvoerende_organisatie": ["Woningcorporatie", "Politie", "Zorgorganisatie",
                                "Welzijnsorganisatie", "Welzijnsorganisatie", "School/onderwijs",
                                "Anders, namelijk:"],
}
ROL = {
    "gemeente": ["Beleid", "Beleid", "Management/projectleiding", "Uitvoering",
                 "Monitoring en onderzoek"],
    "programmabureau": ["Management/projectleiding", "Management/projectleiding", "Beleid",
                        "Uitvoering", "Monitoring en onderzoek"],
    "uitvoerende_organisatie": ["Uitvoering", "Uitvoering", "Management/projectleiding",
                                "Ervaringsdeskundige", "Beleid"],
}
PERIODE = ["Minder dan 3 maanden", "Tussen 3 maanden en 1 jaar", "Tussen 1 en 2 jaar",
           "Langer dan 2 jaar"]


def build_rows(seed: int = 2025, mapping=None, doelen: dict | None = None) -> tuple[list[str],
                                                                                   list[list[str]]]:
    """Header and rows of the demo export (strings), deterministic for ``seed``."""
    import numpy as np


    mapping = mapping or load_mapping()
    doelen = doelen or load_doelen()
    rng = np.random.default_rng(seed)
    vragen = [v.id for v in mapping.bipolen]
    cnt = solve_counts(doelen, vragen)

    # respondents per group with a latent attitude (higher = more positive)
    resp = []
    for g in GROEPEN:
        for _ in range(int(doelen["groepen"][g])):
            resp.append({"groep": g, "z": float(rng.normal())})
    by_group = {g: [r for r in resp if r["groep"] == g] for g in GROEPEN}

    for q in vragen:
        for g in GROEPEN:
            members = by_group[g]
            c = cnt[q, g]
            coupled = g == "bewoner" and q in ("bewonersdeelname", "gedeelde_ambitie")
            noise = 0.0 if coupled else 1.0
            order = sorted(members, key=lambda r: r["z"] + noise * float(rng.normal()))
            missing_n = c["nvt"] + c["leeg"]
            if coupled:  # missing answers among the least positive residents
                missing, valid = order[:missing_n], order[missing_n:]
            else:
                pick = set(rng.choice(len(order), size=missing_n, replace=False).tolist())
                missing = [r for i, r in enumerate(order) if i in pick]
                valid = [r for i, r in enumerate(order) if i not in pick]
            for i, r in enumerate(missing):
                r[q] = "nvt" if i < c["nvt"] else ""
            cats = ["negatief"] * c["negatief"] + ["neutraal"] * c["neutraal"] + \
                ["positief"] * c["positief"]
            for r, cat in zip(valid, cats, strict=True):
                r[q] = str(_slider(rng, cat))
                r[f"{q}_cat"] = cat

    # areas: residents in four areas; the others spread over all twenty
    bew = by_group["bewoner"]
    for i, r in enumerate(bew):
        r["gebied"] = BEWONER_GEBIEDEN[i % len(BEWONER_GEBIEDEN)]
    others = [r for r in resp if r["groep"] != "bewoner"]
    perm = rng.permutation(len(others))
    for j, i in enumerate(perm):
        others[int(i)]["gebied"] = GEBIED_LABELS[j % len(GEBIED_LABELS)]

    for r in resp:
        g = r["groep"]
        if g == "bewoner":
            r["rol"], r["org"] = "Bewoner", ("Burgerinitiatief" if rng.random() < 0.5 else "")
        elif g == "onbekend":
            r["rol"], r["org"] = "Anders, namelijk:", ""
        else:
            r["org"] = ORG[g][int(rng.integers(len(ORG[g])))]
            r["rol"] = ROL[g][int(rng.integers(len(ROL[g])))]
        r["org_anders"] = "stichting in de wijk" if r["org"] == "Anders, namelijk:" else ""
        r["periode"] = PERIODE[int(rng.choice(4, p=[0.08, 0.27, 0.35, 0.30]))]
        r["tripool"] = _tripool(rng, g)
        r["beeld"] = _beeld(rng, g)
    # exactly one outlier at strategisch denken (H7.1), in an uitvoerende organisatie
    uo = by_group[doelen["tripool"]["uitschieter_groep"]]
    uo[int(rng.integers(len(uo)))]["tripool"] = (0.0, 0.0, 1.0)

    # stories, consent and release
    for r in resp:
        # the story is about the bouwsteen the respondent answered most outspokenly
        # (and has the tone the respondent gave it on the 'toon' slider, when not neutral)
        scores = {b: (abs(float(r[q]) - 50), r[f"{q}_cat"]) for b, q in BOUWSTEEN_VRAAG.items()
                  if r.get(f"{q}_cat") in ("positief", "negatief")}
        if r.get("toon_cat") in ("positief", "negatief"):
            scores = {b: v for b, v in scores.items() if v[1] == r["toon_cat"]}
        if scores:
            b = max(sorted(scores), key=lambda k: scores[k][0])
            r["titel"], r["verhaal"] = _verhaal(rng, b, scores[b][1])
        else:
            r["titel"], r["verhaal"] = "Een gewone week", (
                f"{OPENINGEN[int(rng.integers(len(OPENINGEN)))]} ging het zoals altijd: "
                "niet slecht, niet bijzonder.")
        r["toestemming"] = "Ja" if rng.random() < 0.8 else "Nee"
        r["vrijgegeven"] = "Ja" if (r["toestemming"] == "Ja" and rng.random() < 0.7) else "Nee"
    name_r, script_r = by_group["uitvoerende_organisatie"][0], by_group["programmabureau"][0]
    name_r.update(titel="Een kookavond", verhaal=NAAM_VERHAAL, toestemming="Ja",
                  vrijgegeven="Nee")
    script_r.update(titel="Nieuwe website", verhaal=SCRIPT_VERHAAL, toestemming="Ja",
                    vrijgegeven="Ja")

    # ids and row order
    order = rng.permutation(len(resp))
    for nr, i in enumerate(order, 1):
        resp[int(i)]["id"] = f"SPR-2025-{nr:04d}"
        resp[int(i)]["datum"] = f"2025-{3 + (nr * 7) % 4:02d}-{1 + (nr * 11) % 28:02d}"
    resp = [resp[int(i)] for i in order]

    v = mapping.vragen
    lp = v["leiderschap"].spec["kolommen"]
    header = [v["respondent"].spec["kolom"], v["ingevuld_op"].spec["kolom"],
              v["focusgebied"].spec["kolom"], v["verhaal_titel"].spec["kolom"],
              v["verhaal"].spec["kolom"], v["toon"].spec["kolom"],
              v["betrokkenheid"].spec["kolom"], v["gedeelde_ambitie"].spec["kolom"],
              v["vertrouwen"].spec["kolom"], v["gelijkwaardigheid"].spec["kolom"],
              lp["visie"], lp["daadkracht"], lp["strategisch_denken"],
              v["bewonersdeelname"].spec["kolom"], v["bewonersdeelname"].spec["nvt_kolom"],
              v["inzicht_perspectieven"].spec["kolom"],
              v["organisatorische_inrichting"].spec["kolom"], v["samen_leren"].spec["kolom"],
              v["effecten"].spec["kolom"], v["gevoel"].spec["x_kolom"], v["gevoel"].spec["y_kolom"],
              v["rol"].spec["kolom"], v["organisatietype"].spec["kolom"],
              v["organisatietype_anders"].spec["kolom"], v["periode"].spec["kolom"],
              v["toestemming"].spec["kolom"], v["vrijgegeven"].spec["kolom"]]
    rows = []
    for r in resp:
        t = r["tripool"]
        tri = ["", "", ""] if t is None else [f"{w:g}" for w in t]
        bx = ["", ""] if r["beeld"] is None else [str(c) for c in r["beeld"]]
        bd = r["bewonersdeelname"]
        rows.append([r["id"], r["datum"], r["gebied"], r["titel"], r["verhaal"], r["toon"],
                     r["betrokkenheid"], r["gedeelde_ambitie"], r["vertrouwen"],
                     r["gelijkwaardigheid"], *tri, "" if bd == "nvt" else bd,
                     "Niet van toepassing" if bd == "nvt" else "",
                     r["inzicht_perspectieven"], r["organisatorische_inrichting"],
                     r["samen_leren"], r["effecten"], *bx, r["rol"], r["org"], r["org_anders"],
                     r["periode"], r["toestemming"], r["vrijgegeven"], DEMO_WAARDE])
    # the content marker that alone allows the public demo pseudonymisation key
    header.append(DEMO_KOLOM)
    return header, rows


def to_csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ";",
                 encoding: str = "utf-8-sig") -> bytes:
    """CSV bytes as Sprockler's download writes them (quoted where needed, CRLF)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def generate(out: Path, seed: int = 2025) -> list[Path]:
    """Write ``sprockler-export-demo.csv`` into ``out`` and return its path."""
    header, rows = build_rows(seed)
    path = Path(out) / BESTAND
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(to_csv_bytes(header, rows))
    tmp.replace(path)
    return [path]
