# %% [markdown]
# # Procesevaluatie: de samenwerking volgens de Sprockler-vragenlijst
#
# Per bouwsteen de antwoorden op de schuifvragen (negatief, neutraal, positief) per groep, met het aantal antwoorden en een indicatief 95%-interval, verhalen ter illustratie en de codering van verhalen en dialoogtafels. Daarna het leiderschap (driehoek) en het overheersende gevoel (beeld).
#
# **Vraag.** Hoe ervaren de betrokkenen de samenwerking in de wijkaanpak, langs de zes bouwstenen van de procesevaluatie?
#
# **Gegevens.** De Sprockler-vragenlijst onder professionals, bewoners en andere betrokkenen (schuifvragen, driehoeksvragen en verhalen) en de gecodeerde interviews.
#
# **Werkwijze.** Per groep de verdeling negatief, neutraal, positief met een indicatief 95%-interval; bij driehoeksvragen het compositionele gemiddelde.
#
# **Kanttekeningen.** De respondenten hebben zichzelf aangemeld: de uitkomsten zijn niet representatief. Groepen onder het minimum van de monitor worden niet getoond; kleine groepen zijn een signaal, geen conclusie. Verhalen verschijnen alleen met toestemming en vrijgave.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'
groepering: str = "groep"  # groep, rol, organisatietype, periode of focusgebied
min_n: int = None  # minimum aantal antwoorden per groep; None: uit params/monitor.yml
signaal_n: int = None  # onder dit aantal: signaal, geen conclusie; None: uit params/monitor.yml

# %%
from helpers.core import provenance
from helpers.studies import survey
from helpers.kit import display as toon
from helpers.studies.survey import report as rapport
from helpers.kit.output import Uitvoer

toon.stijl()
mapping = survey.load_mapping(min_n=min_n, signaal_n=signaal_n)
demo = provenance.is_demo()
uitvoer = Uitvoer(focusgebied, "20_procesevaluatie", demo=demo)
toon.demo_banner(demo)

# %%
respondenten = rapport.load_respondenten()
segmenten = rapport.load_gecodeerde_segmenten()
tabellen = survey.analyse(respondenten, mapping, focusgebied=focusgebied, groeperingen=[groepering])
rapport.overzicht(respondenten, tabellen, mapping, focusgebied, uitvoer)

# %% [markdown]
# ## Bouwsteen 1: werken aan een gedeelde ambitie
#
# Betrokkenheid bij de ambitie en de mate waarin de ambitie gedeeld wordt.

# %%
rapport.bouwsteen("gedeelde_ambitie", tabellen, mapping, uitvoer, groepering=groepering,
                  segmenten=segmenten, focusgebied=focusgebied)

# %% [markdown]
# ## Bouwsteen 2: recht doen aan belangen
#
# Geen schuifvragen; alleen besproken aan de dialoogtafels.

# %%
rapport.bouwsteen("recht_doen_aan_belangen", tabellen, mapping, uitvoer, groepering=groepering,
                  segmenten=segmenten, focusgebied=focusgebied)

# %% [markdown]
# ## Bouwsteen 3: constructieve relaties en groepsdynamiek
#
# Vertrouwen en gelijkwaardigheid tussen mensen en organisaties.

# %%
rapport.bouwsteen("constructieve_relaties", tabellen, mapping, uitvoer, groepering=groepering,
                  segmenten=segmenten, focusgebied=focusgebied)

# %% [markdown]
# ## Bouwsteen 4: bewonersbetrokkenheid
#
# Bewoners als gelijkwaardige partner en inzicht in hun perspectieven. Wie 'niet van toepassing' koos, telt niet mee in de percentages.

# %%
rapport.bouwsteen("bewonersbetrokkenheid", tabellen, mapping, uitvoer, groepering=groepering,
                  segmenten=segmenten, focusgebied=focusgebied)

# %% [markdown]
# ## Bouwsteen 5: professioneel organiseren
#
# Werkt de lokale organisatorische inrichting (governance) ondersteunend of belemmerend?

# %%
rapport.bouwsteen("professioneel_organiseren", tabellen, mapping, uitvoer, groepering=groepering,
                  segmenten=segmenten, focusgebied=focusgebied)

# %% [markdown]
# ## Bouwsteen 6: een betekenisvol proces
#
# Ruimte om samen te leren, en waar het leiderschap op gericht was.

# %%
rapport.bouwsteen("betekenisvol_proces", tabellen, mapping, uitvoer, groepering=groepering,
                  segmenten=segmenten, focusgebied=focusgebied)

# %% [markdown]
# ### Leiderschap: visie, daadkracht of strategisch denken
#
# Elke stip is één antwoord; de ruit is het compositionele gemiddelde (geometrisch gemiddelde, na vervanging van nullen door 0,5%).

# %%
rapport.tripool(respondenten, tabellen, mapping, uitvoer, focusgebied=focusgebied)

# %% [markdown]
# ## Toon van de verhalen en ervaren effecten

# %%
rapport.bouwsteen("algemeen", tabellen, mapping, uitvoer, groepering=groepering)

# %% [markdown]
# ## Overheersend gevoel bij de samenwerking

# %%
rapport.beeldwijzer(respondenten, tabellen, mapping, uitvoer, focusgebied=focusgebied)

# %% [markdown]
# ## Tabellen voor de publicatie

# %%
rapport.publish_tabellen(tabellen, mapping, uitvoer, segmenten, focusgebied=focusgebied)
