# %% [markdown]
# # Themastudie re-integratie: groepsaanpakken en wijkbanen
#
# Deelnemers aan groepsaanpakken en wijkbanen, hun uitstroomroute en de tijd tot die uitkomst.
#
# **Gegevens.** De deelnemersregistratie van groepsaanpakken en wijkbanen, het interventieregister, de gecodeerde interviews en context uit de indicatorbasis.
#
# **Werkwijze.** Aandelen per uitkomst met een 95%-interval (Wilson) en de tijd tot een uitkomst als concurrerende routes.
#
# **Kanttekeningen.** Er is geen controlegroep: uitstroom is niet zonder meer een effect van de aanpak. Groepen onder het minimum van de monitor worden niet getoond.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'
min_n: int = None  # minimale groepsgrootte; None: uit params/monitor.yml

# %%
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.studies.themes import common
from helpers.studies.themes import reintegratie as ri

toon.stijl()
demo = provenance.is_demo()
teksten = common.load_tekst("reintegratie")
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
common.show_of_geen(common.interventietabel("reintegratie", focusgebied, namen=True), focusgebied)

# %% [markdown]
# ## Kwantitatieve resultaten
#
# Percentages van groepen kleiner dan het minimum van de monitor worden onderdrukt, net als groepen die anders door aftrekken te herleiden zijn; kleine groepen daarboven krijgen het label *signaal, geen conclusie*.

# %%
studie = ri.studie(focusgebied, min_n=min_n, demo=demo)

# %% [markdown]
# ### Deelnemers

# %%
studie.tabel("kenmerken")

# %% [markdown]
# ### Uitkomst per type interventie
#
# Aandeel deelnemers per uitkomst met 95%-interval (Wilson). *Nog in traject* is geen uitkomst maar de stand op de peildatum.

# %%
studie.figuur("routes")

# %%
studie.tabel("routes")

# %% [markdown]
# ### Tijd tot uitkomst: concurrerende routes
#
# De routes sluiten elkaar uit: wie naar scholing gaat, kan niet meer in dezelfde periode uitvallen. Daarom schatten we per route de cumulatieve incidentie met de Aalen-Johansen-methode; wie nog in traject is, telt mee tot de laatste peildatum (gecensureerd). Curven stoppen waar minder deelnemers nog in traject zijn dan het minimum van de monitor.

# %%
studie.figuur("cif")

# %%
studie.tabel("cif_horizon")

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
