"""The course as files and steps: catching up on earlier lessons, student versions."""

from ecslab.course.catch_up import catch_up

__all__ = ["catch_up"]
