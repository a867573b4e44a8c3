"""The example app's pipeline, rehearsed offline: build, push to ECR, deploy to ECS, wait.

::

    from ecslab import pipeline
    source = pipeline.Source.example()           # the example app, held in memory
    pipeline.prepare(lab, source)                # once: repositories, ALB, services
    change = source.with_change("backend/app/main.py", 'VERSION = "1.0.0"', 'VERSION = "1.1.0"')
    pipeline.run(lab, change)                    # the workflow's deploy job, narrated

The same steps as ``examples/app/.github/workflows/deploy.yml``, every AWS step a real boto3
call; also from a shell: ``ecslab pipeline run``. FastAPI is needed only once an image of the
backend runs in the simulated world.
"""

from __future__ import annotations

from ecslab.pipeline.build import Image, build
from ecslab.pipeline.registry import PushedImage, push
from ecslab.pipeline.rehearsal import (
    STEPS,
    PipelineRun,
    ServiceDeploy,
    follow,
    prepare,
    run,
    wait_stable,
)
from ecslab.pipeline.source import Source
from ecslab.pipeline.stage import Stage, create_stage

__all__ = [
    "STEPS",
    "Image",
    "PipelineRun",
    "PushedImage",
    "ServiceDeploy",
    "Source",
    "Stage",
    "build",
    "create_stage",
    "follow",
    "prepare",
    "push",
    "run",
    "wait_stable",
]
