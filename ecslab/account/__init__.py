"""What a lab does on a real account to stay safe: tags, plan and cost, teardown, progress, masking.

Everything the course creates carries the lab's tags (:mod:`ecslab.account.tags`), so the lab can
say what exists and what it costs (:mod:`~ecslab.account.cost`), what a lesson will create before
it does (:mod:`~ecslab.account.plan`, prices in :mod:`~ecslab.account.pricing`), and remove exactly
that, nothing else (:mod:`~ecslab.account.teardown`, ``ecslab teardown``). Long waits show a bar
with AWS's own events (:mod:`~ecslab.account.waiting`, :mod:`~ecslab.account.wait_progress`); secret
values never show (:mod:`~ecslab.account.masking`, the course's examples in
:mod:`~ecslab.account.course_secrets`); the roles the course creates get only what they need
(:mod:`~ecslab.account.policies`). The same code runs on the simulated backends, which is how it
is tested without an account.
"""
