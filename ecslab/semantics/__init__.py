"""AWS's own semantics that several wings need, owned by none of them.

The simulated world routes requests through listener rules, a check evaluates the same rules
read from a real account, the diagram orders them, and every backend answers ``lab.request``
with the same result. Those rules of AWS (how listener rules are ordered and matched, what a
request through a load balancer meets) live here, below the world and the views alike, so that
neither reaches into the other for them (the import contracts in ``pyproject.toml`` keep it so).
The results of ``lab.faults``' levers (``fault_results``) are here for the same reason: the world
makes them and every simulated backend hands them to the learner.
"""
