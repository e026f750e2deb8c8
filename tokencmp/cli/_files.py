"""The inputs of the subcommands that read files (``count``, ``compare``, ``image``): files, folders, stdin.

    tokencmp count notes/ README.md -     # every text file under notes/, README.md, standard input

* ``-`` is standard input.
* A folder is walked recursively, files in name order before subfolders.
  Inside it, hidden entries (names starting with ``.``: ``.git``, ``.venv``)
  and anything that is not a regular file or a folder (pipes, devices,
  broken links) are left out. Symbolic links are followed, but each folder
  is entered once (by device and inode), so a link back up the tree or a
  loop of links ends the walk there.
* Inside a folder, what ``.gitignore`` files leave out is left out too (git's
  rules, read by the pathspec library): the ``.gitignore`` of each folder
  walked, and those of the folders above it up to the top of its git
  repository. ``--no-ignore`` reads them all. ``--exclude GLOB`` (repeatable)
  leaves out more, written as a ``.gitignore`` line and matched against the
  path from the folder named (``*.lock``, ``tests/``, ``/build``). A file
  named on the command line is always read.
* For text (``count``, ``compare``), a binary file (a NUL byte in its first
  8,000 bytes, the test git uses) is skipped. Only regular files are
  sniffed: a pipe named on the command line (``<(cmd)``) is read as text.
  ``image`` reads binary files, and skips a file found in a folder that is
  not an image.
* Whatever is skipped is summed up in one note at the end (``skipped 520
  binary files, 3 left out by .gitignore``); ``--verbose`` lists each one
  instead.
* A path that cannot be read (missing, no permission, an unreadable folder)
  is reported as one error line and the other inputs are still read; the
  subcommand then exits 1.

Notes and errors go to standard error as ``tokencmp COMMAND: note: ...`` and
``tokencmp COMMAND: error: ...``; standard output carries only the result.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._output import one_line

SNIFF_BYTES = 8000
"""How much of a file is looked at for a NUL byte (git's ``buffer_is_binary`` looks at 8,000)."""

KINDS = {
    "binary": ("binary file", "binary files"),
    "ignored": ("entry left out by .gitignore", "entries left out by .gitignore"),
    "excluded": ("entry left out by --exclude", "entries left out by --exclude"),
    "special": ("not a regular file", "not regular files"),
    "walked": ("link to a folder already walked", "links to folders already walked"),
    "image": ("file that is not an image", "files that are not images"),
}
"""What a skipped entry was, in the summary note: (one, several)."""

Specs = tuple[tuple[str, Any], ...]
"""The .gitignore rules in force in a folder: (absolute folder, pathspec.GitIgnoreSpec), outermost first."""


def add_folder_options(parser: argparse.ArgumentParser) -> None:
    """``--exclude``, ``--no-ignore`` and ``--verbose``: how folders are walked, alike for every command."""
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="inside folders, leave out what GLOB matches, written as a .gitignore line "
                        "(*.lock, tests/); repeatable")
    parser.add_argument("--no-ignore", action="store_true",
                        help="inside folders, read what .gitignore files leave out too")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list each file skipped (binary, ignored, excluded) instead of one summary line")


@dataclass(frozen=True)
class Input:
    """One input to read: ``path`` is ``None`` for standard input; ``found`` when a folder walk found it."""

    name: str
    path: Path | None
    found: bool = False


