"""Demo CBS Kerncijfers wijken en buurten (KWB) 2019-2024 and SES-WOA, in the real formats.

Files (names contain ``demo``; the year comes first so the readers find it in the name):

- ``kwb-2019-demo-84583NED-odata.csv``: OData ``TypedDataSet`` dump like the real 84583NED
  file (all 118 keys; ``;``, BOM, LF, every cell quoted, codes padded to 10, names to 40,
  numbers right-aligned to 8, ``.`` for unknown);
- ``kwb-2020-demo-statline.csv``, ``kwb-2022-demo-statline.csv`` and
  ``kwb-2024-demo-statline.csv``: StatLine "CSV met
  statistische symbolen" like the real 85984NED export (``;``, BOM, CRLF, text quoted and padded,
  numbers bare, ``"."`` for unknown), with extra topics under StatLine-style headers
  (:data:`STATLINE`);
- ``kwb-2021-demo.xlsx`` and ``kwb-2023-demo.xlsx``: the yearly
  spreadsheet with sheet ``kwb-YYYY`` and the 121 short column names of the real kwb-2023 file
  (some count columns stored as text, like the real file; ``.`` for unknown);
- ``ses-woa-demo-statline.csv``: SES-WOA scores 2019-2024 with a ``Perioden`` column, like the
  real StatLine export (LF, every cell quoted, numbers right-aligned to 8).

Rows: Nederland (NL00), then per gemeente (alphabetical) the gemeente, each wijk and its
buurten (buurten for the 19 focus municipalities only). The 85 sample municipalities
(national reference) have wijken only. Unmodelled columns are ``.``.

Suppression (``.``), following CBS practice in spirit: income and social-minimum shares for
areas with fewer than 200 inhabitants; household, care and benefit figures for fewer than 50;
dwelling-ownership shares for fewer than 20 dwellings; jeugdzorg where fewer than 50 young
people live, and at random in about 3% of buurten.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from helpers.core.io import write_bytes
from helpers.demodata import wereld
from helpers.demodata.wereld import Regio, round_to
from helpers.demodata.xlsx import write_xlsx as _write

# Canonical variables (kwb.xlsx short names) with their OData 2019 key and StatLine header.
ODATA = {
    "a_inw": "AantalInwoners_5", "a_man": "Mannen_6", "a_vrouw": "Vrouwen_7",
    "a_00_14": "k_0Tot15Jaar_8", "a_15_24": "k_15Tot25Jaar_9", "a_25_44": "k_25Tot45Jaar_10",
    "a_45_64": "k_45Tot65Jaar_11", "a_65_oo": "k_65JaarOfOuder_12",
    "a_hh": "HuishoudensTotaal_28", "g_hhgro": "GemiddeldeHuishoudensgrootte_32",
    "a_woning": "Woningvoorraad_34", "p_koopw": "Koopwoningen_40",
    "p_huurw": "HuurwoningenTotaal_41", "p_wcorpw": "InBezitWoningcorporatie_42",
    "p_ov_hw": "InBezitOverigeVerhuurders_43", "p_e_o_w": "EigendomOnbekend_44",
    "g_ink_pi": "GemiddeldInkomenPerInwoner_72",
    "p_hh_osm": "HuishOnderOfRondSociaalMinimum_79",
    "p_hh_110": "HuishoudensTot110VanSociaalMinimum_80",
    "p_hh_120": "HuishoudensTot120VanSociaalMinimum_81",
    "a_soz_wb": "PersonenPerSoortUitkeringBijstand_83",
    "a_jz_tn": "JongerenMetJeugdzorgInNatura_87", "p_jz_tn": "PercentageJongerenMetJeugdzorg_88",
    "a_wmo_t": "WmoClienten_89", "p_wmo_t": "WmoClientenRelatief_90",
}  # fmt: skip

STATLINE = {
    "a_inw": "Bevolking/Aantal inwoners (aantal)",
    "a_man": "Bevolking/Geslacht/Mannen (aantal)",
    "a_vrouw": "Bevolking/Geslacht/Vrouwen (aantal)",
    "a_00_14": "Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)",
    "a_15_24": "Bevolking/Leeftijdsgroepen/15 tot 25 jaar (aantal)",
    "a_25_44": "Bevolking/Leeftijdsgroepen/25 tot 45 jaar (aantal)",
    "a_45_64": "Bevolking/Leeftijdsgroepen/45 tot 65 jaar (aantal)",
    "a_65_oo": "Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)",
    "a_hh": "Bevolking/Particuliere huishoudens/Huishoudens totaal (aantal)",
    "g_hhgro": "Bevolking/Particuliere huishoudens/Gemiddelde huishoudensgrootte (aantal)",
    "a_woning": "Wonen/Woningvoorraad (aantal)",
    "p_koopw": "Wonen/Eigendom/Koopwoningen (%)",
    "p_huurw": "Wonen/Eigendom/Huurwoningen totaal (%)",
    "p_wcorpw": "Wonen/Eigendom/In bezit woningcorporatie (%)",
    "p_ov_hw": "Wonen/Eigendom/In bezit overige verhuurders (%)",
    "p_e_o_w": "Wonen/Eigendom/Eigendom onbekend (%)",
    "g_ink_pi": "Inkomen/Inkomen van personen/Gemiddeld inkomen per inwoner (x 1 000 euro)",
    "p_hh_osm": "Inkomen/Inkomen van huishoudens/Huishoudens onder of rond sociaal minimum (%)",
    "p_hh_110": "Inkomen/Inkomen van huishoudens/Huishoudens tot 110% van sociaal minimum (%)",
    "p_hh_120": "Inkomen/Inkomen van huishoudens/Huishoudens tot 120% van sociaal minimum (%)",
    "a_soz_wb": "Sociale zekerheid/Personen per soort uitkering/Bijstand (aantal)",
    "a_jz_tn": "Zorg/Jongeren met jeugdzorg in natura (aantal)",
    "p_jz_tn": "Zorg/Percentage jongeren met jeugdzorg (%)",
    "a_wmo_t": "Zorg/Wmo-cliënten (aantal)",
    "p_wmo_t": "Zorg/Wmo-cliënten relatief (per 1 000 inwoners)",
}

VARIABELEN = tuple(ODATA)
DECIMALEN = {"g_hhgro": 1, "g_ink_pi": 1, "p_hh_osm": 1, "p_hh_110": 1, "p_hh_120": 1,
             "p_jz_tn": 1}  # fmt: skip
AFRONDING = {"a_soz_wb": 10}  # wijk/buurt counts otherwise rounded to 5

ODATA_KEYS = [
    "ID",
    "WijkenEnBuurten",
    "Gemeentenaam_1",
    "SoortRegio_2",
    "Codering_3",
    "IndelingswijzigingWijkenEnBuurten_4",
    "AantalInwoners_5",
    "Mannen_6",
    "Vrouwen_7",
    "k_0Tot15Jaar_8",
    "k_15Tot25Jaar_9",
    "k_25Tot45Jaar_10",
    "k_45Tot65Jaar_11",
    "k_65JaarOfOuder_12",
    "Ongehuwd_13",
    "Gehuwd_14",
    "Gescheiden_15",
    "Verweduwd_16",
    "WestersTotaal_17",
    "NietWestersTotaal_18",
    "Marokko_19",
    "NederlandseAntillenEnAruba_20",
    "Suriname_21",
    "Turkije_22",
    "OverigNietWesters_23",
    "GeboorteTotaal_24",
    "GeboorteRelatief_25",
    "SterfteTotaal_26",
    "SterfteRelatief_27",
    "HuishoudensTotaal_28",
    "Eenpersoonshuishoudens_29",
    "HuishoudensZonderKinderen_30",
    "HuishoudensMetKinderen_31",
    "GemiddeldeHuishoudensgrootte_32",
    "Bevolkingsdichtheid_33",
    "Woningvoorraad_34",
    "GemiddeldeWoningwaarde_35",
    "PercentageEengezinswoning_36",
    "PercentageMeergezinswoning_37",
    "PercentageBewoond_38",
    "PercentageOnbewoond_39",
    "Koopwoningen_40",
    "HuurwoningenTotaal_41",
    "InBezitWoningcorporatie_42",
    "InBezitOverigeVerhuurders_43",
    "EigendomOnbekend_44",
    "BouwjaarVoor2000_45",
    "BouwjaarVanaf2000_46",
    "GemiddeldElektriciteitsverbruikTotaal_47",
    "Appartement_48",
    "Tussenwoning_49",
    "Hoekwoning_50",
    "TweeOnderEenKapWoning_51",
    "VrijstaandeWoning_52",
    "Huurwoning_53",
    "EigenWoning_54",
    "GemiddeldAardgasverbruikTotaal_55",
    "Appartement_56",
    "Tussenwoning_57",
    "Hoekwoning_58",
    "TweeOnderEenKapWoning_59",
    "VrijstaandeWoning_60",
    "Huurwoning_61",
    "EigenWoning_62",
    "PercentageWoningenMetStadsverwarming_63",
    "OpleidingsniveauLaag_64",
    "OpleidingsniveauMiddelbaar_65",
    "OpleidingsniveauHoog_66",
    "Nettoarbeidsparticipatie_67",
    "PercentageWerknemers_68",
    "PercentageZelfstandigen_69",
    "AantalInkomensontvangers_70",
    "GemiddeldInkomenPerInkomensontvanger_71",
    "GemiddeldInkomenPerInwoner_72",
    "k_40PersonenMetLaagsteInkomen_73",
    "k_20PersonenMetHoogsteInkomen_74",
    "GemGestandaardiseerdInkomenVanHuish_75",
    "k_40HuishoudensMetLaagsteInkomen_76",
    "k_20HuishoudensMetHoogsteInkomen_77",
    "HuishoudensMetEenLaagInkomen_78",
    "HuishOnderOfRondSociaalMinimum_79",
    "HuishoudensTot110VanSociaalMinimum_80",
    "HuishoudensTot120VanSociaalMinimum_81",
    "MediaanVermogenVanParticuliereHuish_82",
    "PersonenPerSoortUitkeringBijstand_83",
    "PersonenPerSoortUitkeringAO_84",
    "PersonenPerSoortUitkeringWW_85",
    "PersonenPerSoortUitkeringAOW_86",
    "JongerenMetJeugdzorgInNatura_87",
    "PercentageJongerenMetJeugdzorg_88",
    "WmoClienten_89",
    "WmoClientenRelatief_90",
    "BedrijfsvestigingenTotaal_91",
    "ALandbouwBosbouwEnVisserij_92",
    "BFNijverheidEnEnergie_93",
    "GIHandelEnHoreca_94",
    "HJVervoerInformatieEnCommunicatie_95",
    "KLFinancieleDienstenOnroerendGoed_96",
    "MNZakelijkeDienstverlening_97",
    "RUCultuurRecreatieOverigeDiensten_98",
    "PersonenautoSTotaal_99",
    "PersonenautoSBrandstofBenzine_100",
    "PersonenautoSOverigeBrandstof_101",
    "PersonenautoSPerHuishouden_102",
    "PersonenautoSNaarOppervlakte_103",
    "Motorfietsen_104",
    "AfstandTotHuisartsenpraktijk_105",
    "AfstandTotGroteSupermarkt_106",
    "AfstandTotKinderdagverblijf_107",
    "AfstandTotSchool_108",
    "ScholenBinnen3Km_109",
    "OppervlakteTotaal_110",
    "OppervlakteLand_111",
    "OppervlakteWater_112",
    "MeestVoorkomendePostcode_113",
    "Dekkingspercentage_114",
    "MateVanStedelijkheid_115",
    "Omgevingsadressendichtheid_116",
]

XLSX_KEYS = [
    "gwb_code_10",
    "gwb_code_8",
    "regio",
    "gm_naam",
    "recs",
    "gwb_code",
    "ind_wbi",
    "a_inw",
    "a_man",
    "a_vrouw",
    "a_00_14",
    "a_15_24",
    "a_25_44",
    "a_45_64",
    "a_65_oo",
    "a_ongeh",
    "a_gehuwd",
    "a_gesch",
    "a_verwed",
    "a_nl_all",
    "a_eur_al",
    "a_neu_al",
    "a_geb_nl",
    "a_geb_eu",
    "a_geb_ne",
    "a_gbl_eu",
    "a_gbl_ne",
    "a_geb",
    "p_geb",
    "a_ste",
    "p_ste",
    "a_hh",
    "a_1p_hh",
    "a_hh_z_k",
    "a_hh_m_k",
    "g_hhgro",
    "bev_dich",
    "a_woning",
    "g_wozbag",
    "p_1gezw",
    "p_mgezw",
    "p_bewndw",
    "p_leegsw",
    "p_koopw",
    "p_huurw",
    "p_wcorpw",
    "p_ov_hw",
    "p_e_o_w",
    "p_bjj2k",
    "p_bjo2k",
    "g_ele",
    "g_ele_ap",
    "g_ele_tw",
    "g_ele_hw",
    "g_ele_2w",
    "g_ele_vw",
    "g_ele_hu",
    "g_ele_ko",
    "g_gas",
    "g_gas_ap",
    "g_gas_tw",
    "g_gas_hw",
    "g_gas_2w",
    "g_gas_vw",
    "g_gas_hu",
    "g_gas_ko",
    "p_stadsv",
    "a_opl_lg",
    "a_opl_md",
    "a_opl_hg",
    "p_arb_pp",
    "p_arb_wn",
    "p_arb_zs",
    "a_inkont",
    "g_ink_po",
    "g_ink_pi",
    "p_ink_li",
    "p_ink_hi",
    "g_hh_sti",
    "p_hh_li",
    "p_hh_hi",
    "p_hh_lkk",
    "p_hh_osm",
    "p_hh_110",
    "p_hh_120",
    "m_hh_ver",
    "a_soz_wb",
    "a_soz_ao",
    "a_soz_ww",
    "a_soz_ow",
    "a_jz_tn",
    "p_jz_tn",
    "a_wmo_t",
    "p_wmo_t",
    "a_bedv",
    "a_bed_a",
    "a_bed_bf",
    "a_bed_gi",
    "a_bed_hj",
    "a_bed_kl",
    "a_bed_mn",
    "a_bed_oq",
    "a_bed_ru",
    "a_pau",
    "a_bst_b",
    "a_bst_nb",
    "g_pau_hh",
    "g_pau_km",
    "a_m2w",
    "g_afs_hp",
    "g_afs_gs",
    "g_afs_kv",
    "g_afs_sc",
    "g_3km_sc",
    "a_opp_ha",
    "a_lan_ha",
    "a_wat_ha",
    "pst_mvp",
    "pst_dekp",
    "ste_mvs",
    "ste_oad",
]
# Columns the real kwb-2023.xlsx stores as text even when they hold a number.
XLSX_TEXT = {"a_soz_wb", "a_soz_ao", "a_soz_ww", "a_soz_ow", "a_jz_tn", "p_jz_tn", "a_wmo_t",
             "p_wmo_t"}  # fmt: skip

_XLSX_DESC = {"gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code", "ind_wbi"}
STATLINE_DESC = (
    "Wijken en buurten",
    "Regioaanduiding/Gemeentenaam (naam)",
    "Regioaanduiding/Soort regio (omschrijving)",
    "Regioaanduiding/Codering (code)",
    "Regioaanduiding/Indelingswijziging gemeente, wijk, buurt (code)",
)
SOORT_LABEL = {"land": "Land", "gemeente": "Gemeente", "wijk": "Wijk", "buurt": "Buurt"}
FORMATEN = {2019: "odata", 2020: "statline", 2021: "xlsx", 2022: "statline", 2023: "xlsx",
            2024: "statline"}  # fmt: skip
SES_JAREN = (2019, 2020, 2021, 2022, 2023, 2024)


# ---------------------------------------------------------------------------------------------
# The model: raw (unrounded) values per region and year


def _clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def _raw(z: float, pop: float, jaar: int, n: np.ndarray) -> dict[str, float]:
    """Unrounded quantities of an area with deprivation ``z`` and ``pop`` inhabitants.

    ``n``: at least 15 standard normal draws for this area and year.
    """
    n = n.tolist()  # plain floats: much faster arithmetic than numpy scalars
    t = jaar - 2019
    s0 = float(_clip(0.155 + 0.025 * z + 0.012 * n[0], 0.03, 0.32))
    s65 = float(_clip(0.19 - 0.035 * z + 0.02 * n[1], 0.03, 0.45))
    s15 = float(_clip(0.12 + 0.012 * z + 0.01 * n[2], 0.05, 0.3))
    s25 = float(_clip(0.26 + 0.01 * n[3], 0.1, 0.45))
    s45 = max(0.02, 1.0 - s0 - s65 - s15 - s25)
    hhgro = float(_clip(2.1 + 0.06 * z + 0.08 * n[4], 1.2, 3.2))
    hh = pop / hhgro
    osm = float(_clip(6.0 + 4.2 * z + 0.9 * n[5] - 0.15 * t, 0.4, 40.0))
    osm110 = osm * 1.3 + abs(0.5 * n[6])
    koop = float(_clip(52.0 - 16.0 * z + 5.0 * n[7], 2.0, 96.0))
    corp = float(_clip(27.0 + 14.0 * z + 4.0 * n[8], 0.0, 100.0 - koop))
    jong = pop * (s0 + 0.3 * s15)
    return {
        "a_inw": pop,
        "a_man": pop * (0.495 + 0.004 * n[9]),
        "a_00_14": pop * s0, "a_15_24": pop * s15, "a_25_44": pop * s25,
        "a_45_64": pop * s45, "a_65_oo": pop * s65,
        "a_hh": hh,
        "a_woning": hh * (1.03 + 0.015 * abs(n[10])),
        "g_ink_pi": max(12.0, (31.0 - 4.2 * z + 1.3 * n[11]) * 1.035**t),
        "p_hh_osm": osm, "p_hh_110": osm110, "p_hh_120": osm110 * 1.14,
        "p_koopw": koop, "p_wcorpw": corp, "p_ov_hw": 100.0 - koop - corp,
        "a_soz_wb": pop * float(_clip(0.027 + 0.021 * z + 0.004 * n[12], 0.002, 0.16)),
        "jong": jong,
        "a_jz_tn": jong * float(_clip(0.10 + 0.025 * z + 0.01 * n[13], 0.02, 0.3)),
        "a_wmo_t": pop * float(_clip(0.062 + 0.014 * z + 0.12 * (s65 - 0.19)
                                       + 0.005 * n[14], 0.01, 0.25)),
    }  # fmt: skip


COUNTS = ("a_inw", "a_man", "a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo", "a_hh",
          "a_woning", "a_soz_wb", "jong", "a_jz_tn", "a_wmo_t")  # fmt: skip


def _aggregate(raws: list[dict[str, float]]) -> dict[str, float]:
    """Gemeente values from its wijken: counts summed, shares weighted by their base."""
    out = {k: float(sum(r[k] for r in raws)) for k in COUNTS}
    hh, inw, won = out["a_hh"], out["a_inw"], out["a_woning"]
    for k in ("p_hh_osm", "p_hh_110", "p_hh_120"):
        out[k] = sum(r[k] * r["a_hh"] for r in raws) / hh
    out["g_ink_pi"] = sum(r["g_ink_pi"] * r["a_inw"] for r in raws) / inw
    for k in ("p_koopw", "p_wcorpw", "p_ov_hw"):
        out[k] = sum(r[k] * r["a_woning"] for r in raws) / won
    return out


def _finish(raw: dict[str, float], soort: str, u: float) -> dict[str, float | None]:
    """Rounded published values with CBS-like suppression (``None`` = ``.``)."""
    exact = soort in ("land", "gemeente")
    v: dict[str, float | None] = {}
    for k in ("a_inw", "a_man", "a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo", "a_hh"):
        v[k] = int(round(raw[k])) if exact else round_to(raw[k], 5)
    v["a_vrouw"] = (
        int(round(raw["a_inw"] - raw["a_man"]))
        if exact
        else round_to(raw["a_inw"] - raw["a_man"], 5)
    )
    inw = raw["a_inw"]
    v["g_hhgro"] = round(raw["a_inw"] / raw["a_hh"], 1)
    v["a_woning"] = int(round(raw["a_woning"]))
    koop = int(round(raw["p_koopw"]))
    corp = int(round(raw["p_wcorpw"]))
    v["p_koopw"], v["p_huurw"], v["p_wcorpw"] = koop, 100 - koop, corp
    v["p_ov_hw"], v["p_e_o_w"] = max(0, 100 - koop - corp), 0
    v["g_ink_pi"] = round(raw["g_ink_pi"], 1)
    for k in ("p_hh_osm", "p_hh_110", "p_hh_120"):
        v[k] = round(raw[k], 1)
    v["a_soz_wb"] = int(round(raw["a_soz_wb"])) if exact else round_to(raw["a_soz_wb"], 10)
    v["a_jz_tn"] = int(round(raw["a_jz_tn"])) if exact else round_to(raw["a_jz_tn"], 5)
    v["p_jz_tn"] = round(100.0 * raw["a_jz_tn"] / raw["jong"], 1)
    v["a_wmo_t"] = int(round(raw["a_wmo_t"])) if exact else round_to(raw["a_wmo_t"], 5)
    v["p_wmo_t"] = int(round(1000.0 * raw["a_wmo_t"] / inw))
    if not exact:
        if inw < 200:
            for k in ("g_ink_pi", "p_hh_osm", "p_hh_110", "p_hh_120"):
                v[k] = None
        if inw < 50:
            for k in ("g_hhgro", "a_soz_wb", "a_jz_tn", "p_jz_tn", "a_wmo_t", "p_wmo_t"):
                v[k] = None
        if raw["a_woning"] < 20:
            for k in ("p_koopw", "p_huurw", "p_wcorpw", "p_ov_hw", "p_e_o_w"):
                v[k] = None
        secret = soort == "buurt" and u < 0.03
        if raw["jong"] < 50 or secret:
            v["a_jz_tn"] = v["p_jz_tn"] = None
    return v


def _nederland(jaar: int, seed: int) -> dict[str, float]:
    """Fictitious national totals (the Dutch average area, z = 0, about 17.5 million people)."""
    n = wereld.stroom(seed, "NL00").n(jaar)[2:17]
    return _raw(0.0, 17_400_000 * 1.006 ** (jaar - 2019), jaar, n)


@lru_cache(maxsize=8)
def tabel(jaar: int, seed: int) -> list[dict]:
    """All rows of KWB edition ``jaar``: dicts with code, naam, soort, gemeente, gemeentenaam,
    ind and ``waarden`` (canonical short name -> rounded value or ``None``), in file order."""
    wijken = wereld.regios(jaar, "wijk")
    buurten = wereld.regios(jaar, "buurt")
    wijk_by_code = {w.code: w for w in wijken}
    raws: dict[str, dict[str, float]] = {}
    for w in wijken:
        n = wereld.stroom(seed, w.sleutel).n(jaar)[2:17]
        raws[w.code] = _raw(wereld.z_jaar(seed, w, jaar), wereld.inwoners(seed, w, jaar), jaar, n)
    # buurten: split the wijk population by buurt size; deprivation near the wijk's
    by_wijk: dict[str, list[Regio]] = {}
    for b in buurten:
        parent = "WK" + b.code[2:8]
        if parent in wijk_by_code:
            by_wijk.setdefault(parent, []).append(b)
    braws: dict[str, dict[str, float]] = {}
    for parent, bs in by_wijk.items():
        w = wijk_by_code[parent]
        weights = np.array([wereld.latent(seed, b)[1] for b in bs])
        shares = (weights / weights.sum()).tolist()
        zw = wereld.z_jaar(seed, w, jaar)
        for b, share in zip(bs, shares, strict=True):
            zb = zw + _buurt_offset(seed, b)
            n = wereld.stroom(seed, b.sleutel).n(jaar)[2:17]
            braws[b.code] = _raw(zb, raws[parent]["a_inw"] * share, jaar, n)

    rows: list[dict] = []
    nl = _nederland(jaar, seed)
    rows.append(_row("NL00", "Nederland", "land", None, "Nederland", None, nl, 1.0))
    per_gm: dict[str, list[Regio]] = {}
    for w in wijken:
        per_gm.setdefault(w.gemeente, []).append(w)
    for gm in wereld.gemeenten():
        gw = per_gm.get(gm.code, [])
        if not gw:
            continue
        agg = _aggregate([raws[w.code] for w in gw])
        rows.append(_row(gm.code, gm.naam, "gemeente", gm.code, gm.naam, 1, agg, 1.0))
        for w in gw:
            rows.append(_row(w.code, w.naam, "wijk", gm.code, gm.naam, _ind(w, jaar),
                             raws[w.code], 1.0))  # fmt: skip
            for b in by_wijk.get(w.code, []):
                u = float(wereld.stroom(seed, b.sleutel).u(jaar)[0])
                rows.append(_row(b.code, b.naam, "buurt", gm.code, gm.naam, _ind(b, jaar),
                                 braws[b.code], u))  # fmt: skip
    return rows


def _buurt_offset(seed: int, b: Regio) -> float:
    """A buurt's deprivation relative to its wijk."""
    return 0.5 * float(wereld.stroom(seed, b.sleutel).lat_n[3])


