"""The workshop server (``ecslab server``): one simulated AWS for a room of learners.

:mod:`~ecslab.workshop.app` is the WSGI application (moto's server with the learners' worlds and
the ``/_ecslab/`` control routes) and :func:`~ecslab.workshop.app.serve`; each learner's account
has a world and a clock of its own in :mod:`~ecslab.workshop.room`; requests are kept in an SQLite
journal and replayed on start (:mod:`~ecslab.workshop.journal`); every learner gets one access key
(:mod:`~ecslab.workshop.identity`); the instructor's page is :mod:`~ecslab.workshop.room_page` and
the start-up lines :mod:`~ecslab.workshop.banner`. The command itself is
:mod:`ecslab.cli.server_cli`.
"""
