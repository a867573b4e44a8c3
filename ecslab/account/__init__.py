"""What a lab does on a real account to stay safe: tags, plan and cost, teardown, progress, masking.

Everything the course creates carries the lab's tags (:mod:`ecslab.account.tags`), so the lab can
say what exists and what it costs (:mod:`~ecslab.account.cost`), what a lesson will create before
it does (:mod:`~ecslab.account.plan`), and remove exactly that, nothing else
(:mod:`~ecslab.account.teardown`). The same code runs on the simulated backends, which is how it is
tested without an account.
"""
