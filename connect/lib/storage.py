"""Storage (the disk, or S3) failing while a view keeps a file: the user is told, in French.

The services delete what they stored before the failure and their transaction rolls back, so
an `OSError` out of them means nothing was kept and the user may simply send again.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("connect.request")

STORAGE_FAILED = "L'envoi a échoué, rien n'a été enregistré. Réessayez dans un instant."


@contextmanager
def storage_failure(report) -> Iterator[None]:
    """An `OSError` inside the block is logged and becomes `report(STORAGE_FAILED)`, which
    records the error (a page) or raises the caller's own (a JSON answer). A block that
    returns on success leaves the code after it to the failure."""
    try:
        yield
    except OSError:
        logger.warning("storage failed, nothing was kept", exc_info=True)
        report(STORAGE_FAILED)


@contextmanager
def storage_failure_on(form) -> Iterator[None]:
    """A page's form: the failure becomes its error banner (the form keeps what was typed)."""
    with storage_failure(lambda message: form.add_error(None, message)):
        yield
