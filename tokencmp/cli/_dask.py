"""``--dask ADDRESS``: run a command's counting on a running Dask scheduler (``tokencmp[scale]``).

The JSON a command prints with ``--dask`` is the JSON it prints without it
(:mod:`tokencmp.scale.dask` merges the parts with the single-machine rules).
The scheduler's workers read ``compare``'s files from the same paths, so they
must see them (one machine, or a shared file system); the file commands
(``batch``, ``finetune``, ``usage``) read their file here and send its chunks.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokencmp.scale.dask import PendingFile


def add_dask_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="count on the Dask scheduler at ADDRESS (tcp://host:port; needs "
                        "tokencmp[scale]); the output is the same")


@contextmanager
def dask_client(address: str | None) -> Iterator[Any]:
    """A client of the scheduler at ``address`` (None without ``--dask``), closed afterwards."""
    if address is None:
        yield None
        return
    from tokencmp.scale.dask import connect

    client = connect(address)
    try:
        yield client
    finally:
        client.close()


@contextmanager
def chunks_on(address: str | None) -> Iterator[Any]:
    """The ``map_chunks`` of the file commands for ``--dask`` (None without it)."""
    with dask_client(address) as client:
        if client is None:
            yield None
        else:
            from tokencmp.scale.dask import chunk_map

            yield chunk_map(client)


def remote_files(client: Any, paths: Sequence[Path | None], **settings: Any) -> dict[Path, PendingFile]:
    """Each readable file of ``paths`` being compared on the cluster (none without a client); the
    rest (standard input, a file that cannot be opened) are compared here, with their errors."""
    if client is None:
        return {}
    from tokencmp.scale import settings_for
    from tokencmp.scale.dask import submit_paths

    readable = []
    for p in paths:
        try:
            if p is not None and p.is_file():
                with p.open("rb"):
                    readable.append(p)
        except OSError:
            continue
    encodings = settings.pop("encodings")
    pending = submit_paths(client, readable, settings_for(encodings, **settings))
    return dict(zip(readable, pending, strict=True))
