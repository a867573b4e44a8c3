"""ecslab's own errors, in one tree.

AWS failures never appear here: they leave as botocore's ``ClientError`` with AWS's error code and
message, exactly as a learner's own code would see them. These are the errors of the toolkit
itself, each with a sentence that says what to do::

    EcslabError
    ├── ConfigurationError      a bad argument or setting (unknown backend, missing endpoint, ...)
    │   └── NoLoadBalancer      ``lab.request(path)`` in an account without a load balancer
    ├── BackendUnavailable      the chosen backend cannot be reached or used
    │   ├── RealAwsNotConfirmed a real account was asked for without the explicit opt-in
    │   └── ServerBusy          the ecslab server is up but did not answer in time
    ├── ServerError             the ecslab server answered with an error of its own (HTTP 5xx)
    ├── NotSupportedError       the verb is not available on this backend
    │   └── NotInBrowser        it cannot work in the browser edition (``ecslab.pyodide_platform``)
    ├── ClockError              the virtual clock was asked to go backwards
    ├── NetworkBlocked          the simulated backend stopped a request bound off this machine
    ├── ServiceNotStable        a wait ended without its condition (``lab.wait_stable``)
    ├── RenderError             no renderer could draw a diagram (``lab.diagram()``)
    ├── FaultError              a ``lab.faults`` lever cannot act as asked
    │   ├── NoRunningTask       ``kill_task`` named no running task of this account
    │   └── UnknownFault        no lever has that name
    └── AnswerError             a quiz answer in a form the question cannot read

Every one is defined here and exported from ``ecslab`` (``tests/test_errors.py`` holds this tree
to the classes).
"""

from __future__ import annotations


class EcslabError(Exception):
    """Base class of every error ecslab raises on its own account."""


class ConfigurationError(EcslabError, ValueError):
    """An argument, environment variable or file that ecslab cannot use as given."""


class NoLoadBalancer(ConfigurationError, LookupError):
    """``lab.request`` was given a path, and the account has no Application Load Balancer to
    send it to (the same error in the simulated world, on the server and on a real account)."""


class BackendUnavailable(EcslabError):
    """The chosen backend cannot be reached or used right now."""


class RealAwsNotConfirmed(BackendUnavailable):
    """A real AWS account was asked for without ``confirm=True`` or ``ECSLAB_ALLOW_REAL_AWS=1``."""


class ServerBusy(BackendUnavailable):
    """The ecslab server accepted the connection but did not answer within the wait."""


class ServerError(EcslabError):
    """The ecslab server answered a control request with an error of its own (HTTP 5xx)."""


class NotSupportedError(EcslabError):
    """The verb exists only in the simulated backends (or only on a real account)."""


class NotInBrowser(NotSupportedError):
    """The browser edition cannot do this: no threads, subprocesses or sockets in a web page."""


class ClockError(EcslabError, ValueError):
    """The virtual clock only moves forward."""


class NetworkBlocked(EcslabError):
    """A request would have left the machine while the lab simulates AWS in this process."""


class ServiceNotStable(EcslabError, TimeoutError):
    """A wait ended without its condition: too slow, or the resource went away or failed."""


class RenderError(EcslabError):
    """No renderer could draw the diagram (none installed, or it rejected the DOT text)."""


class FaultError(EcslabError):
    """A ``lab.faults`` lever cannot act as asked."""


class NoRunningTask(FaultError, LookupError):
    """``lab.faults.kill_task`` named a task that is not running in this account."""


class UnknownFault(FaultError, ValueError):
    """A fault was asked for by a name no lever has (only a hand-made control request can)."""


class AnswerError(EcslabError, ValueError):
    """An answer given in a form the question cannot read (a number for a letter, two for one)."""
