"""ecslab under Pyodide, seen from the desktop: what the browser edition changes, and only there.

The browser itself is driven by tests/test_browser_lite.py; here each piece is checked on this
machine's Python, with ``IN_BROWSER`` switched on where a test needs the browser's path.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ecslab import pyodide_platform
from ecslab.errors import NotInBrowser, NotSupportedError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pyodide_platform, "IN_BROWSER", True)


def test_on_the_desktop_nothing_changes() -> None:
    """Here: not the browser, no stand-in on the import path, refusals do nothing."""
    assert pyodide_platform.IN_BROWSER is False
    assert pyodide_platform.uses_stand_ins() is False
    pyodide_platform.refuse_in_browser("anything")


def test_a_refusal_in_the_browser_is_one_sentence(in_browser: None) -> None:
    with pytest.raises(NotInBrowser) as raised:
        pyodide_platform.refuse_in_browser("Lab(backend='server')", "use Lab() here")
    message = str(raised.value)
    assert message == (
        "Lab(backend='server') cannot work in the browser edition of the course: use Lab() here."
    )
    assert isinstance(raised.value, NotSupportedError)


@pytest.mark.parametrize("backend", ["server", "aws"])
def test_the_server_and_aws_backends_say_they_cannot_work_in_the_browser(
    in_browser: None, backend: str
) -> None:
    import ecslab

    with pytest.raises(NotInBrowser, match=r"cannot work in the browser edition"):
        ecslab.Lab(backend=backend, endpoint_url="http://127.0.0.1:1", learner="ada", confirm=True)


def test_docker_says_it_cannot_work_in_the_browser(in_browser: None) -> None:
    from ecslab.pipeline.docker import DockerPush

    with pytest.raises(NotInBrowser, match=r"^Docker \(a subprocess\) cannot work in the browser"):
        DockerPush(ecr=None, docker="/usr/bin/docker").check()


def test_the_renderer_chooses_the_browsers_graphviz_by_itself(
    in_browser: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecslab.views import render

    monkeypatch.delenv(render.RENDERER_VARIABLE, raising=False)
    assert render.find_renderer().name == "viz-js"
    with pytest.raises(render.RenderError, match=r"as PNG cannot work in the browser"):
        render.find_renderer().render("digraph { a }", "png")


def test_viz_js_is_refused_outside_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslab.views import render

    monkeypatch.setenv(render.RENDERER_VARIABLE, "viz-js")
    with pytest.raises(render.RenderError, match=r"only in the browser edition"):
        render.find_renderer()


def test_doctor_reports_the_platform(in_browser: None) -> None:
    from ecslab import doctor

    finding = doctor.check_platform()
    assert finding.ok
    assert finding.line().startswith("✓ platform: the browser (Pyodide")


def test_the_desktop_doctor_names_this_system() -> None:
    from ecslab import doctor

    assert doctor.findings()[0].name == "platform"


def test_a_stand_in_imports_like_the_package_and_raises_when_called() -> None:
    """``from cryptography.x509 import NameOID`` works; calling anything raises, is recorded."""
    pyodide_platform.provide_stand_ins(force=True)
    hidden = {m: sys.modules.pop(m) for m in list(sys.modules) if m.startswith("cryptography")}
    sys.meta_path.insert(0, sys.meta_path.pop(sys.meta_path.index(pyodide_platform._FINDER)))
    calls_before = len(pyodide_platform.stand_in_calls())
    try:
        from cryptography.hazmat.primitives.asymmetric import rsa  # type: ignore[import]

        annotation = rsa.RSAPublicKey | None  # a type hint at import time
        assert repr(annotation).endswith("asymmetric.rsa.RSAPublicKey>")
        with pytest.raises(NotInBrowser, match=r"generate_private_key\(\) \(key pairs"):
            rsa.generate_private_key(public_exponent=65537, key_size=2048)

        class Subclass(rsa.RSAPrivateKey):  # type: ignore[misc, name-defined]
            pass

        with pytest.raises(NotInBrowser):
            Subclass()
        calls = pyodide_platform.stand_in_calls()[calls_before:]
        rsa_module = "cryptography.hazmat.primitives.asymmetric.rsa"
        assert calls == (f"{rsa_module}.generate_private_key", f"{rsa_module}.RSAPrivateKey")
    finally:
        pyodide_platform.withdraw_stand_ins()
        sys.modules.update(hidden)
    assert pyodide_platform.uses_stand_ins() is False


def test_moto_loads_with_the_stand_in_and_a_lesson_path_never_calls_it() -> None:
    """Without the real cryptography (hidden, as in the browser), a lab opens on the stand-in
    and the course's calls (ECR, ECS, EC2's default VPC, ELBv2, IAM, Secrets Manager) never
    reach it."""
    script = textwrap.dedent(
        """
        import importlib.abc, sys

        class Hide(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "cryptography":
                    raise ModuleNotFoundError(name)

        sys.meta_path.insert(0, Hide())
        from ecslab import pyodide_platform
        sys.meta_path.pop(0)
        sys.meta_path.insert(0, pyodide_platform._FINDER)
        import ecslab
        with ecslab.Lab() as lab:
            lab.client("ecr").create_repository(repositoryName="web")
            lab.client("ecs").create_cluster(clusterName="course")
            lab.client("ec2").describe_vpcs()
            lab.client("elbv2").describe_load_balancers()
            lab.client("iam").list_roles()
            lab.client("secretsmanager").create_secret(Name="db", SecretString="x")
        import cryptography
        print(type(cryptography).__name__, pyodide_platform.stand_in_calls())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "_StandInModule ()"


def _backend_app() -> object:
    """The example backend's real app, imported from the repository."""
    sys.path.insert(0, str(ROOT / "examples" / "app" / "backend"))
    try:
        from app.main import create_app  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
        for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
            del sys.modules[name]
    return create_app({"SECRET_KEY": "not-a-secret"})


def test_without_threads_the_backend_answers_only_with_its_workers_inline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Why lessons 05-09 never settled in the browser: FastAPI runs a ``def`` endpoint (the
    backend's ``/health``) on a worker thread, and Pyodide cannot start one, so every health
    check failed. With anyio's worker threads run inline, the same app answers 200."""
    import asyncio
    import threading

    from ecslab.pipeline.images import _exchange

    app = _backend_app()

    def no_threads(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")  # Pyodide's answer

    monkeypatch.setattr(threading.Thread, "start", no_threads)
    failing = asyncio.run(_exchange(app, "GET", "/health", {}))
    assert (failing.status, failing.body) == (500, "Internal Server Error")
    with pyodide_platform._worker_threads_inline():
        answer = asyncio.run(_exchange(app, "GET", "/health", {}))
    assert (answer.status, answer.body) == (200, '{"status":"ok"}')
    import anyio.to_thread

    assert anyio.to_thread.run_sync.__module__ == "anyio.to_thread"  # given back
