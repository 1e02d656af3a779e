# %% [markdown]
# # Themastudie preventie armoede en schulden: informele netwerken
#
# Inzet en bereik van sleutelpersonen, ervaringsdeskundigen en vrijwilligers, en het vervolg van doorverwijzingen naar schuldhulp.
#
# **Gegevens.** De registraties van de informele netwerken per halfjaar, het interventieregister, de gecodeerde interviews en context uit de indicatorbasis.
#
# **Werkwijze.** Aantallen per rol, aandelen met een 95%-interval (Wilson) en codes geteld per respondent.
#
# **Kanttekeningen.** De registraties komen van de uitvoerders zelf; inconsistente regels tellen niet mee. Groepen onder het minimum van de monitor worden niet getoond.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'
min_n: int = None  # minimale groepsgrootte; None: uit params/monitor.yml

# %%
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.studies.themes import common
from helpers.studies.themes import armoede as ar

toon.stijl()
demo = provenance.is_demo()
teksten = common.load_tekst("armoede_schulden")
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
common.show_of_geen(common.interventietabel("armoede_schulden", focusgebied, namen=True), focusgebied)

# %% [markdown]
# ## Kwantitatieve resultaten
#
# Percentages van groepen kleiner dan het minimum van de monitor worden onderdrukt, net als groepen die anders door aftrekken te herleiden zijn; kleine groepen daarboven krijgen het label *signaal, geen conclusie*.

# %%
studie = ar.studie(focusgebied, min_n=min_n, demo=demo)

# %% [markdown]
# ### Het informele netwerk
#
# Actieve personen per rol, betaald en onbetaald (opgeteld over halfjaren).

# %%
studie.figuur("netwerk")

# %%
studie.tabel("netwerk")

# %% [markdown]
# ### Bereik en doorverwijzing
#
# Aandelen met 95%-interval (Wilson): nieuw in beeld bij formele hulp en doorverwezen naar schuldhulp (van de bereikte huishoudens), en de stand van de doorverwijzingen aan het eind van de periode.

# %%
studie.tabel("kengetallen")

# %%
studie.figuur("vervolg")

# %% [markdown]
# ### Bereik per halfjaar

# %%
studie.figuur("bereik")

# %%
studie.tabel("bereik_per_periode")

# %% [markdown]
# ### Inconsistente registraties
#
# Regels waarin een deelaantal groter is dan het totaal; ze tellen niet mee.

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
