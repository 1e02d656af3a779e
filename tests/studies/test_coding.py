"""Qualitative coding: code tree, segments reader, frequencies, co-occurrence, retrieval."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import InputError, RegistryError
from helpers.ingest.readers import segmenten
from helpers.registers import codeboom
from helpers.studies import coding

KOP = "bron,respondent_of_sessie,focusgebied,segment,codes,toestemming,vrijgegeven,thema\n"


def _csv(tmp_path, body: str, kop: str = KOP, name: str = "seg.csv"):
    p = tmp_path / name
    p.write_text(kop + body, encoding="utf-8")
    return p


@pytest.fixture
def segs(tmp_path):
    body = (
        'verhaal,r1,Leeuwarden Oost,Tekst een,"gedeelde_ambitie/betrokkenheid;gedeelde_ambitie/probleembesef",ja,ja,\n'
        'verhaal,r1,leeuwarden-oost,Tekst twee,"gedeelde_ambitie;constructieve_relaties/vertrouwen",ja,nee,\n'
        'dialoog,s1,Zaanstad,Tekst drie,"constructieve_relaties/vertrouwen;bewonersbetrokkenheid/zeggenschap",nee,ja,\n'
        'interview,r2,zaandam-oost,Tekst vier,"werkzame_elementen/vertrouwen_nabijheid;knelpunten/capaciteit",ja,ja,veerkracht\n'
    )
    return segmenten.read_segments(_csv(tmp_path, body))


def test_codeboom_has_six_bouwstenen_and_theme_branches():
    boom = codeboom.load_codeboom()
    assert boom.bouwstenen() == [
        "gedeelde_ambitie", "recht_doen_aan_belangen", "constructieve_relaties",
        "bewonersbetrokkenheid", "professioneel_organiseren", "betekenisvol_proces"]
    for tak in ("werkzame_elementen", "knelpunten", "ervaren_effecten", "effect_domein"):
        assert tak in boom and boom.kinderen(tak)
    assert set(boom.kinderen("effect_domein")) >= {f"effect_domein/{t}" for t in segmenten.THEMA_IDS}
    assert boom.label("constructieve_relaties/vertrouwen") == "Vertrouwen"


def test_codeboom_rejects_duplicates():
    data = {"codes": [{"code": "a", "label": "A", "soort": "thema"},
                      {"code": "a", "label": "A2", "soort": "thema"}]}
    with pytest.raises(RegistryError, match="twee keer"):
        codeboom.codeboom_uit_dict(data)


def test_codeboom_rejects_unknown_keys():
    import yaml

    data = yaml.safe_load("codes:\n  - {code: a, label: Regels, doelen, soort: thema}\n")
    with pytest.raises(RegistryError, match="onbekende sleutel"):
        codeboom.codeboom_uit_dict(data)


def test_read_segments_resolves_aliases_and_flags(segs):
    assert list(segs["focusgebied"]) == ["leeuwarden-oost", "leeuwarden-oost", "zaandam-oost",
                                         "zaandam-oost"]
    assert list(segs["toestemming"]) == [True, True, False, True]
    assert list(segs["vrijgegeven"]) == [True, False, True, True]
    assert segs.loc[3, "thema"] == "veerkracht" and pd.isna(segs.loc[0, "thema"])
    assert segs.loc[0, "codes"] == ("gedeelde_ambitie/betrokkenheid", "gedeelde_ambitie/probleembesef")


def test_semicolon_file_and_cp1252(tmp_path):
    kop = KOP.replace(",", ";")
    body = 'verhaal;r1;Delft-West;Café-gesprek;"gedeelde_ambitie;bewonersbetrokkenheid";ja;ja;\n'
    p = tmp_path / "x.csv"
    p.write_bytes((kop + body).encode("cp1252"))
    df = segmenten.read_segments(p)
    assert df.loc[0, "segment"] == "Café-gesprek"
    assert df.loc[0, "codes"] == ("gedeelde_ambitie", "bewonersbetrokkenheid")


@pytest.mark.parametrize("body,line,column,text", [
    ("verhaal,r1,Delft,T,gedeelde_ambitie,ja,ja,\n", 2, "focusgebied", "onbekend focusgebied 'Delft'"),
    ("verhaal,r1,,T,gedeelde_ambitie/bestaat_niet,ja,ja,\n", 2, "codes", "onbekende code"),
    ("verhaal,r1,,T,gedeelde_ambitie,ja,misschien,\n", 2, "vrijgegeven", "onbekende waarde 'misschien'"),
    ("verhaal,r1,,T,,ja,ja,\n", 2, "codes", "geen codes"),
    ("verhaal,r1,,,gedeelde_ambitie,ja,ja,\n", 2, "segment", "lege segmenttekst"),
    ("verhaal,r1,,T,gedeelde_ambitie,ja,ja,\nverhaal,r2,,T,gedeelde_ambitie,ja,ja,armoede\n", 3,
     "thema", "onbekend thema 'armoede'"),
])
def test_bad_rows_name_file_line_column(tmp_path, body, line, column, text):
    p = _csv(tmp_path, body)
    with pytest.raises(InputError) as exc:
        segmenten.read_segments(p)
    e = exc.value
    assert e.line == line and e.column == column and text in str(e)
    assert str(p) in str(e) and f"regel {line}" in str(e)


def test_intervention_must_be_in_register(tmp_path):
    kop = KOP.rstrip("\n") + ",interventie\n"
    ok = "interview,r1,Rotterdam-Zuid,T,werkzame_elementen,ja,ja,veerkracht,(Be)Invloed\n"
    assert segmenten.read_segments(_csv(tmp_path, ok, kop=kop)).loc[0, "interventie"] == "(Be)Invloed"
    for body in ("interview,r1,Rotterdam-Zuid,T,werkzame_elementen,ja,ja,veerkracht,Onbekend\n",
                 "interview,r1,Lelystad,T,werkzame_elementen,ja,ja,veerkracht,(Be)Invloed\n",
                 "interview,r1,Rotterdam-Zuid,T,werkzame_elementen,ja,ja,,(Be)Invloed\n"):
        with pytest.raises(InputError, match="niet in het interventieregister") as exc:
            segmenten.read_segments(_csv(tmp_path, body, kop=kop))
        assert exc.value.line == 2 and exc.value.column == "interventie"


def test_missing_column(tmp_path):
    p = _csv(tmp_path, "verhaal,r1,,T,gedeelde_ambitie,ja\n",
             kop="bron,respondent_of_sessie,focusgebied,segment,codes,toestemming\n")
    with pytest.raises(InputError, match="kolom 'vrijgegeven' ontbreekt") as exc:
        segmenten.read_segments(p)
    assert exc.value.line == 1 and exc.value.column == "vrijgegeven"


def test_empty_file(tmp_path):
    p = tmp_path / "leeg.csv"
    p.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="leeg"):
        segmenten.read_segments(p)


def test_frequencies_per_bouwsteen_hand_computed(segs):
    f = coding.code_frequencies(segs, niveau=1)
    got = {r.code: (r.segmenten, r.respondenten) for r in f.itertuples()}
    # seg1 has two sub-codes of gedeelde_ambitie: counts once; seg2 adds one more (r1 again)
    assert got["gedeelde_ambitie"] == (2, 1)
    assert got["constructieve_relaties"] == (2, 2)
    assert got["bewonersbetrokkenheid"] == (1, 1)
    assert got["werkzame_elementen"] == (1, 1)
    row = f[f["code"] == "gedeelde_ambitie"].iloc[0]
    assert row["aandeel_segmenten"] == pytest.approx(50.0)
    assert row["label"] == "Gedeelde ambitie"
    assert list(f["code"])[:2] == ["gedeelde_ambitie", "constructieve_relaties"]  # tie: tree order


def test_frequencies_by_area_and_branch(segs):
    f = coding.code_frequencies(segs, by="focusgebied", niveau=2, tak="constructieve_relaties")
    got = {(r.focusgebied, r.code): r.segmenten for r in f.itertuples()}
    assert got == {("leeuwarden-oost", "constructieve_relaties/vertrouwen"): 1,
                   ("zaandam-oost", "constructieve_relaties/vertrouwen"): 1}
    za = f[f["focusgebied"] == "zaandam-oost"].iloc[0]
    assert za["aandeel_segmenten"] == pytest.approx(50.0)  # 1 of 2 Zaandam segments


def test_cooccurrence_hand_computed(segs):
    m = coding.cooccurrence(segs, niveau=1)
    assert m.loc["gedeelde_ambitie", "gedeelde_ambitie"] == 2
    assert m.loc["gedeelde_ambitie", "constructieve_relaties"] == 1
    assert m.loc["constructieve_relaties", "bewonersbetrokkenheid"] == 1
    assert m.loc["werkzame_elementen", "knelpunten"] == 1
    assert m.loc["gedeelde_ambitie", "bewonersbetrokkenheid"] == 0
    assert (m.values == m.values.T).all()


def test_cooccurrence_fixed_order(segs):
    m = coding.cooccurrence(segs, codes=["constructieve_relaties", "gedeelde_ambitie", "recht_doen_aan_belangen"])
    assert list(m.index) == ["constructieve_relaties", "gedeelde_ambitie", "recht_doen_aan_belangen"]
    assert m.loc["recht_doen_aan_belangen"].sum() == 0


def test_heatmap_labels(segs):
    import matplotlib
    matplotlib.use("Agg")
    fig = coding.heatmap(coding.cooccurrence(segs), titel="Samen gecodeerd")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "Gedeelde ambitie" in labels and fig.axes[0].get_title() == "Samen gecodeerd"


def test_retrieve_filters_consent_and_release_and_hides_ids(segs):
    r = coding.retrieve(segs, "constructieve_relaties")
    # seg2: no release, seg3: no consent -> nothing
    assert r.empty
    r = coding.retrieve(segs, "gedeelde_ambitie")
    assert list(r["segment"]) == ["Tekst een"]
    assert "respondent_of_sessie" not in r.columns
    assert not r.astype(str).apply(lambda c: c.str.contains(r"\br1\b")).any().any()
    assert coding.retrieve(segs, "gedeelde_ambitie", subcodes=False).empty
    assert list(coding.retrieve(segs, "werkzame_elementen", focusgebied="zaandam-oost")["segment"]) == ["Tekst vier"]
    assert coding.retrieve(segs, "werkzame_elementen", focusgebied="leeuwarden-oost").empty


QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA">
  <Codes>
    <Code guid="1" name="Gedeelde ambitie" isCodable="true">
      <Code guid="2" name="Betrokkenheid" isCodable="true"/>
      <Code guid="3" name="Betrokkenheid" isCodable="true"/>
    </Code>
    <Code guid="4" name="Werkzame elementen" isCodable="true">
      <Description>theme branch</Description>
      <Code guid="5" name="Vertrouwen &amp; nabijheid" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>
"""


def test_qdc_import(tmp_path):
    p = tmp_path / "boek.qdc"
    p.write_text(QDC, encoding="utf-8")
    boom = codeboom.load_codeboom(p)
    assert boom.bouwstenen() == ["gedeelde_ambitie"]
    assert "gedeelde_ambitie/betrokkenheid_2" in boom
    assert boom.label("werkzame_elementen/vertrouwen_nabijheid") == "Vertrouwen & nabijheid"
    assert boom.codes["werkzame_elementen"].soort == "thema"


def test_qdc_bad_file(tmp_path):
    p = tmp_path / "kapot.qdc"
    p.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(InputError, match="geen geldig XML"):
        codeboom.qdc_naar_codeboom(p)
    p.write_text("<Project/>", encoding="utf-8")
    with pytest.raises(InputError, match="geen REFI-QDA codeboek"):
        codeboom.qdc_naar_codeboom(p)
