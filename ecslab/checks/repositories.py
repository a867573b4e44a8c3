"""Checks on the learner's ECR repositories (lesson 01), through the lab's boto3 ``ecr`` client.

AWS: DescribeRepositories answers ``RepositoryNotFoundException`` for a missing name, and each
repository carries ``imageScanningConfiguration.scanOnPush`` (default false) — botocore's
``ecr`` service model; https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html
"""

from __future__ import annotations

import difflib
from typing import Any

from botocore.exceptions import ClientError

from ecslab.checks.result import CheckResult, error_code, recorded


def repository(
    lab: Any, name: str = "api", *, scan_on_push: bool = True, lesson: str = "01_ecr"
) -> CheckResult:
    """An ECR repository called ``name`` exists (with scan on push turned on, by default)."""
    ecr = lab.client("ecr")
    title = f"ECR repository '{name}'" + (" with scan on push" if scan_on_push else "")
    where = f"ecr.describe_repositories(repositoryNames=[{name!r}])['repositories']"
    try:
        found = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
    except ClientError as error:
        if error_code(error) != "RepositoryNotFoundException":
            raise
        others = [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]
        missing = f"There is no repository named '{name}' in {lab.region} yet."
        close = difflib.get_close_matches(name, others, n=1)
        if close:
            missing += f" There is one named '{close[0]}': is that the one you meant?"
        elif others:
            missing += f" The repositories there: {', '.join(sorted(others)[:10])}."
        scan = ", imageScanningConfiguration={'scanOnPush': True}" if scan_on_push else ""
        missing += f" Create it with ecr.create_repository(repositoryName={name!r}{scan})."
        result = CheckResult(title, False, missing=(missing,), where="ecr.describe_repositories()")
        return recorded(result, lesson, f"repository {name}")
    good = [f"the repository exists: {found['repositoryUri']}"]
    problems = []
    scanning = found.get("imageScanningConfiguration", {}).get("scanOnPush", False)
    if scan_on_push and not scanning:
        problems.append(
            "The repository exists, but scan on push is off, so pushed images are not checked "
            "for known vulnerabilities. Turn it on with ecr.put_image_scanning_configuration("
            f"repositoryName={name!r}, imageScanningConfiguration={{'scanOnPush': True}})."
        )
    elif scan_on_push:
        good.append("scan on push is on")
    result = CheckResult(title, not problems, tuple(good), tuple(problems), where)
    return recorded(result, lesson, f"repository {name}")
