"""The lesson diagrams: every DOT source in diagrams/ has its SVG, drawn from the current source."""

from __future__ import annotations

import shutil

from ecslab.cli import main
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
