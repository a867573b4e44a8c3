"""The default VPC, new VPCs, NAT gateways and endpoints, as plain boto3 sees them."""

from __future__ import annotations

from ecslab.lab import Lab


def _new_vpc(lab: Lab) -> tuple[str, str]:
    ec2 = lab.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")
    return vpc, subnet["Subnet"]["SubnetId"]


def test_default_vpc_has_an_attached_internet_gateway_and_a_route_to_it(lab: Lab) -> None:
    """VPC guide, "Default VPCs": an internet gateway, main route table 0.0.0.0/0 → igw."""
    ec2 = lab.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]
    gateways = ec2.describe_internet_gateways()["InternetGateways"]
    assert [a["VpcId"] for g in gateways for a in g["Attachments"]] == [vpc["VpcId"]]
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])[
        "RouteTables"
    ][0]
    routes = {r["DestinationCidrBlock"]: r["GatewayId"] for r in main["Routes"]}
    assert routes == {"172.31.0.0/16": "local", "0.0.0.0/0": gateways[0]["InternetGatewayId"]}


def test_default_subnets_are_public_one_per_zone(lab: Lab) -> None:
    """Default subnets: /20, one per zone, MapPublicIpOnLaunch true."""
    subnets = lab.client("ec2").describe_subnets()["Subnets"]
    zones = [s["AvailabilityZone"] for s in subnets]
    assert len(zones) == len(set(zones)) >= 2
    assert all(s["MapPublicIpOnLaunch"] and s["CidrBlock"].endswith("/20") for s in subnets)


def test_default_group_admits_its_members_and_allows_all_out(lab: Lab) -> None:
    """VPC guide, "Default security groups": inbound from itself, outbound 0.0.0.0/0."""
    group = lab.client("ec2").describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]
    assert group["IpPermissions"] == [
        {
            "IpProtocol": "-1",
            "UserIdGroupPairs": [{"UserId": lab.account_id, "GroupId": group["GroupId"]}],
            "IpRanges": [],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
        }
    ]
    assert group["IpPermissionsEgress"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]


def test_a_new_vpcs_default_group_admits_its_members_too(lab: Lab) -> None:
    """Every VPC's default group, not only the default VPC's."""
    vpc, _ = _new_vpc(lab)
    groups = lab.client("ec2").describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    pairs = groups[0]["IpPermissions"][0]["UserIdGroupPairs"]
    assert [p["GroupId"] for p in pairs] == [groups[0]["GroupId"]]


def test_a_new_group_has_no_inbound_and_one_outbound_rule(lab: Lab) -> None:
    """CreateSecurityGroup: 0 inbound rules and 1 outbound allow-all."""
    ec2 = lab.client("ec2")
    vpc, _ = _new_vpc(lab)
    group_id = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    assert group["IpPermissions"] == []
    assert [r["IpProtocol"] for r in group["IpPermissionsEgress"]] == ["-1"]


def test_a_nat_gateway_is_pending_then_available(lab: Lab) -> None:
    """NatGateway.State: pending while it is built, then available (default VPC has a gateway)."""
    ec2 = lab.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    assert nat["State"] == "pending"
    lab.advance(120)
    found = ec2.describe_nat_gateways(NatGatewayIds=[nat["NatGatewayId"]])["NatGateways"][0]
    assert found["State"] == "available"


def test_a_nat_gateway_in_a_vpc_without_internet_gateway_fails(lab: Lab) -> None:
    """botocore's FailureCode Gateway.NotAttached and its message."""
    ec2 = lab.client("ec2")
    vpc, subnet = _new_vpc(lab)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    lab.advance(120)
    found = ec2.describe_nat_gateways(NatGatewayIds=[nat["NatGatewayId"]])["NatGateways"][0]
    assert found["State"] == "failed"
    assert found["FailureCode"] == "Gateway.NotAttached"
    assert found["FailureMessage"] == f"Network {vpc} has no Internet gateway attached"
