"""``python -m tokencmp`` and the ``tokencmp`` command: see :mod:`tokencmp.cli`.

The process ends with :func:`os._exit` once the output is flushed: tearing
down the interpreter would free every loaded encoding object by object
(hundreds of thousands of them), which takes longer than a short count.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def run() -> NoReturn:
    """Run the command line and end the process with its exit code."""
    from tokencmp.cli import main

    try:
        code = main()
    except SystemExit as e:  # argparse's --help, --version and usage errors: flushed like the rest
        if isinstance(e.code, str):  # sys.exit("message"), which Python would print
            with contextlib.suppress(OSError):
                sys.stderr.write(e.code + "\n")
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader went away (`tokencmp ... | head`): end quietly, as main() does
    except OSError as e:
        sys.stderr.write(f"tokencmp: error: cannot write the output: {e.strerror or e}\n")
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
