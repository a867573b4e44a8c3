"""The course's example secret values, in one place.

Lessons store these in Secrets Manager and SSM to show how a task receives a secret at run time.
They are examples, not real credentials, but the course treats them as if they were: they must
never appear in a notebook's outputs, which ``tests/test_no_secrets_in_notebooks.py`` checks, and
:func:`ecslab.account.masking.mask` hides them wherever the lab prints.
"""

from __future__ import annotations

#: The backend's database password, stored in Secrets Manager (lesson 07).
DATABASE_PASSWORD = "s3cr3t-ecslab-db-Pa55w0rd"
#: The backend's API key, stored as an SSM SecureString parameter (lesson 07).
API_KEY = "ecslab-api-key-7f3a9c2e41d8"
#: An example of what CI keeps in GitHub Secrets; never sent to the task.
CI_TOKEN = "ghs_ecslabExampleCiToken0123456789"

#: Every example secret value of the course.
COURSE_SECRETS: tuple[str, ...] = (DATABASE_PASSWORD, API_KEY, CI_TOKEN)