class Inputs:
    """Expands the FILE arguments of one subcommand; counts the inputs that failed or were skipped."""

    def __init__(self, command: str, *, text: bool = True, ignore: bool = True,
                 exclude: Sequence[str] = (), verbose: bool = False) -> None:
        self.command = command
        self.text = text  # skip binary files
        self.ignore = ignore  # honour .gitignore
        self.exclude = _spec(list(exclude)) if exclude else None
        self.verbose = verbose
        self.options: frozenset[str] = frozenset()
        self.failed = 0
        self.skipped: Counter[str] = Counter()

    @classmethod
    def from_args(cls, command: str, args: argparse.Namespace, *, text: bool = True) -> Inputs:
        """The inputs of a command that took :func:`add_folder_options`."""
        inputs = cls(command, text=text, ignore=not getattr(args, "no_ignore", False),
                     exclude=getattr(args, "exclude", None) or (), verbose=getattr(args, "verbose", False))
        inputs.options = frozenset(getattr(args, "_options", ()) or ())
        return inputs

    def note(self, message: str) -> None:
        sys.stderr.write(f"tokencmp {self.command}: note: {one_line(message)}\n")

    def error(self, message: str) -> None:
        """Report an input that cannot be read; the subcommand exits 1 at the end."""
        from ._words import speak

        self.failed += 1
        sys.stderr.write(f"tokencmp {self.command}: error: {one_line(speak(message, self.options))}\n")

    def skip(self, path: object, kind: str, why: str) -> None:
        """Leave out ``path``: listed now with --verbose, else counted for :meth:`summarize`."""
        if self.verbose:
            self.note(f"skipped {path}: {why}")
        else:
            self.skipped[kind] += 1

    def summarize(self) -> None:
        """One note for everything skipped (nothing with --verbose, which listed each)."""
        if not self.skipped:
            return
        parts = []
        for kind, (one, several) in KINDS.items():
            n = self.skipped.get(kind, 0)
            if n:
                parts.append(f"{n:,} {one if n == 1 else several}")
        self.note(f"skipped {', '.join(parts)} (--verbose lists them)")

    def expand(self, names: Iterable[str]) -> Iterator[Input]:
        """The inputs named, folders walked, binary and ignored files left out."""
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
        """False (skipped) for a binary regular file; other paths are left to the reader."""
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
            self.skip(path, "binary", f"a binary file (a NUL byte in its first {SNIFF_BYTES:,} bytes)")
            return False
        return True

    def _left_out(self, path: str, rel: str, specs: Specs, is_dir: bool) -> bool:
        """Whether an entry is left out by --exclude (``rel``: from the folder named) or a .gitignore."""
        slash = "/" if is_dir else ""
        if self.exclude is not None and self.exclude.match_file(rel + slash):
            self.skip(path, "excluded", "left out by --exclude")
            return True
        for base, spec in reversed(specs):  # the deepest .gitignore that has a say decides
            here = os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
            decided = spec.check_file(here + slash)
            if decided.include is not None:
                if decided.include:
                    self.skip(path, "ignored", f"left out by {os.path.join(base, '.gitignore')}")
                return bool(decided.include)
        return False

    def _walk(self, root: Path) -> Iterator[Input]:
        seen: dict[tuple[int, int], Path] = {}
        top = _ancestor_specs(root) if self.ignore else ()
        pending: list[tuple[Path, Specs]] = [(root, top)]
        links: list[tuple[Path, Specs]] = []  # links to folders: walked after every real folder
        while pending or links:  # depth first, without recursion (a tree may be deeper than the stack)
            folder, specs = pending.pop() if pending else links.pop(0)
            try:
                info = folder.stat()
                walked = seen.get((info.st_dev, info.st_ino))
                if walked is not None:
                    self.skip(folder, "walked", f"a link to a folder already walked as {walked}")
                    continue
                seen[(info.st_dev, info.st_ino)] = folder
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as e:
                self.error(f"Cannot read folder {folder}: {e.strerror or e}.")
                continue
            if self.ignore:
                specs = specs + _gitignore(folder)
            subfolders: list[tuple[Path, Specs]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                try:
                    is_dir, is_file = entry.is_dir(), entry.is_file()  # both follow links
                except OSError:
                    is_dir = is_file = False
                if (is_dir or is_file) and (self.exclude is not None or specs):
                    rel = os.path.relpath(path, root).replace(os.sep, "/")
                    if self._left_out(entry.path, rel, specs, is_dir):
                        continue
                if is_dir:
                    (links if entry.is_symlink() else subfolders).append((path, specs))
                elif is_file:
                    if self._text(path):
                        yield Input(str(path), path, found=True)
                else:
                    self.skip(path, "special", "not a regular file (a broken link, pipe or device)")
            pending.extend(reversed(subfolders))


def _spec(lines: list[str]) -> Any:
    import pathspec  # only for a folder with a .gitignore, or --exclude

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _gitignore(folder: Path) -> Specs:
    """The rules of ``folder/.gitignore``, if it has one that can be read."""
    try:
        text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:  # none (the usual case), or unreadable: git also goes on without it
        return ()
    return ((os.path.abspath(folder), _spec(text.splitlines())),)


def _ancestor_specs(root: Path) -> Specs:
    """The .gitignore rules of the folders above ``root``, up to the top of its git repository (if any)."""
    here = Path(os.path.abspath(root))
    above = []
    for parent in here.parents:
        above.append(parent)
        if (parent / ".git").exists():
            break
    else:
        return ()  # not inside a repository: only the .gitignore files inside root count
    if (here / ".git").exists():
        return ()
    specs: Specs = ()
    for folder in reversed(above):
        specs += _gitignore(folder)
    return specs
