"""The inputs of the subcommands that read files (``count``, ``compare``, ``image``): files, folders, stdin.

    tokencmp count notes/ README.md -     # every text file under notes/, README.md, standard input

* ``-`` is standard input.
* A folder is walked recursively, files in name order before subfolders.
  Inside it, hidden entries (names starting with ``.``: ``.git``, ``.venv``)
  and anything that is not a regular file or a folder (pipes, devices,
  broken links) are left out. Symbolic links are followed, but each folder
  is entered once (by device and inode), so a link back up the tree or a
  loop of links ends the walk there, with a note.
* For text (``count``, ``compare``), a binary file (a NUL byte in its first
  8,000 bytes, the test git uses) is skipped with a note on standard error.
  Only regular files are sniffed: a pipe named on the command line
  (``<(cmd)``) is read as text. ``image`` reads binary files, and skips a
  file found in a folder that is not an image, with a note.
* A path that cannot be read (missing, no permission, an unreadable folder)
  is reported as one error line and the other inputs are still read; the
  subcommand then exits 1.

Notes and errors go to standard error as ``tokencmp COMMAND: note: ...`` and
``tokencmp COMMAND: error: ...``; standard output carries only the result.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ._output import one_line

SNIFF_BYTES = 8000
"""How much of a file is looked at for a NUL byte (git's ``buffer_is_binary`` looks at 8,000)."""


@dataclass(frozen=True)
class Input:
    """One input to read: ``path`` is ``None`` for standard input; ``found`` when a folder walk found it."""

    name: str
    path: Path | None
    found: bool = False


class Inputs:
    """Expands the FILE arguments of one subcommand and keeps count of the inputs that failed."""

    def __init__(self, command: str, *, text: bool = True) -> None:
        self.command = command
        self.text = text  # skip binary files
        self.failed = 0

    def note(self, message: str) -> None:
        sys.stderr.write(f"tokencmp {self.command}: note: {one_line(message)}\n")

    def error(self, message: str) -> None:
        """Report an input that cannot be read; the subcommand exits 1 at the end."""
        self.failed += 1
        sys.stderr.write(f"tokencmp {self.command}: error: {one_line(message)}\n")

    def expand(self, names: Iterable[str]) -> Iterator[Input]:
        """The inputs named, folders walked, binary files left out (with a note)."""
        from tokencmp.text.read import STDIN

        for name in names:
            if name == "-":
                yield Input(STDIN, None)
                continue
            if not name:  # Path("") is the current folder: an unset "$FILE" must not walk it
                self.error("An empty name is not a file or folder (use . for the current folder).")
                continue
            path = Path(name)
            try:
                is_dir = path.is_dir()
            except (OSError, ValueError):  # a name too long for the OS, a NUL
                is_dir = False
            if is_dir:
                yield from self._walk(path)
            elif self._text(path):
                yield Input(name, path)

    def _text(self, path: Path) -> bool:
        """False (with a note) for a binary regular file; other paths are left to the reader."""
        if not self.text:
            return True
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return True  # a pipe or device named on purpose; a missing path fails when read
            with path.open("rb") as f:
                head = f.read(SNIFF_BYTES)
        except (OSError, ValueError):
            return True  # the reader reports why it cannot be read
        if b"\0" in head:
            self.note(f"skipped {path}: a binary file (a NUL byte in its first {SNIFF_BYTES:,} bytes)")
            return False
        return True

    def _walk(self, root: Path) -> Iterator[Input]:
        seen: dict[tuple[int, int], Path] = {}
        pending = [root]
        links: list[Path] = []  # links to folders: walked after every real folder
        while pending or links:  # depth first, without recursion (a tree may be deeper than the stack)
            folder = pending.pop() if pending else links.pop(0)
            try:
                info = folder.stat()
                walked = seen.get((info.st_dev, info.st_ino))
                if walked is not None:
                    self.note(f"skipped {folder}: a link to a folder already walked as {walked}")
                    continue
                seen[(info.st_dev, info.st_ino)] = folder
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as e:
                self.error(f"Cannot read folder {folder}: {e.strerror or e}.")
                continue
            subfolders: list[Path] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                try:
                    is_dir, is_file = entry.is_dir(), entry.is_file()  # both follow links
                except OSError:
                    is_dir = is_file = False
                if is_dir:
                    (links if entry.is_symlink() else subfolders).append(path)
                elif is_file:
                    if self._text(path):
                        yield Input(str(path), path, found=True)
                else:
                    self.note(f"skipped {path}: not a regular file (a broken link, pipe or device)")
            pending.extend(reversed(subfolders))
