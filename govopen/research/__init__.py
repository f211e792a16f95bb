"""The notebooks' helpers: the top layer, installed with ``pip install 'govopen[notebooks]'``.

``notebook`` checks a notebook's parameters and loads its data; ``handling`` (section 三),
``reviews`` (section 四), ``models`` (the panel model), ``quality`` (identities and
links) and ``revision`` (the series across the 2019 revision) shape the panel and the
cells into the tables a notebook shows; ``labels`` gives
the definitions and labels printed beside them; ``figures`` draws them with bilingual
labels.

A plain ``pip install govopen`` leaves out the libraries these modules plot and fit
with; importing ``govopen.research`` then raises an ``ImportError`` that names the extra,
rather than failing later inside one function.
"""

from __future__ import annotations

import importlib.util

# What the modules below import: matplotlib (figures) and statsmodels (models.panel_model).
# linearmodels is only a cross-check there, so its absence is noted, not refused.
_NEEDED = ("matplotlib", "statsmodels")


def _installed(name: str) -> bool:
    # find_spec looks a package up without importing it, so this check costs nothing;
    # a name set to None in sys.modules counts as missing, as it does for import.
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


_MISSING = [name for name in _NEEDED if not _installed(name)]
if _MISSING:
    raise ImportError(f"govopen.research needs {', '.join(_MISSING)}, which a plain install "
                      "leaves out: pip install 'govopen[notebooks]'")
