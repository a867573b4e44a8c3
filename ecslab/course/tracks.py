"""Tracks: which lessons a course of a given length covers, in what order, for how long.

The one place the course's timings live. ``full`` is every lesson at the time its header
states (a test keeps the two in step); the shorter tracks keep the journey whole by starting
later lessons from :func:`ecslab.course.catch_up`, which rebuilds what the skipped lessons
built. ``ecslab student --track workshop-3h`` writes a track's lessons and its agenda.

A track's minutes add up to its length: the lessons' times plus its breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecslab.course.catch_up import LESSONS

BREAK = "break"
QUESTIONS = "questions and wrap-up"

#: Minutes per lesson, as each lesson's header says ("**Time:** 20 minutes").
LESSON_MINUTES = {
    "00_big_picture": 20,
    "01_ecr": 30,
    "02_ecs_fargate": 25,
    "03_task_definitions": 35,
    "04_services": 30,
    "05_alb": 40,
    "06_cicd": 40,
    "07_secrets": 35,
    "08_troubleshooting": 75,
    "09_capstone": 40,
}

#: The lessons that open with ``catch_up(lab, <lesson>)``: they need what earlier ones built.
#: The others start from an empty account (09, the capstone, builds everything itself).
STARTS_WITH_CATCH_UP = frozenset(
    {"03_task_definitions", "04_services", "05_alb", "06_cicd", "07_secrets", "08_troubleshooting"}
)

LESSON_TITLES = {
    "00_big_picture": "The big picture",
    "01_ecr": "ECR, where images are kept",
    "02_ecs_fargate": "ECS and Fargate",
    "03_task_definitions": "Task definitions",
    "04_services": "Services",
    "05_alb": "ALB and target groups",
    "06_cicd": "CI/CD: git push to a rolling deployment",
    "07_secrets": "Secrets",
    "08_troubleshooting": "Troubleshooting",
    "09_capstone": "Capstone",
}


@dataclass(frozen=True)
class Slot:
    """One line of an agenda: a lesson (or a break, or questions) and its minutes."""

    item: str
    minutes: int

    @property
    def is_lesson(self) -> bool:
        return self.item in LESSON_MINUTES


@dataclass(frozen=True)
class Track:
    """A named selection of lessons with a length in minutes."""

    name: str
    title: str
    minutes: int
    slots: tuple[Slot, ...]
    note: str = ""

    @property
    def lessons(self) -> list[str]:
        return [slot.item for slot in self.slots if slot.is_lesson]

    def agenda(self) -> str:
        """The track as a Markdown agenda: start times, lessons, how each lesson begins."""
        lines = [
            f"# {self.title}",
            "",
            f"{len(self.lessons)} lessons, {_duration(self.minutes)} in all. {self.note}".rstrip(),
            "",
            "| starts | lesson | minutes | it begins with |",
            "|---|---|---|---|",
        ]
        start = 0
        for slot in self.slots:
            if slot.is_lesson:
                name = f"[{slot.item[:2]} {LESSON_TITLES[slot.item]}]({slot.item}.ipynb)"
                opens = (
                    f'`catch_up(lab, "{slot.item}")`: what the lessons before it built'
                    if slot.item in STARTS_WITH_CATCH_UP
                    else "an empty account"
                )
            else:
                name, opens = slot.item, ""
            lines.append(f"| {_clock(start)} | {name} | {slot.minutes} | {opens} |")
            start += slot.minutes
        lines += [
            f"| {_clock(start)} | end | | |",
            "",
            "Each lesson can start on its own: run its set-up cells first. After a kernel restart,",
            "run the set-up cells again (they open a fresh lab and, where shown, catch up).",
            "",
        ]
        return "\n".join(lines)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if hours and rest else f"{hours} h" if hours else f"{rest} min"


def _slots(*items: str | tuple[str, int]) -> tuple[Slot, ...]:
    """Lessons at their own time; ``(BREAK, minutes)`` and the like for the rest."""
    return tuple(
        Slot(*item) if isinstance(item, tuple) else Slot(item, LESSON_MINUTES[item])
        for item in items
    )


TRACKS: dict[str, Track] = {
    track.name: track
    for track in (
        Track(
            "full",
            "The full course",
            sum(LESSON_MINUTES.values()),
            _slots(*LESSONS),
            "Self-paced, or two half-days with breaks of your choosing.",
        ),
        Track(
            "workshop-3h",
            "A 3-hour workshop: task definitions to a rolling deployment",
            180,
            _slots(
                "00_big_picture",
                "03_task_definitions",
                "04_services",
                (BREAK, 10),
                "05_alb",
                "06_cicd",
                (QUESTIONS, 5),
            ),
            "ECR is met in lesson 06's first step; lessons 01, 02 and 07-09 are for afterwards.",
        ),
        Track(
            "taster-90m",
            "A 90-minute taster: an app behind a load balancer",
            90,
            _slots("00_big_picture", "04_services", "05_alb"),
            "Lesson 04 starts from what lessons 01-03 built.",
        ),
    )
}


def track(name: str) -> Track:
    """The track called ``name``; one plain sentence naming the others when there is none."""
    if name not in TRACKS:
        from ecslab.errors import ConfigurationError

        raise ConfigurationError(f"No track {name!r}. The tracks: {', '.join(TRACKS)}.")
    return TRACKS[name]
