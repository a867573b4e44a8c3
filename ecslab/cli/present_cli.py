"""``ecslab present --learner NAME``: one learner's account, drawn live, for the room's projector
(the page itself: :mod:`ecslab.views.present`)."""

from __future__ import annotations

import argparse
import os
from http.server import HTTPServer

from ecslab.views.present import Presenter, handler


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--learner", required=True, help="whose account to show (their name)")
    parser.add_argument(
        "--endpoint-url",
        default=os.environ.get("ECSLAB_ENDPOINT_URL"),
        help="the workshop server (default: $ECSLAB_ENDPOINT_URL)",
    )
    parser.add_argument("--port", type=int, default=8765, help="the page's port (%(default)s)")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between redraws")


def run(args: argparse.Namespace) -> int:
    from ecslab.lab import Lab

    with Lab(backend="server", endpoint_url=args.endpoint_url, learner=args.learner) as lab:
        presenter = Presenter(lab, every=max(args.every, 0.5))
        server = HTTPServer(("127.0.0.1", args.port), handler(presenter))
        print(f"{presenter.title}: open http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0
