"""botocore's service models, read from disk once per process.

A botocore session reads each model it needs (a service's ``service-2.json``, the endpoints, the
retry rules) with a loader of its own, and its loader keeps what it read for that session only.
EC2's model alone is some 4 MB of JSON, about 0.1 s of CPU to read. In one lesson the same
files were read by the lab's session for its clients, by boto3's default session, by the world's
validation (the models' constraints and filter names), and three more times while moto's EC2
module was imported (its table of regions asks three new sessions for EC2's regions). Here all
of them read through one loader per data path, so each file is read once.

Sharing is safe for the same reason one session may make many clients: botocore never changes
what its loader returns. moto's own loader is not shared: it merges moto's extras into the
models it reads, and those models are moto's, not the learner's.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

import botocore.loaders
import botocore.session
from botocore.model import ServiceModel


def loader(data_path: str | None = None) -> botocore.loaders.Loader:
    """The process's one loader for ``data_path`` (the ``AWS_DATA_PATH`` setting; None: botocore's
    own models and ``~/.aws/models``)."""
    return _loader(data_path)


@functools.cache
def _loader(data_path: str | None) -> botocore.loaders.Loader:
    return botocore.loaders.create_loader(data_path)


def share(session: Any) -> Any:
    """Make ``session`` (boto3's or botocore's) read its models through the shared loader; it is
    returned, for chaining."""
    core = getattr(session, "_session", session)
    core.register_component("data_loader", loader(core.get_config_variable("data_path")))
    return session


@functools.cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service`` (boto3's name: ``"ec2"``, ``"ecs"``, ...), read once."""
    return ServiceModel(loader().load_service_model(service, "service-2"), service_name=service)


#: botocore's own factory of a session's loader, put back when the last block below ends.
_BOTOCORE_FACTORY = botocore.session.create_loader
_blocks = 0
_blocks_lock = threading.Lock()


@contextlib.contextmanager
def shared_by_new_sessions() -> Iterator[None]:
    """Every botocore session made in the block reads through the shared loader (for a library's
    import that makes sessions of its own); botocore's own factory is back once the last such
    block ends (blocks nest, and the server's threads may be in two at once)."""
    global _blocks
    with _blocks_lock:
        _blocks += 1
        botocore.session.create_loader = loader
    try:
        yield
    finally:
        with _blocks_lock:
            _blocks -= 1
            if _blocks == 0:
                botocore.session.create_loader = _BOTOCORE_FACTORY
