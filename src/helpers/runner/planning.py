"""Planning and validation of a batch before any kernel starts: areas, notebooks, inputs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.core import config
from helpers.registers.focusgebieden import ALLE
from helpers.runner import manifest as mf
from helpers.runner.spec import NotebookSpec, RunnerError, load_specs, resolve_parameters


def known_gebieden() -> list[str]:
    """Ids of the focus areas from :mod:`helpers.registers.focusgebieden`."""
    from helpers.registers import focusgebieden as registry

    return list(registry.focusgebied_ids())


def resolve_gebieden(gebieden: Iterable[str], alle: bool) -> list[str]:
    """Area ids to run: ``alle=True`` means every focus area plus ``alle``.

    Ids, names and aliases are accepted (resolved by :mod:`helpers.registers.focusgebieden`); ``alle`` is the
    national view. Raises :class:`RunnerError` for an unknown area or an empty selection.
    """
    gebieden = [g.strip() for g in gebieden if g and g.strip()]
    if not gebieden and not alle:
        raise RunnerError("geen gebied gekozen (gebruik --gebied ID of --alle)")
    ids = known_gebieden()
    out: list[str] = [*ids, ALLE] if alle else []
    for g in gebieden:
        if g == ALLE or g in ids:
            gid = g
        else:
            from helpers.core.errors import RegistryError
            from helpers.registers import focusgebieden as registry

            try:
                gid = registry.resolve_gebied(g)
            except RegistryError as exc:
                raise RunnerError(
                    f"onbekend focusgebied '{g}' (verwacht: een id uit "
                    f"params/focusgebieden.yml of 'alle'; {exc})"
                ) from exc
        if gid not in out:
            out.append(gid)
    return out


def select_notebooks(specs: dict[str, NotebookSpec], names: Sequence[str]) -> list[NotebookSpec]:
    """The notebooks named (without ``.ipynb``), or all. Raises :class:`RunnerError` if unknown."""
    if not specs:
        raise RunnerError(f"geen notebooks (NN_naam.ipynb) gevonden in '{config.NOTEBOOKS}'")
    if not names:
        return list(specs.values())
    out = []
    for n in names:
        naam = n[:-6] if n.endswith(".ipynb") else n
        if naam not in specs:
            raise RunnerError(f"onbekend notebook '{n}' (bekend: {', '.join(specs)})")
        if specs[naam] not in out:
            out.append(specs[naam])
    return out


@dataclass
class Taak:
    """One planned run."""

    spec: NotebookSpec
    gebied: str
    parameters: dict[str, Any]
    variant: str | None = None

    @property
    def key(self) -> str:
        return mf.key(self.gebied, self.spec.naam, self.variant)

    @property
    def rel(self) -> str:
        """Path of the run's files relative to ``reports/runs`` (without suffix)."""
        return f"{mf.variant_prefix(self.variant)}{self.gebied}/{self.spec.naam}"


def plan(gebieden: Sequence[str], notebooks: Sequence[str], *, alle: bool = False,
         parameters: dict[str, Any] | None = None, notebooks_dir: Path | None = None,
         variant: str | None = None) -> list[Taak]:
    """Validate a request and list its runs (notebook order, then area order).

    A notebook runs for ``alle`` only if it declares ``"alle": true`` and for focus areas only
    if it declares ``"per_gebied": true``; combinations it does not support are left out. Raises
    :class:`RunnerError` for unknown notebooks, areas or parameters, wrong parameter types, or
    a request that leaves nothing to run.
    """
    specs = load_specs(notebooks_dir)
    chosen = select_notebooks(specs, notebooks)
    ids = resolve_gebieden(gebieden, alle)
    taken = []
    for spec in chosen:
        for g in ids:
            if (g == ALLE and not spec.alle) or (g != ALLE and not spec.per_gebied):
                continue
            taken.append(Taak(spec, g, resolve_parameters(spec, g, parameters), variant))
    if not taken:
        raise RunnerError(
            "niets uit te voeren: de gekozen notebooks ondersteunen de gekozen gebieden niet "
            f"(notebooks: {', '.join(s.naam for s in chosen)}; gebieden: {', '.join(ids)})"
        )
    return taken


def hash_inputs(taken: list[Taak]) -> tuple[dict[str, dict[str, str]], dict[str, list[Path]]]:
    """Per run: display path -> sha256 of each declared input; plus every missing input."""
    cache: dict[Path, str | None] = {}
    per_taak: dict[str, dict[str, str]] = {}
    missing: dict[str, list[Path]] = {}
    for t in taken:
        hashes: dict[str, str] = {}
        for p in t.spec.input_paths():
            if p not in cache:
                cache[p] = mf.file_hash(p) if p.is_file() else None
            if cache[p] is None:
                missing.setdefault(t.key, []).append(p)
            else:
                hashes[mf.display_path(p)] = cache[p]  # type: ignore[assignment]
        per_taak[t.key] = hashes
    return per_taak, missing
