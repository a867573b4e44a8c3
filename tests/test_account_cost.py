"""Plan and cost estimates follow the price table, which is data with a source and a date."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from account_capstone import build_capstone

from ecslab.account.cost import estimate_cost
from ecslab.account.plan import course_plan, lesson_key, planned_items
from ecslab.account.pricing import HOURS_PER_MONTH, load_prices
from ecslab.course.catch_up import catch_up
from ecslab.errors import ConfigurationError
from ecslab.lab import Lab

ROUND_PRICES = {
    "fargate-vcpu-hour-x86": 1.0,
    "fargate-gb-hour-x86": 0.1,
    "fargate-vcpu-hour-arm64": 0.5,
    "fargate-gb-hour-arm64": 0.05,
    "alb-hour": 0.5,
    "alb-lcu-hour": 0.1,
    "secret-month": 7.3,
    "public-ipv4-hour": 0.01,
    "nat-gateway-hour": 0.2,
}


@pytest.fixture
def round_table(tmp_path: Path) -> Path:
    """The shipped table with every price replaced by a round number: easy sums."""
    shipped = json.loads((Path(__file__).parent.parent / "ecslab/account/prices.json").read_text())
    for key, usd in ROUND_PRICES.items():
        shipped["prices"][key]["usd"] = usd
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(shipped))
    return path


@pytest.fixture
def lab() -> Iterator[Lab]:
    with Lab(name="costs") as opened:
        yield opened


def test_every_price_names_its_source_date_and_where_to_check() -> None:
    """Third-party prices stay honest: source, as_of and AWS's own page for each."""
    table = load_prices()
    assert set(table.prices) == set(ROUND_PRICES)
    for price in table.prices.values():
        assert price.source and price.as_of[:4].isdigit()
        assert price.check.startswith("https://aws.amazon.com/")
        assert price.usd > 0


def test_fargate_is_priced_per_vcpu_hour_and_gb_hour() -> None:
    """A 0.25 vCPU / 0.5 GB x86 task costs 0.25 vCPU-hours plus 0.5 GB-hours per hour."""
    table = load_prices()
    expected = 0.25 * table["fargate-vcpu-hour-x86"].usd + 0.5 * table["fargate-gb-hour-x86"].usd
    assert table.fargate_hourly(0.25, 0.5) == pytest.approx(expected)
    assert table.fargate_hourly(0.25, 0.5) == pytest.approx(0.0123425)  # F-7.1, F-7.2
    arm = table.fargate_hourly(1, 2, "ARM64")
    assert arm == pytest.approx(table["fargate-vcpu-hour-arm64"].usd + 2 * 0.00356)


def test_an_alb_costs_its_hour_plus_its_lcus() -> None:
    """ALB hourly plus LCU-hours (one assumed for a lab)."""
    table = load_prices()
    assert table.alb_hourly(lcu=0) == pytest.approx(0.0225)
    assert table.alb_hourly() == pytest.approx(0.0225 + 0.008)


def test_the_capstone_costs_its_tasks_its_alb_and_its_secret(lab: Lab, round_table: Path) -> None:
    """2 tasks × (0.25 vCPU × $1 + 0.5 GB × $0.1) + ALB $0.5 + 1 LCU × $0.1 + $7.3/730, and four
    public IPv4 addresses: the internet-facing ALB's two, and one per task (assignPublicIp
    ENABLED, which a task in a public subnet needs to pull its image)."""
    build_capstone(lab.client, prefix="costs")
    estimate = estimate_cost(lab, prices=load_prices(round_table))
    assert estimate.hourly == pytest.approx(2 * (0.25 + 0.05) + 0.6 + 0.01 + 4 * 0.01)
    assert estimate.daily == pytest.approx(estimate.hourly * 24)
    priced = {
        (line.kind, line.name): line.hourly for line in estimate.lines if line.hourly is not None
    }
    assert priced == pytest.approx(
        {
            ("ecs-service", "costs-api"): 0.6,
            ("public-ipv4", "costs-api"): 0.02,
            ("load-balancer", "costs-alb"): 0.6,
            ("public-ipv4", "costs-alb"): 0.02,
            ("secret", "costs/db-password"): 0.01,
        }
    )


def test_each_public_ipv4_address_is_counted(lab: Lab, round_table: Path) -> None:
    """The course's 4 tasks with assignPublicIp ENABLED and the ALB's node in each of its 2
    zones: 6 addresses at $0.005 an hour each since 2024-02-01 (aws.amazon.com/vpc/pricing)."""
    catch_up(lab, "06_cicd")
    lines = estimate_cost(lab, prices=load_prices(round_table)).lines
    addresses = {line.name: line.hourly for line in lines if line.kind == "public-ipv4"}
    assert addresses == pytest.approx({"course-alb": 0.02, "api": 0.02, "web": 0.02})
    assert "2 × address, assignPublicIp ENABLED, one per task" in str(lab.cost())


def test_a_service_without_public_ips_holds_none(lab: Lab) -> None:
    done = catch_up(lab, "04_services")
    network = done.network()
    network["awsvpcConfiguration"]["assignPublicIp"] = "DISABLED"
    lab.client("ecs").create_service(
        cluster="course",
        serviceName="api",
        taskDefinition="api",
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration=network,
    )
    assert [line.kind for line in lab.cost().lines] == ["ecs-service"]