def _ind(r: Regio, jaar: int) -> int:
    """Indelingswijziging code: 3 in the first year of a redrawn indeling, else as in 2024."""
    if r.gemeente == "GM0363" and jaar == 2023:
        return 3
    return r.ind if jaar == 2024 else 1


def _row(code, naam, soort, gemeente, gemeentenaam, ind, raw, u) -> dict:
    """One output row; ``u`` is a uniform draw deciding random secrecy of buurt figures."""
    return {"code": code, "naam": naam, "soort": soort, "gemeente": gemeente,
            "gemeentenaam": gemeentenaam, "ind": ind, "waarden": _finish(raw, soort, u)}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Formatting


def _num(v: float | int | None, k: str) -> str | None:
    if v is None:
        return None
    d = DECIMALEN.get(k)
    return f"{v:.{d}f}" if d else str(int(v))


def write_odata(rows: list[dict], path: Path) -> None:
    """OData TypedDataSet dump (84583NED layout)."""
    lines = [";".join(f'"{k}"' for k in ODATA_KEYS)]
    key_of = {v: k for k, v in ODATA.items()}
    for i, r in enumerate(rows):
        cells = []
        for key in ODATA_KEYS:
            if key == "ID":
                cells.append(str(i))
            elif key in ("WijkenEnBuurten", "Codering_3"):
                cells.append(f"{r['code']:<10}")
            elif key == "Gemeentenaam_1":
                cells.append(f"{r['gemeentenaam']:<40}")
            elif key == "SoortRegio_2":
                cells.append(f"{SOORT_LABEL[r['soort']]:<10}")
            elif key == "IndelingswijzigingWijkenEnBuurten_4":
                cells.append("." if r["soort"] in ("land", "gemeente") else str(r["ind"]))
            elif key == "MeestVoorkomendePostcode_113":
                cells.append(f"{'.':>10}")
            else:
                canon = key_of.get(key)
                text = _num(r["waarden"][canon], canon) if canon else None
                cells.append(f"{text if text is not None else '.':>8}")
        lines.append(";".join(f'"{c}"' for c in cells))
    _write_text(path, "\n".join(lines) + "\n")


