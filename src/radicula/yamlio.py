"""Safe YAML loading, with the C parser (libyaml) when PyYAML has it.

The C loader gives the same documents as the pure-Python ``SafeLoader`` (the value resolution is the
same code) but words its errors differently (and fails on some text SafeLoader reports as a YAML
error, such as a lone surrogate), so a document it rejects is parsed again with ``SafeLoader`` to
raise the error users have always seen.
"""

from __future__ import annotations

from typing import Any

import yaml

_FAST: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, faster where libyaml is available; errors are SafeLoader's."""
    if _FAST is not None:
        try:
            return yaml.load(text, Loader=_FAST)  # the C form of SafeLoader
        except Exception:  # parsed again below, for SafeLoader's own error
            pass
    return yaml.load(text, Loader=yaml.SafeLoader)
