"""How long the learner waits for a picture of the account, and how many calls it costs.

Run: ``.venv/bin/python benchmarks/bench_views.py [repeats]``. Three figures:

1. the course's world (``catch_up(lab, "06_cicd")``: two services stable behind one ALB):
   snapshot + graph + DOT + SVG, warm, with the render cache cleared each time (the cost of a
   picture that changed); goal under 150 ms;
2. the first ``lab.diagram().svg()`` in a fresh process, that world already built; goal under 1 s;
3. a world of 50 services and 500 tasks (each service with its target group and path rule):
   snapshot + render time (goal under 2 s) and the snapshot's calls against AWS's bound.

Last run (2 cores, Linux x86_64, graphviz-pure, no system dot) is noted in the report that
accompanies this file's change; run it again for current figures.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from views_world import add_service, build_network, settle, target_group  # noqa: E402

from ecslab.course.catch_up import catch_up  # noqa: E402
from ecslab.lab import Lab  # noqa: E402
from ecslab.views import render  # noqa: E402
from ecslab.views.inventory import Inventory, call_bound  # noqa: E402

FIRST_RENDER = """
import time
from ecslab.course.catch_up import catch_up
from ecslab.lab import Lab
with Lab() as lab:
    catch_up(lab, "06_cicd")
    start = time.perf_counter()
    lab.diagram().svg()
    print(time.perf_counter() - start)
"""


def course_warm(repeats: int) -> tuple[float, float]:
    with Lab() as lab:
        catch_up(lab, "06_cicd")
        lab.diagram().svg()
        changed, unchanged = [], []
        for _ in range(repeats):
            render._render.cache_clear()
            start = time.perf_counter()
            lab.diagram().svg()
            changed.append(time.perf_counter() - start)
            start = time.perf_counter()
            lab.diagram().svg()
            unchanged.append(time.perf_counter() - start)
        return statistics.median(changed), statistics.median(unchanged)


def first_render(repeats: int) -> float:
    times = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", FIRST_RENDER], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"the fresh process failed:\n{done.stderr}")
        times.append(float(done.stdout.split()[-1]))
    return statistics.median(times)


def big_world() -> None:
    with Lab() as lab:
        network = build_network(lab.client)
        lab.client("ecs").create_cluster(clusterName="course")
        elbv2 = lab.client("elbv2")
        alb = elbv2.create_load_balancer(
            Name="big", Subnets=network["subnets"], SecurityGroups=[network["group"]]
        )["LoadBalancers"][0]["LoadBalancerArn"]
        groups = [target_group(lab.client, network, f"tg{i:02}") for i in range(50)]
        listener = elbv2.create_listener(
            LoadBalancerArn=alb,
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": groups[0]}],
        )["Listeners"][0]["ListenerArn"]
        for i, group in enumerate(groups):
            elbv2.create_rule(
                ListenerArn=listener,
                Priority=i + 1,
                Conditions=[{"Field": "path-pattern", "Values": [f"/s{i:02}/*"]}],
                Actions=[{"Type": "forward", "TargetGroupArn": group}],
            )
            add_service(lab.client, network, f"s{i:02}", tasks=10, target_group_arn=group)
        settle(lab.client)
        inventory = Inventory(lab.client)
        start = time.perf_counter()
        snapshot = inventory.snapshot()
        snap_time = time.perf_counter() - start
        start = time.perf_counter()
        diagram = lab.diagram()
        drawn = time.perf_counter()
        svg = diagram.svg()
        total = time.perf_counter() - start
        rendered = total - (drawn - start)
        bound = call_bound(snapshot)
        print(
            f"50 services / {len(snapshot.tasks)} tasks: snapshot {snap_time * 1000:.0f} ms, "
            f"snapshot + graph + render {total * 1000:.0f} ms (render {rendered * 1000:.0f} ms), "
            f"{len(svg) // 1024} KB SVG"
        )
        print(f"  calls {inventory.total_calls}, AWS bound {sum(bound.values())}; by operation:")
        for operation in sorted(bound | inventory.calls):
            print(
                f"    {operation:24s} {inventory.calls[operation]:4d}  bound {bound[operation]:4d}"
            )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"renderer: {render.find_renderer().name}")
    changed, unchanged = course_warm(repeats * 4)
    print(
        f"course world, warm: snapshot + render {changed * 1000:.1f} ms "
        f"(unchanged picture, cached render: {unchanged * 1000:.1f} ms)"
    )
    print(f"first lab.diagram().svg() in a fresh process: {first_render(repeats) * 1000:.0f} ms")
    big_world()


if __name__ == "__main__":
    main()
