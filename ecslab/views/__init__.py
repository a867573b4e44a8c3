"""The views wing: pictures of the account. It reads state and never changes it.

``inventory`` (one batched ``snapshot`` through boto3) → ``graph`` (nodes and edges as the learner
pictures them) → ``dot`` (Graphviz DOT text) → ``render`` (SVG/PNG without a system Graphviz) →
``diagram`` (what a notebook shows and a file saves) and ``live`` (redrawn after every cell).
``lab_views`` ties them to a ``Lab``; ``concepts`` renders the lesson diagrams in ``diagrams/``
(``concepts.concept`` shows one in a lesson); ``picture`` is the HTML every viewer shows.
"""
