"""Secret values never shown: masked in outputs, logs, diagrams, exception messages and reprs.

The lab knows which strings are secret: the course's example values
(:mod:`ecslab.account.course_secrets`) and every value that passes through the lab's sessions on
its way into or out of Secrets Manager (``SecretString``) or SSM (a ``SecureString`` parameter's
``Value``), which :class:`SecretWatcher` remembers. :func:`mask` replaces any of them in a text;
:func:`mask_data` does the same through dicts and lists, and also hides the fields AWS uses for
secret material whatever their value. Views (diagrams, inventories) call these before they show
anything; :class:`MaskingLogFilter` does it for log records.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import Any

from ecslab.account.course_secrets import COURSE_SECRETS

MASK = "********"
#: Shorter values are not remembered: masking every "abc" in every output would hide too much.
MIN_LENGTH = 4
#: Fields that hold secret material in AWS's answers and requests, whatever the value.
SECRET_FIELDS = frozenset({"SecretString", "SecretBinary", "SecretAccessKey", "SessionToken"})

_known: set[str] = set(COURSE_SECRETS)


def remember(value: str | bytes | None) -> None:
    """Treat ``value`` as secret from now on (in this process)."""
    if isinstance(value, bytes):
        value = value.decode(errors="ignore")
    if isinstance(value, str) and len(value) >= MIN_LENGTH:  # AWS refuses other types anyway
        _known.add(value)


def known_secrets() -> frozenset[str]:
    return frozenset(_known)


def mask(text: str, secrets: Iterable[str] | None = None) -> str:
    """``text`` with every known secret value (and any in ``secrets``) replaced by ``********``."""
    values = set(_known if secrets is None else [*_known, *secrets])
    for value in sorted(values, key=len, reverse=True):  # longest first: no half-masked values
        if value and value in text:
            text = text.replace(value, MASK)
    return text


def mask_data(data: Any) -> Any:
    """A copy of ``data`` (dicts, lists, strings) with secrets masked and secret fields hidden."""
    if isinstance(data, str):
        return mask(data)
    if isinstance(data, dict):
        masked = {}
        for key, value in data.items():
            secure = key == "Value" and data.get("Type") == "SecureString"
            masked[key] = MASK if (key in SECRET_FIELDS or secure) and value else mask_data(value)
        return masked
    if isinstance(data, list | tuple):
        return type(data)(mask_data(item) for item in data)
    return data


def masked_error(error: BaseException) -> BaseException:
    """``error`` with secret values masked in its message (its arguments) and, for botocore's
    ``ClientError``, in the AWS answer it carries (``error.response``)."""
    error.args = tuple(mask(a) if isinstance(a, str) else a for a in error.args)
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        error.response = mask_data(response)  # type: ignore[attr-defined]
    return error


class MaskingLogFilter(logging.Filter):
    """Masks secret values in each log record's message; for a handler or logger of your own."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _mask_record(record: logging.LogRecord) -> None:
    message = record.getMessage()
    masked = mask(message)
    if masked != message:
        record.msg, record.args = masked, None


#: How many open labs want masking; the first installs it, the last one to close removes it.
_factory_users = 0


def start_log_masking() -> None:
    """Mask every log record made in this process from now on (the lab calls it on open).

    A record factory rather than a filter: a logger's filter misses the records its children
    propagate, and handlers added later would not have it. The factory is a process-wide change,
    so it goes through the patch registry (:data:`~ecslab.world.patches.PATCHES`, held by the
    labs), which puts the previous factory back when the last lab closes.
    """
    from ecslab.world.patches import LABS, PATCHES

    global _factory_users
    _factory_users += 1
    if _factory_users > 1:
        return
    original = logging.getLogRecordFactory()

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = original(*args, **kwargs)
        _mask_record(record)
        return record

    logging.setLogRecordFactory(masking_factory)
    PATCHES.on_undo(
        lambda: logging.setLogRecordFactory(original), "log records masked", holder=LABS
    )


