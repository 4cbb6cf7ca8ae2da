"""What a CLI run prints besides its results: one line per event, no adverts, short warnings.

Lightning adds its own console handler to the ``lightning`` logger, and its records also reach
the root handler the CLI configures, so each of its lines was printed twice; it also logs a tip
that advertises a hosted service in every run. Python prints each warning as
``/path/to/site-packages/module.py:LINE: message`` plus the source line, which says more about
the installation than about what to do. Library use (no CLI) is left exactly as it is.
"""

from __future__ import annotations

import logging
import sys
import warnings
from typing import TextIO

#: loggers whose records carry package adverts (Lightning's ``rank_zero_info``)
ADVERT_LOGGERS = (
    "lightning.pytorch.utilities.rank_zero",
    "lightning.fabric.utilities.rank_zero",
    "lightning_fabric.utilities.rank_zero",
    "pytorch_lightning.utilities.rank_zero",
)
#: words that mark a log record as an advert, not an event of this run
ADVERT_MARKS = ("litlogger", "lightning.ai", "💡 Tip")


def _not_an_advert(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not any(mark in message for mark in ADVERT_MARKS)


def _not_library_chatter(record: logging.LogRecord) -> bool:
    """Drop open_clip's INFO lines, logged on the root logger (its steps, not this run's)."""
    return not (
        record.name == "root"
        and record.levelno < logging.WARNING
        and "open_clip" in record.pathname
    )


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning as one line, ``warning: <first line of the message>``, without its path."""
    text = str(message).strip().splitlines()[0] if str(message).strip() else category.__name__
    stream = file if file is not None else sys.stderr
    try:
        stream.write(f"warning: {text}\n")
    except (OSError, ValueError):  # a closed stream: nowhere to warn
        pass


def configure_console() -> None:
    """Set up a CLI run's console: no duplicated Lightning lines, no adverts, one-line warnings.

    ``python -W ...`` (``sys.warnoptions``) keeps Python's own warning format, for debugging.
    """
    # Lightning's own handler prints its lines; the root handler would print them a second time
    logging.getLogger("lightning").propagate = False
    logging.getLogger("pytorch_lightning").propagate = False
    for name in ADVERT_LOGGERS:
        logging.getLogger(name).addFilter(_not_an_advert)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_not_library_chatter)
    if not sys.warnoptions:
        warnings.showwarning = _show_warning
