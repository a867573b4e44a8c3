"""The live diagram: redrawn after each cell, changes highlighted, free when nothing changed."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
from IPython.core.events import EventManager, available_events
from views_world import build_course_world, settle

from ecslab.views import diagram as diagram_module
from ecslab.views.lab_views import views_of


@pytest.fixture
def shell():
    """Just enough of IPython for post_run_cell: its real event manager."""
    return SimpleNamespace(events=EventManager(None, available_events))


@pytest.fixture
def course(lab):
    world = build_course_world(lab.client)
    settle(lab.client)
    return SimpleNamespace(lab=lab, world=world, ecr=lab.client("ecr"))


def run_cell(shell):
    shell.events.trigger("post_run_cell", SimpleNamespace(error_before_exec=None))


def test_a_cell_that_adds_something_redraws_with_it_highlighted(course, shell):
    """After a cell creates a repository, the widget shows it as new."""
    live = views_of(course.lab).live(ipython=shell)
    shown = live.widget.value

    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)

    assert live.widget.value != shown
    assert live.widget.value.startswith('<div style="max-width: 100%; overflow-x: auto"><svg')
    assert live.widget.value.endswith("(1 added)</div>")
    assert "ECR repository worker (new)" in live.widget.value
    assert "repo:worker" in live.diagram.changes.added


def test_removed_resources_stay_as_ghosts_for_one_cell(course, shell):
    """A deleted repository is drawn as removed after the cell that deleted it, then leaves."""
    course.ecr.create_repository(repositoryName="old")
    live = views_of(course.lab).live(ipython=shell)

    course.ecr.delete_repository(repositoryName="old")
    run_cell(shell)
    assert "(removed)" in live.widget.value

    run_cell(shell)
    assert "(removed)" not in live.widget.value
    assert "repository old" not in live.widget.value


def test_a_cell_that_changes_nothing_does_not_render(course, shell, monkeypatch):
    """No change: one snapshot, one comparison, no DOT and no renderer."""
    live = views_of(course.lab).live(ipython=shell)
    redraws = live.redraws
    monkeypatch.setattr(diagram_module, "to_dot", lambda *a, **k: pytest.fail("drew again"))

    run_cell(shell)
    run_cell(shell)

    assert live.redraws == redraws


def test_a_cell_that_touches_nothing_does_not_even_read_the_account(course, shell):
    """In-process the lab knows no call changed anything and no time passed: no snapshot; the
    previous cell's highlights are cleared all the same."""
    views = views_of(course.lab)
    live = views.live(ipython=shell)
    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)
    assert "repo:worker" in live.diagram.changes.added
    views.snapshot = lambda: pytest.fail("read the account although nothing changed")

    run_cell(shell)

    assert not live.diagram.changes.added
    assert "ECR repository worker (new)" not in live.widget.value


def test_stop_turns_the_redrawing_off(course, shell):
    """After stop() a cell's changes do not reach the picture; a new live() stops the old."""
    views = views_of(course.lab)
    live = views.live(ipython=shell)
    live.stop()
    shown = live.widget.value

    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)

    assert live.widget.value == shown
    assert not live.enabled
    second = views.live(ipython=shell)
    third = views.live(ipython=shell)
    assert not second.enabled and third.enabled
    assert views.live(enabled=False) is None and not third.enabled
    assert shell.events.callbacks["post_run_cell"] == []


def test_notebook_output_is_the_widget_an_svg_and_stable_text(course, shell):
    """The cell shows the widget, an SVG for static viewers, and text without addresses."""
    live = views_of(course.lab).live(ipython=shell)

    bundle = live._repr_mimebundle_()

    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/svg+xml"].startswith("<?xml")
    assert bundle["text/plain"].startswith("<Live Diagram: 1 cluster, 1 load balancer, 2 rules")
    assert bundle["text/plain"].endswith("redraws after every cell; .stop() turns it off>")
    assert "0x" not in bundle["text/plain"]


def test_without_ipywidgets_the_diagram_is_static(course, shell, monkeypatch):
    """No ipywidgets: a static SVG, no hook, and the command that brings the live one."""
    monkeypatch.setitem(sys.modules, "ipywidgets", None)

    live = views_of(course.lab).live(ipython=shell)

    assert live.widget is None and not live.enabled
    assert shell.events.callbacks["post_run_cell"] == []
    bundle = live._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert "pip install ipywidgets" in bundle["text/plain"]


def test_a_failing_snapshot_stops_the_live_diagram_without_failing_the_cell(course, shell):
    """If the account cannot be read, the widget says so and stops; the cell is unharmed."""
    views = views_of(course.lab)
    live = views.live(ipython=shell)

    def broken():
        raise RuntimeError("endpoint gone")

    views.snapshot = broken
    course.lab.advance(1)  # the account may have changed, so the next cell reads it
    run_cell(shell)

    assert "The live diagram stopped:</b> RuntimeError: endpoint gone" in live.widget.value
    assert not live.enabled


def test_lab_verbs_draw_the_account(course, tmp_path):
    """lab.diagram(), lab.diagram(focus=...), lab.snapshot() and save() as a learner uses them."""
    lab = course.lab

    assert [s.name for s in lab.snapshot().services] == ["api", "web"]
    assert "service:course/web" not in lab.diagram(focus="api").graph.ids
    assert lab.diagram().save(tmp_path / "lab.dot").read_text().count("service ") == 2


def test_opening_a_lab_loads_no_drawing_code():
    """graphviz, ipywidgets and the views load on the first picture, not with ecslab."""
    import subprocess

    probe = (
        "import sys, ecslab, ecslab.lab; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('graphviz', 'ipywidgets') "
        "or m.startswith('ecslab.views')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"
