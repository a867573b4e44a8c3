"""The live diagram: redrawn after each cell, changes highlighted, free when nothing changed."""

from __future__ import annotations

import base64
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


def shown(live) -> str:
    """The SVG text inside the live display's <img>, as the browser decodes it."""
    encoded = live.html().split("base64,", 1)[1].split('"', 1)[0]
    return base64.b64decode(encoded).decode()


@pytest.fixture
def updates(monkeypatch):
    """The update_display calls the live diagram sends, as (bundle, display_id)."""
    sent = []
    monkeypatch.setattr(
        "IPython.display.update_display",
        lambda bundle, raw, display_id: sent.append((bundle, display_id)),
    )
    return sent


def test_a_cell_that_adds_something_redraws_with_it_highlighted(course, shell):
    """After a cell creates a repository, the picture shows it as new."""
    live = views_of(course.lab).live(ipython=shell)
    before = live.html()

    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)

    assert live.html() != before
    assert live.html().startswith('<div class="ecslab-live"><img class="ecslab-diagram"')
    assert live.html().endswith("(1 added)</div></div>")
    assert "\n" not in live.html()  # one line: tests/nbval-sanitize.cfg folds it whole
    assert "ECR repository worker (new)" in shown(live)
    assert "repo:worker" in live.diagram.changes.added


def test_removed_resources_stay_as_ghosts_for_one_cell(course, shell):
    """A deleted repository is drawn as removed after the cell that deleted it, then leaves."""
    course.ecr.create_repository(repositoryName="old")
    live = views_of(course.lab).live(ipython=shell)

    course.ecr.delete_repository(repositoryName="old")
    run_cell(shell)
    assert "(removed)" in shown(live)

    run_cell(shell)
    assert "(removed)" not in shown(live)
    assert "repository old" not in shown(live)


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
    assert "ECR repository worker (new)" not in shown(live)


def test_each_redraw_replaces_the_display_where_it_stands(course, shell, updates, capsys):
    """Shown once, the picture is a display with an id; a cell that changes the account sends
    update_display for that id (so the saved notebook holds the last picture), one that
    changes nothing sends nothing."""
    live = views_of(course.lab).live(ipython=shell)
    live._ipython_display_()
    capsys.readouterr()

    run_cell(shell)
    assert updates == []
    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)

    ((bundle, display_id),) = updates
    assert display_id == live.display_id
    assert bundle == {"text/html": live.html(), "text/plain": repr(live)}


def test_stop_turns_the_redrawing_off(course, shell):
    """After stop() a cell's changes do not reach the picture; a new live() stops the old."""
    views = views_of(course.lab)
    live = views.live(ipython=shell)
    live.stop()
    before = live.html()

    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)

    assert live.html() == before
    assert not live.enabled
    second = views.live(ipython=shell)
    third = views.live(ipython=shell)
    assert not second.enabled and third.enabled
    assert views.live(enabled=False) is None and not third.enabled
    assert shell.events.callbacks["post_run_cell"] == []


def test_teardown_leaves_the_picture_of_what_was_built(course, shell):
    """lab.teardown() stops the live diagram first: after Run All it still shows the lesson's
    built state, and says so; the teardown's report lists what went."""
    live = views_of(course.lab).live(ipython=shell)
    built = live.diagram.graph

    report = course.lab.teardown()
    run_cell(shell)

    assert "deleted ecs-service api" in str(report)
    assert live.diagram.graph == built and not live.enabled
    assert "before lab.teardown()" in live.html()
    assert repr(live).endswith(
        "stopped: the account as the lesson built it, before lab.teardown()>"
    )


def test_notebook_output_is_a_picture_and_stable_text(course, shell):
    """The cell shows HTML (an <img>, shown even untrusted) and text without addresses."""
    live = views_of(course.lab).live(ipython=shell)

    bundle = live._repr_mimebundle_()

    assert set(bundle) == {"text/html", "text/plain"}
    assert 'src="data:image/svg+xml;base64,' in bundle["text/html"]
    assert bundle["text/plain"].startswith("<Live Diagram: 1 cluster, 1 load balancer, 2 rules")
    assert bundle["text/plain"].endswith("redraws after every cell; .stop() turns it off>")
    assert "0x" not in bundle["text/plain"]


def test_beside_opens_a_side_panel_that_follows_the_cells(course, shell, capsys):
    """lab.live(beside=True): a sidecar panel in JupyterLab whose HTML widget is redrawn too."""
    from sidecar import Sidecar

    live = views_of(course.lab).live(ipython=shell, beside=True)
    panel, widget = live.panel
    capsys.readouterr()

    assert isinstance(panel, Sidecar) and panel.title == "Live diagram"
    assert widget.value == live.html()
    course.ecr.create_repository(repositoryName="worker")
    run_cell(shell)
    assert widget.value == live.html() and "ECR repository worker (new)" in shown(live)


def test_without_sidecar_beside_says_how_to_get_it(course, shell, monkeypatch):
    """No sidecar package: the inline picture still redraws; its text names the command."""
    monkeypatch.setitem(sys.modules, "sidecar", None)

    live = views_of(course.lab).live(ipython=shell, beside=True)

    assert live.panel is None and live.enabled
    assert "no side panel: pip install sidecar" in repr(live)


def test_a_failing_snapshot_stops_the_live_diagram_without_failing_the_cell(course, shell):
    """If the account cannot be read, the picture says so and stops; the cell is unharmed."""
    views = views_of(course.lab)
    live = views.live(ipython=shell)

    def broken():
        raise RuntimeError("endpoint gone")

    views.snapshot = broken
    course.lab.advance(1)  # the account may have changed, so the next cell reads it
    run_cell(shell)

    assert "The live diagram stopped: RuntimeError: endpoint gone" in live.html()
    assert not live.enabled


@pytest.mark.parametrize(
    ("status", "error", "why"),
    [(504, None, "HTTP 504"), (None, "connection timed out", "connection timed out")],
)
def test_a_blocked_request_is_drawn_red(course, status, error, why):
    """A request that got no answer from a target (the ALB's 504, or no status and an error)
    draws its path red and says why; an answered one draws it purple."""
    lab = course.lab
    answer = lab.request("/api/health")
    assert not lab.diagram().blocked and 'users [label=users color="#7b1fa2"' in lab.diagram().dot
    lab.last_request = SimpleNamespace(**{**vars(answer), "status": status, "error": error})

    diagram = lab.diagram()

    assert diagram.blocked == why
    assert diagram.describe().endswith(f"last request blocked: {why}")
    assert 'users [label=users color="#c62828"' in diagram.dot
    assert 'users [label=users color="#7b1fa2"' not in diagram.dot


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
