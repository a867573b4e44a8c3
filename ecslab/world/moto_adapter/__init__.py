"""The one seam to moto: the only code in ecslab that imports it or touches its objects.

One module per moto service (``ecs_models`` for ``moto.ecs.models``, ...), each offering typed
functions that read and write that service's records for one account and region and answer with
ecslab's own small records (``ecs_models.TaskDefinition``, ``elbv2_models.TargetGroup``, ...) or
plain values; ``core`` installs the call hook, the clock and the identifiers, ``fixes`` moto's
crashes on valid input. moto is pinned exactly (``pyproject.toml``), and
``tests/test_moto_contract.py`` lists every moto name, signature and record attribute the adapter
uses, so an upgrade of moto fails there, with the list of what changed. The import contracts
(``[tool.importlinter]``) let nothing else import moto, and ``tests/test_moto_adapter_seam.py``
lets nothing else take moto's objects from the adapter.

moto takes a while to import: the world imports these modules where it needs them, not before.
"""