def write_statline(rows: list[dict], path: Path) -> None:
    """StatLine 'CSV met statistische symbolen' (85984NED layout) with extra topics."""
    header = list(STATLINE_DESC) + [STATLINE[k] for k in VARIABELEN]
    lines = [";".join(f'"{h}"' for h in header)]
    for r in rows:
        ind = "." if r["soort"] == "land" else str(r["ind"])
        cells = [
            _q(r["naam"]),
            _q(f"{r['gemeentenaam']:<40}"),
            _q(f"{SOORT_LABEL[r['soort']]:<10}"),
            _q(f"{r['code']:<10}"),
            _q(ind),
        ]
        for k in VARIABELEN:
            text = _num(r["waarden"][k], k)
            cells.append(text if text is not None else '"."')
        lines.append(";".join(cells))
    _write_text(path, "\r\n".join(lines) + "\r\n")


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_xlsx(rows: list[dict], path: Path, jaar: int) -> None:
    """kwb-YYYY.xlsx with sheet ``kwb-YYYY``; fixed document properties (same bytes per run)."""

    kinds = [("d" if k in _XLSX_DESC else "t" if k in XLSX_TEXT else "v", k) for k in XLSX_KEYS]

    def cells(r: dict) -> list:
        code = r["code"]
        desc = {
            "gwb_code_10": code, "gwb_code_8": code[2:], "regio": r["naam"],
            "gm_naam": r["gemeentenaam"], "recs": SOORT_LABEL[r["soort"]], "gwb_code": code,
            "ind_wbi": "." if r["soort"] == "land" else r["ind"],
        }  # fmt: skip
        w = r["waarden"]
        out = []
        for kind, k in kinds:
            if kind == "d":
                out.append(desc[k])
                continue
            v = w.get(k)
            if v is None:
                out.append(".")
            elif kind == "t":
                out.append(_num(v, k))
            else:
                out.append(v)
        return out

    _write(path, f"kwb-{jaar}", XLSX_KEYS, (cells(r) for r in rows),
           title=f"Kerncijfers wijken en buurten {jaar} (fictieve demonstratiedata)",
           widths={0: 15.1, 1: 14.1, 2: 41.7, 3: 13.9})  # fmt: skip


