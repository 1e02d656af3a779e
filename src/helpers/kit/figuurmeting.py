"""What a figure looks like to a reader, measured when it is saved (issue 14, point 5).

:func:`build_meting` draws a matplotlib figure with its own renderer and records

- ``kleinste_tekst_pt``: the smallest font size (pt, at the figure's own size) of every visible,
  non-empty text: titles, axis labels, tick labels, legend texts and title, annotations, colour
  bar labels and ticks (the demo watermark aside);
- ``overlappingen``: Dutch descriptions of a legend over plotted data (bars, lines, markers,
  images, map areas) or over another text, and of texts that overlap each other (tick labels of
  one axis, annotations, titles); empty when nothing overlaps;
- ``kleuren``: the colours of the plotted data (hex, sorted) and ``kleurschalen``: the names of
  the colour maps of colour-mapped data (heatmaps, maps), to check them against the palette
  (:mod:`helpers.kit.display`);
- ``getallen``: the values drawn (bar lengths, line and marker values, numbers in texts), rounded
  to 4 significant digits, at most :data:`MAX_GETALLEN`: an alt text must name one of them.

The effective size in the publication is ``kleinste_tekst_pt`` x (placed width / the saved
image's width ``breedte_inch``); :class:`helpers.kit.output.Uitvoer` records both.
"""

from __future__ import annotations

import math
import re
from typing import Any

#: gid of the demo watermark (:func:`helpers.kit.output.watermerk`): large, intentionally over
#: the data, never measured.
WATERMERK_GID = "wijkmonitor-watermerk"
#: Boxes may touch: an overlap counts from this many pixels (at the figure's dpi) in both directions.
MARGE_PX = 1.5
MAX_GETALLEN = 400
_GETAL = re.compile(r"[−-]?\d[\d.]*(?:,\d+)?")


def _texts(fig: Any) -> list[Any]:
    """Visible, non-empty texts: a text inside a hidden artist (a hidden legend) is not shown."""
    from matplotlib.text import Text

    uit: list[Any] = []
    stapel = [fig]
    while stapel:
        a = stapel.pop()
        if not a.get_visible() or a.get_gid() == WATERMERK_GID:
            continue
        if isinstance(a, Text):
            if a.get_text().strip() and (a.get_alpha() is None or a.get_alpha() > 0):
                uit.append(a)
            continue
        kinderen = a.get_children()
        if getattr(a, "axison", True) is False:  # ax.set_axis_off(): axes lines and ticks not drawn
            kinderen = [k for k in kinderen if k not in (a.xaxis, a.yaxis)]
        stapel.extend(kinderen)
    return uit


def _shrunk(bbox: Any, px: float = MARGE_PX) -> Any:
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(bbox.x0 + px, bbox.y0 + px, bbox.x1 - px, bbox.y1 - px)


def _overlap(a: Any, b: Any) -> bool:
    a, b = _shrunk(a), _shrunk(b)
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _drawn_ticklabels(ax: Any, renderer: Any) -> list[Any]:
    """The tick labels matplotlib really draws (inside the view interval, non-empty)."""
    uit: list[Any] = []
    if not ax.axison:
        return uit
    for axis in (ax.xaxis, ax.yaxis):
        lo, hi = sorted(axis.get_view_interval())
        for tick in axis.get_major_ticks():
            loc = tick.get_loc()
            if loc is None or not (lo - 1e-9 * (abs(lo) + 1) <= loc <= hi + 1e-9 * (abs(hi) + 1)):
                continue
            for lab in (tick.label1, tick.label2):
                if lab.get_visible() and lab.get_text().strip():
                    uit.append(lab)
    return uit


def _tick_ids(fig: Any) -> set[int]:
    return {
        id(t)
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]
        for t in (tick.label1, tick.label2)
    }


def _shown_texts(fig: Any, renderer: Any) -> list[Any]:
    """The visible texts minus the tick labels matplotlib does not draw (outside the view)."""
    ticks = _tick_ids(fig)
    drawn = {id(t) for ax in fig.axes for t in _drawn_ticklabels(ax, renderer)}
    return [t for t in _texts(fig) if id(t) not in ticks or id(t) in drawn]


def _data_boxes(ax: Any, renderer: Any) -> list[tuple[str, Any]]:
    """Display-space boxes of the data drawn in ``ax``: bars and patches, line points,
    markers, images, map areas (collections)."""
    from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
    from matplotlib.image import AxesImage
    from matplotlib.transforms import Bbox

    uit: list[tuple[str, Any]] = []
    for p in ax.patches:
        if not p.get_visible():
            continue
        bb = p.get_window_extent(renderer)
        if bb.width > 0.5 and bb.height > 0.5 and p.get_facecolor()[3] > 0:
            uit.append(("staaf", bb))
    for line in ax.lines:
        if not line.get_visible() or len(line.get_xydata()) == 0:
            continue
        pts = line.get_transform().transform(line.get_xydata())
        pts = pts[~(pts != pts).any(axis=1)]
        # sample along each segment, so a line through a legend counts, not only its vertices
        for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=False):
            for f in (0.0, 0.25, 0.5, 0.75):
                x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
                uit.append(("lijn", Bbox.from_extents(x - 2, y - 2, x + 2, y + 2)))
        if len(pts):
            x, y = pts[-1]
            uit.append(("lijn", Bbox.from_extents(x - 2, y - 2, x + 2, y + 2)))
    for c in ax.collections:
        if not c.get_visible():
            continue
        if isinstance(c, PathCollection) and len(c.get_offsets()):
            for x, y in c.get_offset_transform().transform(c.get_offsets()):
                if x == x and y == y:
                    uit.append(("stip", Bbox.from_extents(x - 2, y - 2, x + 2, y + 2)))
        elif isinstance(c, (PolyCollection, QuadMesh)) or type(c).__name__ == "PatchCollection":
            for path in c.get_paths():
                bb = path.get_extents(c.get_transform())
                if bb.width > 0.5 and bb.height > 0.5:
                    uit.append(("vlak", bb))
    for im in ax.images:
        if isinstance(im, AxesImage) and im.get_visible():
            uit.append(("afbeelding", im.get_window_extent(renderer)))
    return uit


