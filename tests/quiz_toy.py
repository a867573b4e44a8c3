"""A small bank with one question of each kind, for the quiz tests."""

from __future__ import annotations

from ecslab.quiz import Quiz

TOY_BANK = """
lesson: "99_toy"
title: "Toy"
max_attempts: 2
questions:
  - id: registry
    type: single
    prompt: "Which service stores images?"
    hint: "R for Registry."
    explanation: "ECR is the registry."
    choices:
      - {text: "ECR", correct: true, feedback: "Yes, the registry."}
      - {text: "ECS", feedback: "ECS runs containers; it stores no images."}
      - {text: "ALB", feedback: "The ALB routes requests."}
  - id: in-task-definition
    type: multiple
    prompt: "What is in a task definition?"
    explanation: "Image and size; the count is the service's."
    choices:
      - {text: "the image", correct: true, feedback: "Yes."}
      - {text: "cpu and memory", correct: true, feedback: "Yes."}
      - {text: "desired count", feedback: "That is the service's desiredCount."}
  - id: flow
    type: blanks
    prompt: "Push to ___, then update ___."
    explanation: "ECR stores, ECS runs."
    blanks:
      - accept: ["ECR"]
        feedback: "Images go to a registry."
        wrong: [{answers: ["ECS"], feedback: "ECS runs containers; it stores no images."}]
      - accept: ["ECS"]
        feedback: "Services live in ECS."
  - id: order
    type: ordering
    prompt: "In order:"
    explanation: "Build, push, deploy."
    steps:
      - {text: "build", why: "Nothing exists before the build."}
      - {text: "push", why: "Only a built image can be pushed."}
      - {text: "deploy", why: "Tasks pull the pushed image."}
  - id: match
    type: matching
    prompt: "Match:"
    explanation: "Each does one job."
    pairs:
      - {left: "stores images", right: "ECR", why: "A registry stores images."}
      - {left: "runs tasks", right: "ECS", why: "The orchestrator runs tasks."}
    distractors: ["S3"]
"""


def letter(quiz_: Quiz, number: int, text: str) -> str:
    """The label the learner sees next to ``text`` in question ``number``."""
    layout = quiz_[number].layout
    return layout.labels[layout.options.index(text)]
