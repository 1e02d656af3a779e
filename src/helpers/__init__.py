"""wijkmonitor: research workbench for the Monitor SPUK Kansrijke Wijk.

All logic lives in this package; notebooks in ``notebooks/`` orchestrate and present.
Heavy libraries are imported lazily inside modules so that the CLI starts instantly.
"""

__version__ = "0.1.0"
