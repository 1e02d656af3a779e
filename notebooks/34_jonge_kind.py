# %% [markdown]
# # Themastudie jonge kind: bereik van voorschoolse educatie
#
# Kinderen met een ve-indicatie gevolgd door de keten indicatie → toeleiding/contact → aanmelding → start → deelname.
#
# **Gegevens.** De ketenregistratie van voorschoolse educatie per cohort, het interventieregister, de gecodeerde interviews en context uit de indicatorbasis.
#
# **Werkwijze.** Bereik, non-start en uitval als aandelen met een 95%-interval (Wilson), per focusgebied en per cohort.
#
# **Kanttekeningen.** Ketens met een latere stap groter dan een eerdere tellen niet mee. Groepen onder het minimum van de monitor worden niet getoond.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'
min_n: int = None  # minimale groepsgrootte; None: uit params/monitor.yml

# %%
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.studies.themes import common
from helpers.studies.themes import jonge_kind as jk

toon.stijl()
demo = provenance.is_demo()
teksten = common.load_tekst("jonge_kind")
toon.demo_banner(demo)

# %% [markdown]
# ## Onderzoeksvraag

# %%
common.show_sectie(teksten, "Onderzoeksvraag")

# %% [markdown]
# ## Interventies per focusgebied
#
# De (vernieuwende) aanpakken uit het interventieregister, met deelname aan fase 1 en fase 2 van de studie.

# %%
common.show_of_geen(common.interventietabel("jonge_kind", focusgebied, namen=True), focusgebied)

# %% [markdown]
# ## Kwantitatieve resultaten
#
# Percentages van groepen kleiner dan het minimum van de monitor worden onderdrukt, net als groepen die anders door aftrekken te herleiden zijn; kleine groepen daarboven krijgen het label *signaal, geen conclusie*.

# %%
studie = jk.studie(focusgebied, min_n=min_n, demo=demo)

# %% [markdown]
# ### Bereik, non-start en uitval
#
# - **bereik**: gestart ÷ geïndiceerd;
# - **non-start**: geïndiceerd maar nooit gestart, als deel van de geïndiceerde kinderen;
# - **uitval**: gestart en daarna gestopt, als deel van de gestarte kinderen;
# - **conversie** per stap: aantal bij een stap ÷ aantal bij de vorige stap.
#
# Non-start en uitval hebben elk een eigen noemer en worden nooit opgeteld. Tussen haakjes het 95%-betrouwbaarheidsinterval (Wilson).

# %%
studie.tabel("kengetallen")

# %% [markdown]
# ### De keten per focusgebied

# %%
studie.figuur("ve_trechter")

# %% [markdown]
# ### Vergelijking tussen focusgebieden

# %%
studie.figuur("ve_vergelijking")

# %% [markdown]
# ### Ontwikkeling over cohorten

# %%
studie.figuur("ve_trend")

# %%
studie.tabel("trend")

# %% [markdown]
# ### Inconsistente ketens
#
# Regels waarin een latere stap groter is dan een eerdere (of deelname plus gestopt groter dan start). Deze regels tellen niet mee in de percentages en moeten in de bronregistratie worden nagekeken.

# %%
studie.tabel("ketenfouten")

# %% [markdown]
# ### Context uit de indicatorbasis
#
# Laatst beschikbare jaar per indicator voor het gebied, met de rest van de gemeente en Nederland als referentie. Dit zijn beschrijvende cijfers: veranderingen erin kunnen ook door verhuizingen (samenstelling) komen en zijn geen effect van de interventies.

# %%
studie.tabel("context")

# %% [markdown]
# ## Kwalitatieve resultaten
#
# Gecodeerde fragmenten uit interviews en focusgroepen van deze studie: hoe vaak codes voor werkzame elementen, knelpunten en ervaren effecten voorkomen, en enkele fragmenten waarvoor toestemming en vrijgave zijn gegeven.

# %%
studie.tabel("codes")

# %%
studie.figuur("codes")

# %%
studie.tabel("citaten")

# %% [markdown]
# ## Ervaren effecten

# %%
common.show_sectie(teksten, "Ervaren effecten")

# %% [markdown]
# ## Werkzame elementen

# %%
common.show_sectie(teksten, "Werkzame elementen")

# %% [markdown]
# ## Knelpunten

# %%
common.show_sectie(teksten, "Knelpunten")

# %% [markdown]
# ## Aanbevelingen

# %%
common.show_sectie(teksten, "Aanbevelingen")
