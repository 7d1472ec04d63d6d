"""Log lines for people (``--log-format text``) next to bunyan JSON: same records, same redaction.

Issue 12 §5: on a terminal, logs are readable lines; JSON stays the format on the platform. Issue 12 §4:
the secrets and the pattern built from them live in a ``Redactor`` a logger is given, not in a
module-level regex.
"""

from __future__ import annotations

import io
import json
import logging as stdlib_logging
import os
import re

import pytest
from eiosdk import logging as sdk_logging
from eiosdk.logging import (
    BunyanHandler,
    Logger,
    Redactor,
    get_logger,
    register_secret,
    resolve_format,
    text_line,
)

TEXT_LINE = re.compile(r"^\d\d:\d\d:\d\d (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) (\S+)  (.*)$")


@pytest.fixture
def output():
    """``read(fmt)``: configure the SDK's logs in ``fmt`` to a buffer and return what was written so far."""
    buffer = io.StringIO()

    def use(fmt: str) -> io.StringIO:
        buffer.seek(0)
        buffer.truncate()
        sdk_logging.configure(stream=buffer, format=fmt)
        return buffer

    yield use
    sdk_logging.configure(stream=None)


def test_text_line_has_time_level_step_message_and_fields(output):
    buffer = output("text")
    get_logger("component", stepId="listOrders", function="listOrders").info("polled %d orders", 3, page=2,
                                                                            marketplace="A1PA6795UKMFR9")
    (line,) = buffer.getvalue().splitlines()
    match = TEXT_LINE.match(line)
    assert match, line
    assert match.group(1).strip() == "INFO" and match.group(2) == "listOrders"
    assert match.group(3) == "polled 3 orders  page=2  marketplace=A1PA6795UKMFR9"  # function = step: not repeated
    assert "{" not in line and "hostname" not in line


def test_stdlib_records_are_labelled_with_their_logger(output):
    buffer = output("text")
    record = stdlib_logging.LogRecord("mws_component.mws", stdlib_logging.WARNING, __file__, 1,
                                      "%s failed (%s); retrying, attempt %d",
                                      ("ListOrders", "RequestThrottled", 2), None)
    BunyanHandler().emit(record)
    assert " WARN  mws  ListOrders failed (RequestThrottled); retrying, attempt 2" in buffer.getvalue()


def test_json_stays_bunyan_and_is_the_default(output):
    sdk_logging.configure(stream=output("json"))
    buffer = output("json")
    get_logger("component", stepId="x").warn("careful")
    line = json.loads(buffer.getvalue())
    assert (line["level"], line["msg"], line["v"]) == (40, "careful", 0)
    sdk_logging.configure(stream=buffer)  # format not given: JSON, whatever was configured before
    get_logger("component").info("again")
    assert json.loads(buffer.getvalue().splitlines()[-1])["msg"] == "again"


def test_an_error_shows_its_name_and_message_and_its_stack_only_at_debug(output, monkeypatch):
    buffer = output("text")
    try:
        raise ValueError("the cursor is not a date")
    except ValueError as exc:
        get_logger("component", stepId="listOrders").error("poll failed", err=exc)
    first = buffer.getvalue()
    assert first.splitlines()[0].endswith("poll failed  ValueError: the cursor is not a date")
    assert "Traceback" not in first
    monkeypatch.setenv("LOG_LEVEL", "debug")
    buffer = output("text")
    try:
        raise ValueError("again")
    except ValueError as exc:
        get_logger("component").error("poll failed", err=exc)
    assert "\n    Traceback (most recent call last):" in buffer.getvalue()


def test_auto_is_text_on_a_terminal_and_json_elsewhere():
    controller, terminal = os.openpty()
    with os.fdopen(terminal, "w") as tty:
        assert resolve_format("auto", tty) == "text"
        assert resolve_format(None, tty) == "text"
        assert resolve_format("json", tty) == "json"
    os.close(controller)
    assert resolve_format("auto", io.StringIO()) == "json"
    assert resolve_format("text", io.StringIO()) == "text"
    with pytest.raises(ValueError, match="auto, text, json"):
        resolve_format("yaml", io.StringIO())


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-fmt"
SIGNATURE = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg%3D%3D"


def _log_registered(logger: Logger) -> None:
    logger.info(f"request to https://mws.example/Orders?Key={SECRET}")