def test_a_nat_gateway_costs_its_hour_and_its_elastic_ip(lab: Lab, round_table: Path) -> None:
    """$0.045 per NAT gateway-hour and its Elastic IP's address-hour; teardown deletes the
    gateway, then releases the address."""
    ec2 = lab.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    gateway = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]
    lines = estimate_cost(lab, prices=load_prices(round_table)).lines
    priced = {line.kind: line.hourly for line in lines}
    assert priced == pytest.approx({"nat-gateway": 0.2, "public-ipv4": 0.01})
    report = lab.teardown()
    assert report.clean, str(report)
    assert {r.kind for r in report.deleted} == {"nat-gateway", "elastic-ip"}
    state = ec2.describe_nat_gateways(NatGatewayIds=[gateway["NatGatewayId"]])["NatGateways"]
    assert state[0]["State"] in ("deleting", "deleted")
    assert ec2.describe_addresses()["Addresses"] == []


def test_the_plan_counts_public_addresses_of_tasks_and_the_alb(round_table: Path) -> None:
    """Lesson 05: 4 tasks and an internet-facing ALB in 2 zones, 6 public IPv4 addresses."""
    plan = course_plan("05", lab="costs", prices=load_prices(round_table))
    addresses = [line for line in plan.lines if line.kind == "public-ipv4"]
    assert sum(line.hourly or 0 for line in addresses) == pytest.approx(6 * 0.01)


def test_cost_is_zero_after_teardown(lab: Lab) -> None:
    """Nothing tagged, nothing billed."""
    build_capstone(lab.client, prefix="costs")
    assert lab.cost().hourly > 0
    lab.teardown()
    assert lab.cost().hourly == 0
    assert "nothing" in str(lab.cost())


def test_the_estimate_shows_its_sources(lab: Lab) -> None:
    """The text names each price used, its source and its date."""
    build_capstone(lab.client, prefix="costs")
    text = str(lab.cost())
    assert "Fargate Linux/x86 vCPU: $0.04048 per vCPU-hour" in text
    assert "as of 2026-05-08" in text
    assert "ecs-service costs-api" in text


def test_a_lessons_plan_sums_its_lines(round_table: Path) -> None:
    """Lesson 05: an ALB, 2 api tasks of 0.5 vCPU / 1 GB and 2 web tasks of 1 vCPU / 2 GB, 6
    public IPv4 addresses (4 tasks, 2 ALB nodes)."""
    plan = course_plan("05", lab="costs", prices=load_prices(round_table))
    assert plan.hourly == pytest.approx(0.6 + 2 * (0.5 + 0.1) + 2 * (1 + 0.2) + 6 * 0.01)
    assert plan.monthly == pytest.approx(plan.hourly * HOURS_PER_MONTH)
    assert "load-balancer course-alb" in str(plan)


def test_the_whole_course_plan_counts_each_resource_once_at_its_peak() -> None:
    """Lesson 06's rolling deployment doubles the api's 2 tasks; the course counts 4, once."""
    items = planned_items()
    apis = [i for i in items if i["kind"] == "fargate-service" and i["name"] == "api"]
    assert [a["tasks"] for a in apis] == [4]
    assert len({(i["kind"], i["name"]) for i in items}) == len(items)
    assert course_plan().hourly >= max(course_plan(f"{n:02d}").hourly for n in range(10))


def test_lab_plan_uses_the_labs_name(lab: Lab) -> None:
    """Names the lessons derive from the lab's name use this lab's."""
    shown = str(lab.plan("09"))
    assert "ecs-service costs-backend" in shown
    assert "parameter /costs/backend/secret-key" in shown


@pytest.mark.parametrize("given", [7, "7", "07", "07_secrets"])
def test_a_lesson_can_be_named_by_its_number(given: object) -> None:
    """The number is what counts."""
    assert lesson_key(given) == "07"  # type: ignore[arg-type]


def test_an_unknown_lesson_lists_the_ones_there_are() -> None:
    """A typo gets the list of lessons."""
    with pytest.raises(ConfigurationError, match="Lessons: 00, 01"):
        course_plan("42")


def test_the_prices_sources_are_listed_once_per_course() -> None:
    """The first priced lesson's plan and the whole course's list the sources; later lessons
    point there in one line instead of repeating the block."""
    from ecslab.account.plan import course_plan, first_priced_lesson

    first = first_priced_lesson()
    assert first == "02"
    assert "  Fargate Linux/x86 vCPU" in str(course_plan(first))
    assert "  Fargate Linux/x86 vCPU" in str(course_plan())
    later = str(course_plan("06_cicd")).splitlines()
    assert later[-1].endswith(
        "Sources: listed once, in lesson 02's plan (lab.plan('02')) and by lab.plan()."
    )
    assert not any("Fargate Linux/x86 vCPU" in line for line in later)


def test_a_standalone_tasks_public_ip_is_read_from_its_network_interface() -> None:
    """DescribeTasks shows no public IP (only the ENI's ID), so EC2 is asked for the ENI's
    Association.PublicIp; an interface already gone counts as none."""
    from botocore.exceptions import ClientError

    from ecslab.account.cost import _task_public_ip

    task = {"attachments": [{"details": [{"name": "networkInterfaceId", "value": "eni-1"}]}]}

    class EC2:
        def __init__(self, association: dict | None, gone: bool = False) -> None:
            self.association, self.gone = association, gone

        def describe_network_interfaces(self, NetworkInterfaceIds: list[str]) -> dict:
            assert NetworkInterfaceIds == ["eni-1"]
            if self.gone:
                error = {"Error": {"Code": "InvalidNetworkInterfaceID.NotFound", "Message": ""}}
                raise ClientError(error, "DescribeNetworkInterfaces")
            return {"NetworkInterfaces": [{"Association": self.association}]}

    assert _task_public_ip(task, EC2({"PublicIp": "3.80.0.1"}))
    assert not _task_public_ip(task, EC2(None))
    assert not _task_public_ip(task, EC2(None, gone=True))
    assert not _task_public_ip({"attachments": []}, EC2({"PublicIp": "3.80.0.1"}))