def _write_text(path: Path, text: str) -> None:
    write_bytes(path, b"\xef\xbb\xbf" + text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# SES-WOA


SES_HEADER = (
    "Perioden",
    "Wijken en buurten",
    "Regiocode (gemeente, wijk, buurt) (code)",
    "Particuliere huishoudens (Aantal)",
    "Opleidingsniveau/Laag/Waarde (%)",
    "Opleidingsniveau/Middelbaar/Waarde (%)",
    "Opleidingsniveau/Hoog/Waarde (%)",
    "SES-WOA/Totaalscore/Gemiddelde score (Getal)",
    "Spreiding/Spreiding totaal/Waarde (Getal)",
)


def _ses_values(z: float, hh: float, n: np.ndarray) -> list[float]:
    n = n.tolist()
    laag = float(_clip(22.0 + 9.0 * z + 3.0 * n[0], 3.0, 70.0))
    hoog = float(_clip(40.0 - 12.0 * z + 4.0 * n[1], 5.0, 85.0 - laag))
    score = -0.32 * z + 0.08 * n[2]
    spread = 0.9 + 0.05 * abs(z) + 0.05 * n[3]
    return [hh, laag, 100.0 - laag - hoog, hoog, score, spread]


def write_ses(path: Path, seed: int) -> None:
    """SES-WOA StatLine export, periods 2019-2024, demo gemeenten with wijken and buurten."""
    lines = [";".join(f'"{h}"' for h in SES_HEADER)]
    for jaar in SES_JAREN:
        rows = tabel(jaar, seed)
        zs = _ses_z(jaar, seed)
        regio = {x.code: x for x in wereld.regios(jaar)}
        vals: dict[str, list[float]] = {}
        for r in rows:
            if r["soort"] in ("wijk", "buurt"):
                hh = r["waarden"]["a_hh"] or 0
                n = wereld.stroom(seed, regio[r["code"]].sleutel).n(jaar)[17:21]
                vals[r["code"]] = _ses_values(zs[r["code"]], hh, n)
        for r in rows:
            if r["soort"] == "land":
                v = _ses_values(
                    0.0, r["waarden"]["a_hh"], wereld.stroom(seed, "NL00").n(jaar)[17:21]
                )
            elif r["soort"] == "gemeente":
                members = [vals[c] for c in vals if c.startswith("WK" + r["code"][2:])]
                tot = sum(m[0] for m in members)
                v = [tot] + [sum(m[i] * m[0] for m in members) / tot for i in range(1, 6)]
            else:
                v = vals[r["code"]]
            lines.append(";".join(_q(c) for c in _ses_cells(jaar, r, v)))
    _write_text(path, "\n".join(lines) + "\n")


def _ses_z(jaar: int, seed: int) -> dict[str, float]:
    out = {}
    for r in wereld.regios(jaar, "wijk"):
        out[r.code] = wereld.z_jaar(seed, r, jaar)
    for b in wereld.regios(jaar, "buurt"):
        parent = "WK" + b.code[2:8]
        if parent in out:
            out[b.code] = out[parent] + _buurt_offset(seed, b)
    return out


def _ses_cells(jaar: int, r: dict, v: list[float]) -> list[str]:
    hh = v[0]
    shown = r["soort"] in ("land", "gemeente") or hh >= 100
    hh_text = f"{round_to(hh, 100):>8}"
    if not shown:
        rest = [f"{'.':>8}"] * 5
    else:
        rest = [f"{v[1]:>8.1f}", f"{v[2]:>8.1f}", f"{v[3]:>8.1f}", f"{v[4]:>8.3f}", f"{v[5]:>8.3f}"]
    code = f"{r['code']:<10}"
    return [str(jaar), r["naam"], code, hh_text, *rest]


# ---------------------------------------------------------------------------------------------


def bestandsnaam(jaar: int) -> str:
    """Demo file name of KWB edition ``jaar`` (format per :data:`FORMATEN`)."""
    return {
        "odata": f"kwb-{jaar}-demo-84583NED-odata.csv",
        "statline": f"kwb-{jaar}-demo-statline.csv",
        "xlsx": f"kwb-{jaar}-demo.xlsx",
    }[FORMATEN[jaar]]


def generate(out: Path, seed: int) -> list[Path]:
    """Write the KWB files 2019-2024 and the SES-WOA file into ``out``."""
    paths = []
    for jaar in wereld.KWB_JAREN:
        rows = tabel(jaar, seed)
        p = out / bestandsnaam(jaar)
        fmt = FORMATEN[jaar]
        if fmt == "odata":
            write_odata(rows, p)
        elif fmt == "statline":
            write_statline(rows, p)
        else:
            write_xlsx(rows, p, jaar)
        paths.append(p)
    ses = out / "ses-woa-demo-statline.csv"
    write_ses(ses, seed)
    paths.append(ses)
    return paths
