"""Import the Python code an image carries, each image under its own module name.

Two versions of the backend serve side by side during a rolling deployment, so each image's code
must live apart: the files of image ``sha256:4a76c2ce…`` import as the package
``ecslab_image_4a76c2ce84a3…``, and its ``app`` package as ``ecslab_image_4a76c2ce84a3….app``.
The files are read from memory (nothing is written to disk) and shown in tracebacks.

The app's own modules must import each other relatively (``from .settings import Settings``),
as the example backend does; third-party imports (``fastapi``) come from this environment.

The finder on ``sys.meta_path`` and the modules in ``sys.modules`` are process-wide changes: the
first load registers their removal with the world's patches
(:data:`~ecslab.world.patches.PATCHES`), so when the world's host leaves (the last lab closes)
no image's code stays imported.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import linecache
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType

PREFIX = "ecslab_image_"


def package_name(digest: str) -> str:
    """The top-level package an image's files import under."""
    return PREFIX + digest.removeprefix("sha256:")[:24]


def load(digest: str, files: Mapping[str, bytes], module: str) -> ModuleType:
    """Import ``module`` (``"app.main"``) from ``files``, the image with ``digest``'s code."""
    from ecslab.world.patches import PATCHES

    root = package_name(digest)
    _FINDER.roots[root] = (digest, files)
    if _FINDER not in sys.meta_path:
        sys.meta_path.append(_FINDER)
        PATCHES.on_undo(unload_all, "images' code importable as ecslab_image_*")
    return importlib.import_module(f"{root}.{module}")


def unload(digest: str) -> None:
    """Forget an image's modules (used when a test or a reset wants a clean slate)."""
    root = package_name(digest)
    _FINDER.roots.pop(root, None)
    for name in [n for n in sys.modules if n == root or n.startswith(root + ".")]:
        del sys.modules[name]


def unload_all() -> None:
    """Forget every image's modules and take the finder off ``sys.meta_path``."""
    for root in [name for name in sys.modules if name.startswith(PREFIX)]:
        del sys.modules[root]
    _FINDER.roots.clear()
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)


class _SnapshotFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``ecslab_image_<digest>.<path>`` in the files of the image with that digest."""

    def __init__(self) -> None:
        self.roots: dict[str, tuple[str, Mapping[str, bytes]]] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        root, _, rest = fullname.partition(".")
        if root not in self.roots:
            return None
        digest, files = self.roots[root]
        base = rest.replace(".", "/")
        if not rest:  # the image's root folder: a namespace for its top-level packages
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        for candidate, is_package in ((f"{base}/__init__.py", True), (f"{base}.py", False)):
            if candidate in files:
                spec = importlib.machinery.ModuleSpec(
                    fullname,
                    self,
                    origin=f"<image {digest[:19]}>/{candidate}",
                    is_package=is_package,
                )
                spec.has_location = False
                spec.loader_state = candidate  # the file's path inside the image
                return spec
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        spec = module.__spec__
        assert spec is not None
        if spec.loader_state is None:  # the image's root package: nothing to run
            return
        files = self.roots[spec.name.partition(".")[0]][1]
        source = files[spec.loader_state].decode("utf-8")
        filename = spec.origin or spec.name
        module.__file__ = filename
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), module.__dict__)


_FINDER = _SnapshotFinder()
