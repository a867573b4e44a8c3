"""One picture of each account's network, read again only when it may have changed.

Reading moto's records (:func:`ecslab.world.moto_adapter.ec2_models.read_topology`) is the slow
part of a reachability question, so the world keeps one picture per account and region until a
changing call or a NAT gateway's state change makes it stale.
"""

from __future__ import annotations

from typing import Any

from ecslab.world.network.topology import Topology


class TopologyCache:
    """One picture per account and region, read again when the world's ``generation`` moves."""

    def __init__(self) -> None:
        self._pictures: dict[tuple[str, str], tuple[Any, Topology]] = {}

    def get(self, account: str, region: str, generation: Any) -> Topology:
        key = (account, region)
        found = self._pictures.get(key)
        if found is not None and found[0] == generation:
            return found[1]
        from ecslab.world.moto_adapter import ec2_models

        picture = ec2_models.read_topology(account, region)
        self._pictures[key] = (generation, picture)
        return picture

    def clear(self) -> None:
        self._pictures.clear()
