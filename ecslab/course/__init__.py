"""The course as files: the lesson notebooks, and the student versions made from them."""
