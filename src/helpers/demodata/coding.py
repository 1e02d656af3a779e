"""Demo coded segments: ``gecodeerde-segmenten-demo.csv`` (fictitious, deterministic, Dutch).

Two parts in one file (layout: docs/layouts.md, "Gecodeerde segmenten"):

- process evaluation: story fragments (``bron = verhaal``) and dialogue-table notes
  (``bron = dialoogtafel``) coded on the sub-codes of the six bouwstenen, from all 20 areas;
- theme studies: interview and focus-group fragments (``bron = interview`` / ``focusgroep``)
  for every intervention in ``params/interventies.yml`` (columns ``thema`` and
  ``interventie``), coded on werkzame elementen, knelpunten, ervaren effecten and the domains
  on which effects were experienced (``effect_domein/...``, incl. other domains than the
  study's own: the meervoudige effecten of the cross-theme chapter).

Every text is assembled from short sentences written for this demo, one per code, so that a
fragment's text matches its codes. Respondent ids are opaque codes (``p0001``, ``i0001``,
``dialoog-01``). Consent and release flags vary so that retrieval filtering is visible.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from helpers.core.io import write_atomic
from helpers.registers.focusgebieden import focusgebied_ids
from helpers.registers.interventies import load_register

BESTAND = "gecodeerde-segmenten-demo.csv"
KOLOMMEN = ["bron", "respondent_of_sessie", "focusgebied", "segment", "codes", "toestemming",
            "vrijgegeven", "thema", "interventie"]

ZINNEN: dict[str, list[str]] = {
    # --- bouwstenen
    "gedeelde_ambitie/probleembesef": [
        "Iedereen aan tafel ziet dezelfde zorgen over geldproblemen in de wijk.",
        "We delen het gevoel dat het in deze buurt echt anders moet.",
    ],
    "gedeelde_ambitie/betrokkenheid": [
        "Ik voel me sterk verbonden met wat we hier samen willen bereiken.",
        "De doelen van het programma gaan me persoonlijk aan.",
    ],
    "gedeelde_ambitie/verkokering_ambitie": [
        "De ambities staan nog te veel los van elkaar per pijler.",
        "Elk thema heeft zijn eigen doel, de samenhang ertussen missen we.",
    ],
    "gedeelde_ambitie/bewoners_bij_ambitie": [
        "Bewoners zaten niet aan tafel toen de plannen werden geschreven.",
        "We hebben de ambitie in gewone taal teruggelegd bij bewoners.",
    ],
    "recht_doen_aan_belangen/inzicht_in_belangen": [
        "We weten eigenlijk nog weinig van wat de andere partijen echt drijft.",
        "Pas na een paar sessies werd duidelijk wat de corporatie nodig heeft.",
    ],
    "recht_doen_aan_belangen/financiele_afhankelijkheid": [
        "Als subsidieontvanger zeg je niet snel dat je het oneens bent.",
        "Onze organisatie is afhankelijk van de gemeente, dat kleurt het gesprek.",
    ],
    "recht_doen_aan_belangen/concurrentie": [
        "Soms merk je dat organisaties elkaars werk als concurrentie zien.",
    ],
    "constructieve_relaties/vertrouwen": [
        "Het vertrouwen tussen de partners is het afgelopen jaar gegroeid.",
        "Ik kan de mensen aan tafel bellen als er iets misgaat.",
    ],
    "constructieve_relaties/gelijkwaardigheid": [
        "Als bewoner voel ik me niet altijd gelijkwaardig in het overleg.",
        "Iedereen krijgt evenveel ruimte om zijn verhaal te doen.",
    ],
    "constructieve_relaties/groepsdynamiek": [
        "Er is een vaste kern die het gesprek bepaalt, nieuwe mensen haken af.",
    ],
    "bewonersbetrokkenheid/zeggenschap": [
        "Bewoners beslissen nu zelf mee over het buurtbudget.",
        "Er wordt over bewoners gepraat in plaats van met hen.",
    ],
    "bewonersbetrokkenheid/inzicht_perspectieven": [
        "Door de werksessies snappen we beter wat bewoners belangrijk vinden.",
    ],
    "bewonersbetrokkenheid/sleutelfiguren": [
        "Via sleutelfiguren bereiken we gezinnen die we anders nooit zien.",
    ],
    "bewonersbetrokkenheid/bereik_bewoners": [
        "Het blijft lastig om jongere bewoners bij het overleg te krijgen.",
    ],
    "professioneel_organiseren/governance": [
        "Het is niet altijd duidelijk welk overleg waarover beslist.",
        "De stuurgroep neemt besluiten, maar de uitvoering hoort het laat.",
    ],
    "professioneel_organiseren/capaciteit_programmabureau": [
        "Het programmabureau is klein en iedereen heeft meerdere petten op.",
    ],
    "professioneel_organiseren/geoormerkt_geld": [
        "Het geld is per thema gelabeld, dat maakt integraal werken lastig.",
    ],
    "professioneel_organiseren/integraal_budget": [
        "Juist rond het integrale budget zoeken partners elkaar op.",
    ],
    "betekenisvol_proces/leiderschap_visie": [
        "De programmadirecteur blijft het grote verhaal goed vertellen.",
    ],
    "betekenisvol_proces/leiderschap_daadkracht": [
        "Er wordt snel geschakeld als er een knoop moet worden doorgehakt.",
    ],
    "betekenisvol_proces/leiderschap_strategisch": [
        "We missen soms het denken over de lange termijn.",
    ],
    "betekenisvol_proces/samen_leren": [
        "Na elke bijeenkomst bespreken we samen wat we anders willen doen.",
        "Er is weinig tijd om stil te staan bij wat wel en niet werkt.",
    ],
    # --- werkzame elementen
    "werkzame_elementen/vertrouwen_nabijheid": [
        "Omdat we elke week in de buurt zijn, durven mensen hun verhaal te doen.",
        "Mensen kennen ons gezicht en weten dat we terugkomen.",
    ],
    "werkzame_elementen/laagdrempelig": [
        "De inloop is om de hoek en je hoeft geen afspraak te maken.",
        "Binnenlopen zonder formulier maakt de stap klein.",
    ],
    "werkzame_elementen/vertrouwde_uitvoerders": [
        "De begeleider is zelf in de wijk opgegroeid, dat opent deuren.",
        "Jongeren komen voor die ene jongerenwerker die ze vertrouwen.",
    ],
    "werkzame_elementen/informele_netwerken": [
        "Via buurvrouwen en de moskee horen we eerder waar het knelt.",
    ],
    "werkzame_elementen/maatwerk_eigen_tempo": [
        "Niemand wordt opgejaagd, iedereen gaat in zijn eigen tempo.",
    ],
    "werkzame_elementen/integrale_ondersteuning": [
        "We kijken tegelijk naar schulden, opvoeding en gezondheid.",
    ],
    "werkzame_elementen/samenwerking_partners": [
        "School, welzijn en wijkagent stemmen wekelijks kort af.",
        "Door de korte lijnen met partners kunnen we snel doorverwijzen.",
    ],
    "werkzame_elementen/aansluiten_leefwereld": [
        "We praten over wat jongeren online meemaken, in hun eigen woorden.",
    ],
    "werkzame_elementen/positieve_insteek": [
        "We beginnen bij wat iemand goed kan en spreken duidelijke regels af.",
    ],
    "werkzame_elementen/talenten_kleine_stappen": [
        "Elke kleine stap wordt gevierd, ook een paar uur vrijwilligerswerk.",
    ],
    "werkzame_elementen/praktische_ondersteuning": [
        "We vullen samen met ouders het aanmeldformulier in.",
    ],
    "werkzame_elementen/outreachend_werken": [
        "Als een gezin niet reageert, gaan we gewoon langs.",
    ],
    "werkzame_elementen/regie_opvolging": [
        "Eén vast team houdt bij wie nog geen plek heeft en belt na.",
    ],
    "werkzame_elementen/kracht_bewoners": [
        "We haken aan bij wat bewoners zelf al organiseren.",
    ],
    "werkzame_elementen/bondgenoten": [
        "De corporatie denkt mee en stelt een ruimte beschikbaar.",
    ],
    # --- knelpunten
    "knelpunten/tijdelijke_financiering": [
        "We weten niet of er volgend jaar nog geld is.",
        "Door de tijdelijke middelen durft niemand vaste afspraken te maken.",
    ],
    "knelpunten/persoonsafhankelijkheid": [
        "Als die ene coördinator wegvalt, valt alles stil.",
    ],
    "knelpunten/capaciteit": [
        "Er zijn te weinig begeleiders om iedereen goed te volgen.",
    ],
    "knelpunten/samenwerking_opstart": [
        "In het begin was onduidelijk wie waarvoor verantwoordelijk was.",
    ],
    "knelpunten/verkokering": [
        "Elke afdeling heeft een eigen potje en eigen regels.",
    ],
    "knelpunten/systeemdruk": [
        "We moeten snel cijfers laten zien, terwijl vertrouwen tijd kost.",
    ],
    "knelpunten/complexe_procedures": [
        "De formulieren zijn voor veel ouders niet te volgen.",
    ],
    "knelpunten/werving_vasthouden": [
        "De jongeren die het hardst nodig hebben, haken het snelst af.",
    ],
    "knelpunten/gegevensdeling": [
        "We mogen gegevens niet delen, dus gezinnen raken uit beeld.",
    ],
    "knelpunten/beleidssturing": [
        "Initiatieven moeten ineens passen in de doelen van de gemeente.",
    ],
    "knelpunten/vergoeding_waardering": [
        "Vrijwilligers doen veel werk zonder passende vergoeding.",
    ],
    "knelpunten/kinderopvang_inkomen": [
        "Zonder opvang voor de kinderen kan een moeder niet meedoen.",
    ],
    # --- ervaren effecten
    "ervaren_effecten/bereik_zicht": [
        "We zien nu mensen die jarenlang buiten beeld waren.",
    ],
    "ervaren_effecten/participatie": [
        "Deelnemers nemen vaker zelf initiatief in de buurt.",
    ],
    "ervaren_effecten/sociale_netwerken": [
        "Mensen kennen elkaar nu en helpen elkaar ook buiten de groep.",
    ],
    "ervaren_effecten/persoonlijke_ontwikkeling": [
        "Je ziet het zelfvertrouwen groeien, ze durven meer.",
    ],
    "ervaren_effecten/signalering": [
        "Zorgen komen eerder op tafel, zodat we sneller kunnen helpen.",
    ],
    "ervaren_effecten/vertrouwen_relaties": [
        "Er is meer vertrouwen in de hulpverleners dan een jaar geleden.",
    ],
    "ervaren_effecten/vervolgstappen": [
        "Een paar deelnemers zijn met een opleiding of stage begonnen.",
    ],
    # --- effect domains
    "effect_domein/armoede_schulden": ["Er komen ook geldzorgen boven, die we nu kunnen aanpakken."],
    "effect_domein/reintegratie": ["Sommigen zetten daarna een stap richting werk."],
    "effect_domein/veerkracht": ["Jongeren staan steviger in hun schoenen."],
    "effect_domein/jonge_kind": ["Ook de kinderen gaan vaker naar de peuteropvang."],
    "effect_domein/sociale_cohesie": ["Bewoners ontmoeten elkaar vaker in de buurt."],
    "effect_domein/leefbaarheid": ["De straat is schoner en er is minder overlast."],
    "effect_domein/gezondheid": ["Mensen geven aan dat ze beter slapen en minder stress hebben."],
    "effect_domein/vertrouwen_instituties": ["De drempel naar hulpverlening is lager geworden."],
}

BOUWSTEEN_CODES = [c for c in ZINNEN if c.split("/")[0] in {
    "gedeelde_ambitie", "recht_doen_aan_belangen", "constructieve_relaties",
    "bewonersbetrokkenheid", "professioneel_organiseren", "betekenisvol_proces"}]

# Per theme: werkzame elementen with weights, knelpunten, and the domains of side effects.
THEMA_PROFIEL: dict[str, dict[str, list[str]]] = {
    "armoede_schulden": {
        "elementen": ["informele_netwerken", "vertrouwen_nabijheid", "laagdrempelig",
                      "vertrouwde_uitvoerders", "samenwerking_partners", "integrale_ondersteuning"],
        "knelpunten": ["tijdelijke_financiering", "vergoeding_waardering", "systeemdruk",
                       "persoonsafhankelijkheid"],
        "effecten": ["bereik_zicht", "vertrouwen_relaties", "signalering", "sociale_netwerken"],
        "domeinen": ["sociale_cohesie", "vertrouwen_instituties", "gezondheid"],
    },
    "reintegratie": {
        "elementen": ["talenten_kleine_stappen", "vertrouwen_nabijheid", "laagdrempelig",
                      "integrale_ondersteuning", "maatwerk_eigen_tempo", "samenwerking_partners"],
        "knelpunten": ["tijdelijke_financiering", "kinderopvang_inkomen", "capaciteit",
                       "systeemdruk"],
        "effecten": ["persoonlijke_ontwikkeling", "vervolgstappen", "sociale_netwerken",
                     "participatie"],
        "domeinen": ["sociale_cohesie", "leefbaarheid", "jonge_kind", "gezondheid"],
    },
    "veerkracht": {
        "elementen": ["vertrouwde_uitvoerders", "positieve_insteek", "laagdrempelig",
                      "vertrouwen_nabijheid", "samenwerking_partners", "aansluiten_leefwereld"],
        "knelpunten": ["werving_vasthouden", "persoonsafhankelijkheid", "samenwerking_opstart",
                       "capaciteit", "tijdelijke_financiering"],
        "effecten": ["persoonlijke_ontwikkeling", "vervolgstappen", "signalering",
                     "sociale_netwerken"],
        "domeinen": ["leefbaarheid", "reintegratie", "sociale_cohesie"],
    },
    "jonge_kind": {
        "elementen": ["outreachend_werken", "praktische_ondersteuning", "regie_opvolging",
                      "vertrouwen_nabijheid", "samenwerking_partners", "laagdrempelig"],
        "knelpunten": ["complexe_procedures", "capaciteit", "gegevensdeling",
                       "tijdelijke_financiering"],
        "effecten": ["bereik_zicht", "signalering", "vertrouwen_relaties"],
        "domeinen": ["sociale_cohesie", "reintegratie"],
    },
    "sociale_cohesie": {
        "elementen": ["kracht_bewoners", "aansluiten_leefwereld", "bondgenoten",
                      "vertrouwen_nabijheid", "laagdrempelig", "samenwerking_partners"],
        "knelpunten": ["persoonsafhankelijkheid", "beleidssturing", "tijdelijke_financiering",
                       "samenwerking_opstart"],
        "effecten": ["participatie", "sociale_netwerken", "vertrouwen_relaties",
                     "persoonlijke_ontwikkeling"],
        "domeinen": ["armoede_schulden", "reintegratie", "veerkracht", "leefbaarheid"],
    },
}
# Respondents (interviewees) per intervention, by phase: deeper study in phase 2.
RESPONDENTEN_FASE = {"x": 7, "deels": 5, "": 3}


def _ja(rng: random.Random, p: float) -> str:
    return "ja" if rng.random() < p else "nee"


def _tekst(rng: random.Random, codes: list[str]) -> str:
    return " ".join(rng.choice(ZINNEN[c]) for c in codes)


def proces_rijen(rng: random.Random, gebieden: list[str]) -> list[dict]:
    """Story fragments and dialogue notes for the process evaluation (bouwsteen codes)."""
    rows = []
    for i in range(1, 121):
        gebied = gebieden[(i * 7) % len(gebieden)]
        codes = rng.sample(BOUWSTEEN_CODES, rng.choice([1, 1, 2, 2, 3]))
        toestemming = _ja(rng, 0.8)
        rows.append({"bron": "verhaal", "respondent_of_sessie": f"p{i:04d}", "focusgebied": gebied,
                     "segment": _tekst(rng, codes), "codes": ";".join(codes),
                     "toestemming": toestemming,
                     "vrijgegeven": _ja(rng, 0.7) if toestemming == "ja" else "nee",
                     "thema": "", "interventie": ""})
    for s, gebied in enumerate(gebieden, start=1):
        for _ in range(3):
            codes = rng.sample(BOUWSTEEN_CODES, rng.choice([1, 2, 3]))
            rows.append({"bron": "dialoogtafel", "respondent_of_sessie": f"dialoog-{s:02d}",
                         "focusgebied": gebied, "segment": _tekst(rng, codes),
                         "codes": ";".join(codes), "toestemming": "ja",
                         "vrijgegeven": _ja(rng, 0.6), "thema": "", "interventie": ""})
    return rows


def thema_rijen(rng: random.Random, register: dict) -> list[dict]:
    """Interview fragments per intervention of the register, coded on the theme branches."""
    rows = []
    nr = 0
    for thema, spec in register.items():
        profiel = THEMA_PROFIEL[thema]
        for item in spec["interventies"]:
            fase = item["fase_2"] or ""
            for _ in range(RESPONDENTEN_FASE[fase]):
                nr += 1
                rid = f"i{nr:04d}"
                for _ in range(rng.choice([1, 2, 2, 3])):
                    gewichten = [len(profiel["elementen"]) - k for k in range(len(profiel["elementen"]))]
                    codes = ["werkzame_elementen/" + rng.choices(profiel["elementen"], gewichten)[0]]
                    if rng.random() < 0.45:
                        codes.append("knelpunten/" + rng.choice(profiel["knelpunten"]))
                    if rng.random() < 0.6:
                        codes.append("ervaren_effecten/" + rng.choice(profiel["effecten"]))
                        codes.append(f"effect_domein/{thema}")
                    if rng.random() < 0.35:
                        codes.append("effect_domein/" + rng.choice(profiel["domeinen"]))
                    codes = list(dict.fromkeys(codes))
                    toestemming = _ja(rng, 0.85)
                    rows.append({
                        "bron": rng.choice(["interview", "interview", "focusgroep"]),
                        "respondent_of_sessie": rid, "focusgebied": item["focusgebied"],
                        "segment": _tekst(rng, codes), "codes": ";".join(codes),
                        "toestemming": toestemming,
                        "vrijgegeven": _ja(rng, 0.75) if toestemming == "ja" else "nee",
                        "thema": thema, "interventie": item["interventie"]})
    return rows


def generate(out: Path, seed: int) -> list[Path]:
    """Write ``gecodeerde-segmenten-demo.csv`` into ``out``; same seed, same bytes."""

    rng = random.Random(f"coding-{seed}")
    rows = proces_rijen(rng, focusgebied_ids()) + thema_rijen(rng, load_register())
    # Same fragment text for the same respondent and source would be a duplicate key: drop.
    seen: set[tuple[str, str, str]] = set()
    uniek = []
    for r in rows:
        key = (r["bron"], r["respondent_of_sessie"], r["segment"])
        if key not in seen:
            seen.add(key)
            uniek.append(r)
    path = out / BESTAND
    def _fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=KOLOMMEN, lineterminator="\n")
            w.writeheader()
            w.writerows(uniek)

    write_atomic(path, _fill)
    return [path]
