"""The lesson diagrams: every DOT source in diagrams/ has its SVG, drawn from the current source."""

from __future__ import annotations

import base64
import re
import shutil
import sys

import pytest

from ecslab.cli import main
from ecslab.errors import ConfigurationError
from ecslab.views import concepts

EXPECTED = {
    "01-big-picture",
    "02-ecs-fargate-ec2",
    "03-taskdef-service-tasks",
    "04-alb-fanout",
    "05-cicd-flow",
    "06-secrets-build-vs-run",
}


def test_every_lesson_diagram_has_a_source():
    """The six pictures of the lesson material are all there (a walk that finds none fails)."""
    assert {p.stem for p in concepts.sources()} >= EXPECTED


def test_committed_svgs_are_up_to_date():
    """Each committed SVG is exactly what its DOT source draws now (run `ecslab diagrams`)."""
    assert concepts.stale() == []


def test_the_command_redraws_an_edited_source(tmp_path, capsys):
    """Edit a source: --check reports it, `ecslab diagrams` redraws it, --check is happy again."""
    folder = tmp_path / "diagrams"
    shutil.copytree(concepts.DIAGRAMS, folder)
    source = folder / "04-alb-fanout.dot"
    source.write_text(source.read_text().replace("course-alb", "edited-alb"))

    assert main(["diagrams", "--check", "--directory", str(folder)]) == 1
    assert "out of date: 04-alb-fanout.svg" in capsys.readouterr().out
    assert main(["diagrams", "--directory", str(folder)]) == 0
    assert "drew 04-alb-fanout.svg" in capsys.readouterr().out
    assert "edited&#45;alb" in (folder / "04-alb-fanout.svg").read_text()
    assert main(["diagrams", "--check", "--directory", str(folder)]) == 0


def test_an_empty_folder_is_an_error(tmp_path, capsys):
    """No sources is a mistake to report, not a success."""
    assert main(["diagrams", "--check", "--directory", str(tmp_path)]) == 1
    assert "No .dot files" in capsys.readouterr().err


def _source(name: str) -> str:
    return (concepts.DIAGRAMS / f"{name}.dot").read_text()


def test_the_big_picture_agrees_with_the_course():
    """ECR is a service of the learner's account, and users reach the ALB over HTTP on 80 (the
    course's listener), not HTTPS."""
    source = _source("01-big-picture")
    account = source.split("subgraph cluster_aws", 1)[1].split("}", 1)[0]
    assert "ecr [" in account
    assert "HTTPS" not in source and 'users -> alb [label="HTTP :80"]' in source


def test_the_alb_and_task_diagrams_use_the_courses_names_and_sizes():
    """Health check paths, target groups, sizes and port as ecslab.course.catch_up builds them."""
    from ecslab.course import catch_up as course

    catch_up = sys.modules[course.__module__]

    fanout = _source("04-alb-fanout")
    for name, path in catch_up.HEALTH_PATHS.items():
        assert f"target group {name}\\nHTTP :{catch_up.PORTS[name]}\\nhealth check {path}" in fanout
    assert "/api/health" not in fanout
    cpu, memory = catch_up.SIZES["web"]
    size = f"{cpu // 1024} vCPU · {memory // 1024} GB"
    recipe = _source("03-taskdef-service-tasks")
    assert recipe.count(size) == 2 and f"port {catch_up.PORTS['web']}" in recipe


def test_every_lesson_diagram_fits_a_laptop_notebook():
    """At most 640 pt (853 px) wide: shown at its size in a notebook at a 1280 px window, or
    scaled a little, its 11 pt labels stay above 9 px."""
    for svg in concepts.DIAGRAMS.glob("*.svg"):
        width = float(re.search(r'<svg width="([0-9.]+)pt"', svg.read_text()).group(1))
        assert width <= 640, f"{svg.name} is {width} pt wide"


def test_a_lesson_shows_a_diagram_as_a_picture_any_viewer_shows():
    """concept(name): an <img> of the committed SVG (JupyterLab shows it untrusted), its title
    as text; an unknown name lists the known ones."""
    shown = concepts.concept("04-alb-fanout")
    bundle = shown._repr_mimebundle_()

    assert set(bundle) == {"text/html", "text/plain"}
    encoded = bundle["text/html"].split("base64,", 1)[1].split('"', 1)[0]
    committed = (concepts.DIAGRAMS / "04-alb-fanout.svg").read_text()
    assert base64.b64decode(encoded).decode() == committed[committed.index("<svg") :]
    assert bundle["text/plain"] == (
        "<Concept diagram 04-alb-fanout: "
        "ALB fan-out: path rules send each request to one target group>"
    )
    with pytest.raises(ConfigurationError, match="01-big-picture"):
        concepts.concept("07-nothing")
