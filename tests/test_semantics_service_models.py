"""botocore's service models are read once per process: one loader shared by every session."""

from __future__ import annotations

import subprocess
import sys

import boto3
import botocore.session

from ecslab.semantics import service_models


def test_shared_sessions_read_through_one_loader() -> None:
    """Two sessions made to share read their models with the same loader."""
    first = service_models.share(boto3.Session(region_name="us-east-1"))
    second = service_models.share(boto3.Session(region_name="eu-west-1"))
    loader = first._session.get_component("data_loader")
    assert loader is second._session.get_component("data_loader") is service_models.loader()


def test_a_service_model_is_botocores_read_once() -> None:
    """The model has botocore's operations and is the same object each time it is asked for."""
    model = service_models.service_model("ecs")
    assert model is service_models.service_model("ecs")
    assert "RegisterTaskDefinition" in model.operation_names
    assert model.service_name == "ecs"


def test_sessions_made_in_the_block_share_and_after_it_do_not() -> None:
    """Only the block's sessions read through the shared loader; botocore's factory is back."""
    original = botocore.session.create_loader
    with service_models.shared_by_new_sessions():
        inside = botocore.session.get_session().get_component("data_loader")
    outside = botocore.session.get_session().get_component("data_loader")
    assert inside is service_models.loader()
    assert outside is not service_models.loader()
    assert botocore.session.create_loader is original


def test_nested_blocks_share_until_the_outer_one_ends() -> None:
    """An import inside another's block (moto's ECS imports moto's EC2) leaves the sharing on
    until the outer block ends, and botocore's own factory back after it."""
    original = botocore.session.create_loader
    with service_models.shared_by_new_sessions():
        with service_models.shared_by_new_sessions():
            pass
        still = botocore.session.get_session().get_component("data_loader")
    assert still is service_models.loader()
    assert botocore.session.create_loader is original


COUNT_EC2_READS = r"""
import botocore.loaders

reads = []
original = botocore.loaders.JSONFileLoader.load_file

def load_file(self, file_path):
    data = original(self, file_path)
    if file_path.endswith("ec2/2016-11-15/service-2") and data is not None:
        reads.append(file_path)
    return data

botocore.loaders.JSONFileLoader.load_file = load_file

import ecslab

with ecslab.Lab() as lab:
    ec2 = lab.client("ec2")
    ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])
print(len(reads))
"""


def test_a_lab_reads_ec2s_model_once_and_moto_once_more() -> None:
    """A lab's clients, boto3's default session, the validation and moto's import of EC2 (whose
    region table makes three sessions) read EC2's 4 MB model once; moto's own loader, which
    merges its extras into what it reads, reads it once more."""
    answer = subprocess.run(
        [sys.executable, "-c", COUNT_EC2_READS], capture_output=True, text=True, check=True
    )
    assert answer.stdout.strip().splitlines()[-1] == "2"