def _legends(fig: Any) -> list[Any]:
    uit = [lg for lg in fig.legends if lg.get_visible()]
    for ax in fig.axes:
        lg = ax.get_legend()
        if lg is not None and lg.get_visible():
            uit.append(lg)
    return uit


def _label(t: Any) -> str:
    return t.get_text().strip().replace("\n", " ")[:40]


def check_overlap(fig: Any, renderer: Any) -> list[str]:
    """Dutch descriptions of what overlaps in ``fig`` (drawn with ``renderer``): a legend over
    data of any axes or over a text outside the legend; texts that overlap each other."""
    problemen: list[str] = []
    legendes = _legends(fig)
    legend_texts = {id(t) for lg in legendes for t in [*lg.get_texts(), lg.get_title()]}
    texts = [t for t in _shown_texts(fig, renderer) if id(t) not in legend_texts]
    tick_ids = _tick_ids(fig)
    for lg in legendes:
        bb = lg.get_window_extent(renderer)
        for ax in fig.axes:
            for soort, box in _data_boxes(ax, renderer):
                if _overlap(bb, box):
                    problemen.append(f"legenda over de gegevens ({soort}) in '{ax.get_title()}'")
                    break
        for t in texts:
            if _overlap(bb, t.get_window_extent(renderer)):
                problemen.append(f"legenda over de tekst '{_label(t)}'")
    # texts against each other: within the same axis' ticks, and all non-tick texts against
    # each other and against the ticks
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            both_ticks = id(a) in tick_ids and id(b) in tick_ids
            if both_ticks and (a.axes is not b.axes or _axis_of(a) != _axis_of(b)):
                continue
            if _overlap(ba, bb):
                problemen.append(f"tekst '{_label(a)}' over tekst '{_label(b)}'")
    return problemen


def _axis_of(t: Any) -> str:
    ax = t.axes
    return "x" if ax is not None and t in ax.xaxis.get_ticklabels() else "y"


def _hex(rgba: Any) -> str | None:
    from matplotlib.colors import to_hex

    if rgba is None or len(rgba) < 4 or rgba[3] == 0:
        return None
    return to_hex(rgba, keep_alpha=False).upper()


def _colours(fig: Any) -> tuple[set[str], set[str]]:
    """Colours of plotted data (patches, lines, unmapped collections) and colour-map names."""
    import numpy as np
    from matplotlib.colors import to_rgba, to_rgba_array

    kleuren: set[str] = set()
    schalen: set[str] = set()
    for ax in fig.axes:
        for p in ax.patches:
            if p.get_visible():
                kleuren |= {h for h in (_hex(p.get_facecolor()),) if h}
        for line in ax.lines:
            if line.get_visible():
                kleuren |= {h for h in (_hex(to_rgba(line.get_color())),) if h}
        for c in ax.collections:
            if not c.get_visible():
                continue
            arr = c.get_array()
            if arr is not None and np.size(arr) and c.get_cmap() is not None:
                schalen.add(c.get_cmap().name)
                continue
            for rgba in to_rgba_array(c.get_facecolor()):
                kleuren |= {h for h in (_hex(rgba),) if h}
        for im in ax.images:
            schalen.add(im.get_cmap().name)
    return kleuren, schalen


def _round(v: float) -> float:
    if v == 0 or not math.isfinite(v):
        return 0.0
    return float(f"{v:.4g}")


def _values(fig: Any) -> list[float]:
    """Values drawn in ``fig``: bar lengths, line/marker y (and x for horizontal data), colour-
    mapped values, numbers written in texts (Dutch notation)."""
    import numpy as np

    uit: set[float] = set()
    ticks = _tick_ids(fig)
    for ax in fig.axes:
        for p in ax.patches:
            if hasattr(p, "get_width") and hasattr(p, "get_height"):
                uit |= {_round(float(p.get_width())), _round(float(p.get_height()))}
        for line in ax.lines:
            xy = np.asarray(line.get_xydata(), dtype=float)
            uit |= {_round(v) for v in xy.ravel() if v == v}
        for c in ax.collections:
            arr = c.get_array()
            if arr is not None:
                uit |= {_round(float(v)) for v in np.ma.compressed(arr)[:MAX_GETALLEN]}
        for im in ax.images:
            arr = np.ma.asarray(im.get_array())
            if arr.ndim == 2:
                uit |= {_round(float(v)) for v in np.ma.compressed(arr)[:MAX_GETALLEN]}
    for t in _texts(fig):
        if id(t) in ticks:
            continue
        for m in _GETAL.findall(t.get_text()):
            try:
                uit.add(_round(float(m.replace("−", "-").replace(".", "").replace(",", "."))))
            except ValueError:
                continue
    return sorted(uit)[:MAX_GETALLEN]


def build_meting(fig: Any) -> dict:
    """Draw ``fig`` and measure it (see the module docstring). Returns a JSON-ready dict."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = _shown_texts(fig, renderer)
    kleuren, schalen = _colours(fig)
    return {
        "kleinste_tekst_pt": round(min((float(t.get_fontsize()) for t in texts), default=0.0), 2),
        "overlappingen": sorted(set(check_overlap(fig, renderer))),
        "kleuren": sorted(kleuren),
        "kleurschalen": sorted(schalen),
        "getallen": _values(fig),
    }
