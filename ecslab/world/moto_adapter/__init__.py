"""The one seam to moto: the only code in ecslab that imports it.

One module per moto service (``ecs_models`` for ``moto.ecs.models``, ...), each naming the moto
classes and functions the world uses and giving typed access to that service's backend of one
account and region. moto is pinned exactly (``pyproject.toml``), and ``tests/test_moto_contract.py``
lists every moto name, signature and record attribute the world relies on, so an upgrade of moto
fails there, with the list of what changed. The import contracts (``[tool.importlinter]``) let
nothing else import moto.

moto takes a while to import: the world imports these modules where it needs them, not before.
"""
