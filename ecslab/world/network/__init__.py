"""The VPC as AWS evaluates it: security groups, routes, public addresses, NAT and endpoints.

* :mod:`.security_groups`: the rules of one group and whether a set of groups admits a peer;
* :mod:`.topology`: a read-only picture of one account's VPCs (what the rules need to know);
* :mod:`.reachability`: the one function that says whether a connection opens, or why not;
* :mod:`.topology_cache`: one picture per account, read from moto by the adapter's
  ``ec2_models.read_topology``;
* :mod:`.default_vpc`: the behaviour that gives moto's default VPC AWS's shape, and moves NAT
  gateways from ``pending`` to ``available`` on the virtual clock.
"""
