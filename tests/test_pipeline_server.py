"""The rehearsal against a shared ecslab server: the same steps, the app's code not run there."""

from __future__ import annotations

import pytest

from ecslab.lab import Lab
from ecslab.pipeline import Source, prepare, run
from ecslab.pipeline.source import change_for
from tests.server_fixture import ecslab_server  # noqa: F401  (a pytest fixture)

pytestmark = pytest.mark.server


def test_the_rehearsal_runs_on_the_server_and_says_what_it_cannot_do(ecslab_server: str) -> None:  # noqa: F811
    """Build, push, register and update go to the server; the log says the image runs generic."""
    source = Source.example()
    with Lab(backend="server", endpoint_url=ecslab_server, learner="pipeline") as lab:
        prepare(lab, source, wait=False, out=None)
        result = run(
            lab, change_for(source, "1.1.0", False), services=["backend"], wait=False, out=None
        )
        assert result.succeeded, "\n".join(result.log)
        assert (
            "  the ecslab server runs this image as a generic web server: the app's own code"
            in (result.log)
        )
        described = lab.client("ecr").describe_images(repositoryName="ecslab-backend")
        assert result.deploys["backend"].image.digest in {
            d["imageDigest"] for d in described["imageDetails"]
        }
