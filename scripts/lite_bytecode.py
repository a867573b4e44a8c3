"""Python bytecode for the browser edition, compiled by the browser's own interpreter.

Pyodide runs with ``sys.dont_write_bytecode`` set and ships its standard library as ``.py``
files, so every module the kernel imports is compiled from source on every visit: 2.6 s of a
first lesson's start (CPU of the page's kernel, measured there with ``compile()``: the standard
library 1.1 s, moto 0.45 s, IPython 0.22 s, botocore 0.22 s, ...). The site ships bytecode
instead, as Pyodide's own package builds do (``pyodide py-compile``): each ``.py`` replaced by its
``.pyc`` beside it, which the import system loads without a source (PEP 3147, "sourceless" files;
zipimport reads them too). Bytecode is larger than source, so only the modules the lessons import
are compiled (``lite/trim.json``, recorded by ``build-lite --record`` on this machine's Python),
with the kernel's own packages for the browser, which that record cannot see; any other module
stays source, compiled when imported, as before.

The bytecode must be that of the interpreter that will load it (CPython 3.14.2 in WebAssembly,
whose magic number no desktop Python may share), so it is made by that very interpreter: the
Pyodide runtime from npm, run once in Node.js over every tree to compile. Hash randomisation is
off and the files go in sorted order, so the same sources give the same bytes. Each code object
names the file where the module will live in the browser (``/lib/python3.14/site-packages/...``),
so a traceback names its file and line as it would from the source. Column positions are left
out (``PYTHONNODEBUGRANGES``: a fifth smaller; a traceback loses only its ``^^^`` marks).

The course's own package keeps its sources, with its bytecode in ``__pycache__`` (unchecked
hash-based ``.pyc``, PEP 552): a learner's traceback through ecslab shows ecslab's lines.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

#: Run inside Pyodide: compile every ``.py`` of each job's tree. ``sourceless``: the ``.pyc``
#: takes the source's place; otherwise it goes to ``__pycache__`` and the source stays.
_COMPILE = """
import importlib.util, json, os, warnings
from importlib._bootstrap_external import _code_to_hash_pyc

warnings.simplefilter("ignore")  # the packages' own SyntaxWarnings (shown when they are compiled)
with open("/work/jobs.json") as handle:
    plan = json.load(handle)
used = set(plan["modules"])
whole = tuple(plan["whole"])


for job in plan["jobs"]:
    root = "/work/" + job["folder"]
    names = sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, files in os.walk(root) for name in files if name.endswith(".py")
    )
    for name in names:
        module = name[:-3].replace("/", ".").removesuffix(".__init__")
        if module not in used and module.split(".", 1)[0] not in whole:
            continue
        path = os.path.join(root, name)
        with open(path, "rb") as handle:
            source = handle.read()
        try:
            code = compile(source, job["prefix"] + name, "exec", dont_inherit=True)
        except SyntaxError:
            continue  # e.g. a template or a test fixture that is not Python 3.14: left as is
        data = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
        if job["sourceless"]:
            target = path[:-3] + ".pyc"
            os.remove(path)
        else:
            target = importlib.util.cache_from_source(path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
"""

#: Node.js: load the runtime, mount the work folder, run the compiler.
_NODE = """
const [runtime, work] = process.argv.slice(2);
const { loadPyodide } = await import(runtime + "/pyodide.mjs");
const env = { PYTHONHASHSEED: "0", PYTHONNODEBUGRANGES: "1" };
const pyodide = await loadPyodide({ indexURL: runtime + "/", env });
pyodide.FS.mkdir("/work");
pyodide.mountNodeFS("/work", work);
pyodide.runPython(pyodide.FS.readFile("/work/compile.py", { encoding: "utf8" }));
"""


def compile_trees(
    node: str,
    runtime: Path,
    work: Path,
    jobs: list[dict[str, object]],
    modules: list[str],
    whole: tuple[str, ...],
) -> None:
    """Compile the trees under ``work`` in place with the Pyodide runtime at ``runtime``: the
    ``modules`` named, and every module of the top-level packages ``whole``. Each job:
    ``folder`` (under ``work``), ``prefix`` (the folder's path in the browser, ending in ``/``)
    and ``sourceless``."""
    plan = {"jobs": jobs, "modules": modules, "whole": list(whole)}
    (work / "jobs.json").write_text(json.dumps(plan))
    (work / "compile.py").write_text(_COMPILE)
    (work / "compile.mjs").write_text(_NODE)
    subprocess.run([node, str(work / "compile.mjs"), str(runtime), str(work)], check=True)