def _log_secret_field(logger: Logger) -> None:
    logger.info("cfg", cfg={"secretKey": "an-unregistered-secret-value", "sellerId": "A2NEXAMPLETF53"})


def _log_signature_shape(logger: Logger) -> None:
    logger.warn(f'"POST /Orders/2013-09-01?AWSAccessKeyId=AKIAEXAMPLE&Signature={SIGNATURE} HTTP/1.1" 200')


def _log_error_stack(logger: Logger) -> None:
    try:
        raise RuntimeError(f"Authorization: Bearer abc.{SIGNATURE}")
    except RuntimeError as exc:
        logger.error("failed", err=exc)


def _log_field_value(logger: Logger) -> None:
    logger.info("saved", where={"url": f"https://x.example/?Signature={SIGNATURE}&a=1"})


LEAKS = {
    "registered secret in the message": (_log_registered, SECRET),
    "secret-named field": (_log_secret_field, "an-unregistered-secret-value"),
    "Signature= in a urllib3 line": (_log_signature_shape, SIGNATURE),
    "header line in an error and its stack": (_log_error_stack, SIGNATURE),
    "Signature= inside a field's value": (_log_field_value, SIGNATURE),
}


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("case", list(LEAKS))
def test_redaction_is_the_same_in_both_formats(output, monkeypatch, fmt, case):
    monkeypatch.setenv("LOG_LEVEL", "debug")  # the text format then prints stacks too
    register_secret(SECRET)
    write, secret = LEAKS[case]
    buffer = output(fmt)
    write(get_logger("component", stepId="listOrders"))
    written = buffer.getvalue()
    assert written.strip(), "nothing was logged"
    assert secret not in written
    assert sdk_logging.MASK in written


def test_a_text_line_is_made_from_the_redacted_record():
    record = get_logger("component", stepId="s").record(30, "ok", fields={"password": "hunter2-hunter2"})
    assert record["password"] == "***"
    assert "hunter2" not in text_line(record) and "password=***" in text_line(record)


def test_each_logger_cleans_with_the_redactor_it_was_given(output):
    mine, other = Redactor(), Redactor()
    mine.register("only-mine-secret-value")
    buffer = output("text")
    Logger("component", {"stepId": "a"}, redactor=mine).info("value only-mine-secret-value")
    Logger("component", {"stepId": "b"}, redactor=other).child(x=1).info("other only-mine-secret-value")
    lines = buffer.getvalue().splitlines()
    assert "value ***" in lines[0]
    assert "other only-mine-secret-value" in lines[1]  # ``other`` was never told: the dependency is explicit
    assert mine.text("x only-mine-secret-value") == "x ***"
    assert other.text("x only-mine-secret-value") == "x only-mine-secret-value"


def test_the_module_keeps_no_regex_of_secrets():
    register_secret("registered-marker-7731")
    assert sdk_logging.REDACTOR.text("a registered-marker-7731") == "a ***"  # the process's redactor has it
    assert not [name for name, value in vars(sdk_logging).items()
                if isinstance(value, re.Pattern) and "registered-marker-7731" in value.pattern]


class Recording:
    def __init__(self) -> None:
        self.records: list[tuple[dict, bool]] = []

    def write(self, record: dict, *, shown: bool) -> None:
        self.records.append((record, shown))


def test_progress_below_the_threshold_reaches_a_display_but_prints_no_line(output, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "info")
    buffer = output("text")
    logger = get_logger("component", stepId="listOrders")
    logger.progress("window 1 of about 6; 0 orders so far", level="debug", done=0, total=6)
    assert buffer.getvalue() == ""  # no display: a debug report is a debug line, below the threshold
    sink = Recording()
    sdk_logging.configure(stream=buffer, sink=sink)
    logger.progress("window 1 of about 6; 0 orders so far", level="debug", done=0, total=6)
    logger.progress("waiting 58 s for ListOrders quota (6 burst used)", level="info", wait=58.0)
    logger.debug("not progress, not shown")
    assert [(r["msg"][:7], shown) for r, shown in sink.records] == [("window ", False), ("waiting", True)]
    assert sink.records[0][0]["progress"] == {"done": 0, "total": 6}
    assert buffer.getvalue() == ""