def stop_log_masking() -> None:
    """One lab fewer wants masking (the last one's :func:`stop_masking` undoes it)."""
    global _factory_users
    _factory_users = max(0, _factory_users - 1)


class SecretWatcher:
    """Remembers the secret values that pass through the given boto3 sessions.

    Requests: ``SecretString`` of CreateSecret, PutSecretValue and UpdateSecret; ``Value`` of an
    SSM PutParameter of type SecureString. Answers: GetSecretValue's ``SecretString``, and the
    decrypted ``Value`` of SecureString parameters from GetParameter(s).
    """

    def __init__(self) -> None:
        self._unique_id = f"ecslab-secret-watcher-{id(self)}"
        self._sessions: list[Any] = []

    def install(self, *sessions: Any) -> None:
        for session in sessions:
            if any(session is s for s in self._sessions):
                continue
            session.events.register(
                "before-parameter-build", self._request, unique_id=self._unique_id + "-request"
            )
            session.events.register(
                "after-call", self._answer, unique_id=self._unique_id + "-answer"
            )
            self._sessions.append(session)

    def uninstall(self) -> None:
        for session in self._sessions:
            session.events.unregister(
                "before-parameter-build", self._request, unique_id=self._unique_id + "-request"
            )
            session.events.unregister(
                "after-call", self._answer, unique_id=self._unique_id + "-answer"
            )
        self._sessions.clear()

    @staticmethod
    def _request(params: dict[str, Any], model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        if service == "secretsmanager" and model.name in {
            "CreateSecret",
            "PutSecretValue",
            "UpdateSecret",
        }:
            remember(params.get("SecretString"))
        elif (
            service == "ssm"
            and model.name == "PutParameter"
            and params.get("Type") == "SecureString"
        ):
            remember(params.get("Value"))

    @staticmethod
    def _answer(model: Any, parsed: dict[str, Any] | None = None, **_: Any) -> None:
        if not isinstance(parsed, dict):
            return
        service = model.service_model.service_name
        if service == "secretsmanager" and model.name == "GetSecretValue":
            remember(parsed.get("SecretString"))
        elif service == "ssm" and model.name in {"GetParameter", "GetParameters"}:
            found = parsed.get("Parameters") or [parsed.get("Parameter") or {}]
            for parameter in found:
                if parameter.get("Type") == "SecureString":
                    remember(parameter.get("Value"))


# -- exceptions shown in IPython / Jupyter --------------------------------------------------------


def _ipython_shell() -> Any:
    """The running IPython shell, if any (IPython is not imported when it is not loaded)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _masked_traceback(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None
) -> list[str]:
    """IPython's custom exception handler: it must show the traceback itself (``run_code`` only
    calls it), so it builds the usual one, masks it, and shows it the way the shell does (the
    kernel's ``_showtraceback`` sends it to the notebook)."""
    from ecslab.account.reruns import explain

    masked_error(value)
    explain(value)  # a create cell run twice: what AWS's answer means, under AWS's error
    lines = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    masked = [mask(line) for line in lines]
    shell._showtraceback(etype, value, masked)
    return masked


def start_exception_masking() -> bool:
    """In IPython, show every exception with secret values masked (message and source lines).

    Leaves the shell alone when another custom exception handler is already set; returns whether
    it installed its own.
    """
    from ecslab.world.patches import LABS, PATCHES

    shell = _ipython_shell()
    if shell is None or shell.custom_exceptions:
        return False
    shell.set_custom_exc((Exception,), _masked_traceback)
    PATCHES.on_undo(
        lambda: shell.set_custom_exc((), None), "IPython's tracebacks masked", holder=LABS
    )
    return True


def start_masking() -> None:
    """What a lab turns on when it opens: masked log records and masked exceptions."""
    start_log_masking()
    if _factory_users == 1:
        start_exception_masking()


def stop_masking() -> None:
    """Undo :func:`start_masking` once the last lab has closed: the registry puts back the
    record factory and IPython's own traceback."""
    from ecslab.world.patches import LABS, PATCHES

    stop_log_masking()
    if _factory_users == 0:
        PATCHES.undo_all(LABS)
