"""The command line on real files: folders, links, binary and unreadable files, pipes, full disks.

Token counts: "hello world" is 2 tokens under o200k_base (openai/harmony's tests assert
``[24912, 2375]``; tokencmp's README shows the same count), so a folder of k such files
counts 2k tokens.

Every run is a fresh ``python -m tokencmp`` (or the ``tokencmp`` script's ``run()``) in a
temporary working folder with its own HOME, so the tests see exactly what the command writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

HELLO = "hello world"  # 2 tokens (module docstring)
SCRIPT = "from tokencmp.__main__ import run; run()"  # what the installed `tokencmp` script calls


def run(cwd: Path, *args: str, env: dict[str, str] | None = None, script: bool = False,
        stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess:
    home = cwd.parent / "home"
    home.mkdir(exist_ok=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENCMP_", "XDG_"))}
    full_env = {**base, "PYTHONPATH": str(ROOT), "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1",
                **(env or {})}
    command = [sys.executable, "-c", SCRIPT] if script else [sys.executable, "-m", "tokencmp"]
    return subprocess.run([*command, *args], cwd=cwd, env=full_env, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120)


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    folder = tmp_path / "cwd"
    folder.mkdir()
    return folder


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def count_json(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    proc = run(cwd, "count", "--format", "json", *args)
    return proc, (json.loads(proc.stdout) if proc.stdout else {})


# --- folders and links ----------------------------------------------------------------------------


def test_a_folder_is_walked_recursively_without_hidden_entries(cwd: Path) -> None:
    (cwd / "docs" / "deep" / "deeper").mkdir(parents=True)
    for rel in ("docs/a.txt", "docs/deep/b.md", "docs/deep/deeper/c", "docs/.hidden.txt"):
        (cwd / rel).write_text(HELLO)
    (cwd / "docs" / ".git").mkdir()
    (cwd / "docs" / ".git" / "config").write_text(HELLO)
    proc, out = count_json(cwd, "docs")
    assert proc.returncode == 0, proc.stderr
    names = [i["name"] for i in out["inputs"]]
    # Files of a folder before its subfolders, each in name order.
    assert names == [os.path.join("docs", "a.txt"), os.path.join("docs", "deep", "b.md"),
                     os.path.join("docs", "deep", "deeper", "c")]
    assert out["total"]["tokens"] == 3 * 2


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs as on POSIX")
def test_symlink_loops_are_walked_once(cwd: Path) -> None:
    (cwd / "d" / "sub").mkdir(parents=True)
    (cwd / "d" / "a.txt").write_text(HELLO)
    (cwd / "d" / "sub" / "b.txt").write_text(HELLO)
    (cwd / "d" / "sub" / "up").symlink_to(cwd / "d")  # a loop back up the tree
    (cwd / "d" / "sub" / "self").symlink_to(".")  # a loop onto itself
    (cwd / "d" / "link.txt").symlink_to(cwd / "d" / "a.txt")  # a link to a file is a file
    (cwd / "d" / "broken").symlink_to(cwd / "nowhere")
    os.mkfifo(cwd / "d" / "pipe")  # reading it would wait forever for a writer
    proc, out = count_json(cwd, "d", "--verbose")
    assert proc.returncode == 0, proc.stderr
    assert sorted(Path(i["name"]).name for i in out["inputs"]) == ["a.txt", "b.txt", "link.txt"]
    assert "a link to a folder already walked" in proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if "not a regular file" in line]
    assert len(skipped) == 2 and "broken" in skipped[0] and "pipe" in skipped[1]


def test_a_link_to_a_folder_never_takes_the_place_of_the_folder(cwd: Path) -> None:
    (cwd / "v" / "sub").mkdir(parents=True)
    (cwd / "v" / "sub" / "b.txt").write_text(HELLO)
    (cwd / "v" / "a-link").symlink_to("sub")  # sorts before "sub"
    proc, out = count_json(cwd, "v", "--verbose")
    assert [i["name"] for i in out["inputs"]] == [str(Path("v", "sub", "b.txt"))]
    assert proc.stderr == (f"tokencmp count: note: skipped {Path('v', 'a-link')}: a link to a folder "
                           f"already walked as {Path('v', 'sub')}\n")


def test_an_empty_name_is_an_error_not_the_current_folder(cwd: Path) -> None:
    (cwd / "a.txt").write_text(HELLO)
    proc, out = count_json(cwd, "", "a.txt")
    assert proc.returncode == 1 and [i["name"] for i in out["inputs"]] == ["a.txt"]
    assert proc.stderr.startswith("tokencmp count: error: An empty name is not a file or folder")


def test_compare_walks_folders_too(cwd: Path) -> None:
    (cwd / "d").mkdir()
    (cwd / "d" / "a.txt").write_text(HELLO)
    (cwd / "d" / "b.txt").write_text(HELLO)
    proc = run(cwd, "compare", "d", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    inputs = json.loads(proc.stdout)["inputs"]
    assert [i["tokens"]["o200k_base"] for i in inputs] == [2, 2]


# --- binary and unreadable files --------------------------------------------------------------------


def test_binary_files_are_skipped_with_a_note(cwd: Path) -> None:
    (cwd / "d").mkdir()
    (cwd / "d" / "a.txt").write_text(HELLO)
    (cwd / "d" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (cwd / "named.bin").write_bytes(b"text then \x00 a NUL")
    for command in ("count", "compare"):
        proc = run(cwd, command, "d", "named.bin", "--format", "json")
        assert proc.returncode == 0, proc.stderr
        assert [Path(i["name"]).name for i in json.loads(proc.stdout)["inputs"]] == ["a.txt"]
        # One summary line, however many files were skipped (issue 16); --verbose lists each.
        assert proc.stderr.splitlines() == [
            f"tokencmp {command}: note: skipped 2 binary files (--verbose lists them)"]
        verbose = run(cwd, command, "d", "named.bin", "--verbose", "--format", "json").stderr.splitlines()
        assert len(verbose) == 2 and all("binary file" in n and ": note: skipped " in n for n in verbose)


def test_gitignore_is_honoured_inside_folders_up_to_the_repository_top(cwd: Path) -> None:
    # git's rules (gitignore(5)): "x.log" matches at any depth, "build/" only folders, "!" re-includes,
    # and a deeper .gitignore overrides the one above it.
    (cwd / ".git").mkdir()
    (cwd / ".gitignore").write_text("*.log\nbuild/\n")
    (cwd / "src" / "build").mkdir(parents=True)
    (cwd / "src" / "deep").mkdir()
    for rel in ("src/a.txt", "src/x.log", "src/build/b.txt", "src/deep/keep.log", "src/deep/y.log"):
        (cwd / rel).write_text(HELLO)
    (cwd / "src" / "deep" / ".gitignore").write_text("!keep.log\n")
    named = cwd / "named.log"
    named.write_text(HELLO)
    proc, out = count_json(cwd, "src", "named.log")
    assert proc.returncode == 0, proc.stderr
    names = [Path(i["name"]).as_posix() for i in out["inputs"]]
    assert names == ["src/a.txt", "src/deep/keep.log", "named.log"]  # a file named is always read
    assert proc.stderr == ("tokencmp count: note: skipped 3 entries left out by .gitignore "
                           "(--verbose lists them)\n")
    proc, out = count_json(cwd, "src", "--no-ignore")
    assert len(out["inputs"]) == 5 and proc.stderr == ""


def test_exclude_takes_gitignore_globs_from_the_folder_named(cwd: Path) -> None:
    (cwd / "d" / "tests").mkdir(parents=True)
    for rel in ("d/a.txt", "d/b.lock", "d/tests/c.txt", "d/tests/d.txt"):
        (cwd / rel).write_text(HELLO)
    proc, out = count_json(cwd, "d", "--exclude", "*.lock", "--exclude", "tests/")
    assert [Path(i["name"]).name for i in out["inputs"]] == ["a.txt"]
    assert proc.stderr == ("tokencmp count: note: skipped 2 entries left out by --exclude "
                           "(--verbose lists them)\n")


def test_count_number_prints_the_bare_total_and_text_counts_itself(cwd: Path) -> None:
    (cwd / "a.txt").write_text(HELLO)
    # "hello world" is 2 tokens (module docstring), "Hello world" too (o200k_base: "Hello", " world").
    proc = run(cwd, "count", "-n", "a.txt", "-t", "Hello world")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "4\n", "")
    proc = run(cwd, "count", "--text", "Hello world", "--format", "json")
    assert json.loads(proc.stdout)["inputs"][0] == {"name": "<text>", "tokens": 2, "characters": 11,
                                                    "bytes": 11}


@pytest.mark.parametrize(
    "command, message",
    [
        ("count", "no text files to count among the inputs."),
        ("compare", "no text files to compare among the inputs."),
        ("image", "no images (PNG, JPEG, GIF or WebP) among the inputs."),
    ],
)
def test_nothing_left_to_read_is_the_same_error_for_every_command(
    cwd: Path, command: str, message: str
) -> None:
    (cwd / "empty").mkdir()
    (cwd / "x.bin").write_bytes(b"\x00\x01")  # skipped as binary by count and compare
    for args in (["empty"], *([["x.bin"]] if command != "image" else [])):
        proc = run(cwd, command, *args)
        assert proc.returncode == 1 and proc.stdout == ""
        assert proc.stderr.splitlines()[-1] == f"tokencmp {command}: error: {message}"


def test_unreadable_inputs_are_reported_and_the_rest_still_counted(cwd: Path) -> None:
    (cwd / "ok.txt").write_text(HELLO)
    (cwd / "bad.txt").write_bytes(b"ok \xc3\x28")
    proc, out = count_json(cwd, "missing.txt", "ok.txt", "bad.txt")
    assert proc.returncode == 1
    errors = proc.stderr.splitlines()
    assert len(errors) == 2 and "missing.txt" in errors[0] and "offset 3" in errors[1]
    assert [i["name"] for i in out["inputs"]] == ["ok.txt"] and out["total"]["tokens"] == 2


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc only")
def test_a_file_that_fails_while_being_read(cwd: Path) -> None:
    for command in ("count", "compare"):  # open() works, read() fails with EIO
        proc = run(cwd, command, "/proc/self/mem")
        assert proc.returncode == 1 and proc.stdout == ""
        assert proc.stderr.splitlines() == [f"tokencmp {command}: error: Cannot read /proc/self/mem: "
                                            "Input/output error."]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not bind root")
def test_files_and_folders_without_read_permission(cwd: Path) -> None:
    (cwd / "d" / "locked").mkdir(parents=True)
    (cwd / "d" / "secret.txt").write_text(HELLO)
    (cwd / "d" / "ok.txt").write_text(HELLO)
    os.chmod(cwd / "d" / "secret.txt", 0)
    os.chmod(cwd / "d" / "locked", 0)
    try:
        proc, out = count_json(cwd, "d")
    finally:
        os.chmod(cwd / "d" / "secret.txt", 0o600)
        os.chmod(cwd / "d" / "locked", 0o700)
    assert proc.returncode == 1
    assert [Path(i["name"]).name for i in out["inputs"]] == ["ok.txt"]
    assert len(proc.stderr.splitlines()) == 2 and "Permission denied" in proc.stderr


# --- nothing written but what was asked for ----------------------------------------------------------

REQUEST = {"model": "gpt-4o", "max_completion_tokens": 10, "messages": [{"role": "user", "content": HELLO}]}
GIF = b"GIF89a\x02\x00\x01\x00" + bytes(8) + b";"  # a 2x1 GIF header and the trailer (GIF89a section 27)


def every_reading_command(cwd: Path) -> list[tuple[str, ...]]:
    (cwd / "a.txt").write_text(HELLO)
    (cwd / "req.json").write_text(json.dumps(REQUEST))
    (cwd / "img.gif").write_bytes(GIF)
    return [("count", "a.txt", "."), ("compare", "a.txt", "--by-script"), ("request", "req.json"),
            ("cost", "req.json"), ("check", "req.json"), ("image", "img.gif"), ("models",)]


def test_commands_write_nothing_but_the_rank_cache(cwd: Path) -> None:
    before = tree(cwd)
    for args in every_reading_command(cwd):
        proc = run(cwd, *args)
        assert proc.returncode == 0, (args, proc.stderr)
    assert tree(cwd) == before | {"a.txt", "req.json", "img.gif"}
    home = cwd.parent / "home"
    # The one thing written: parsed rank files in the user cache folder (docs/reliability.md).
    assert {p.parent for p in home.rglob("*.ranks")} == {home / ".cache" / "tokencmp"}
    assert tree(home) == {".cache", ".cache/tokencmp"} | {
        str(p.relative_to(home)) for p in home.rglob("*.ranks")}


def test_an_empty_cache_setting_writes_nothing_at_all(cwd: Path) -> None:
    commands = every_reading_command(cwd)
    before = tree(cwd)
    for args in commands:
        assert run(cwd, *args, env={"TOKENCMP_CACHE_DIR": ""}).returncode == 0
    assert tree(cwd) == before and tree(cwd.parent / "home") == set()


def test_plot_writes_only_the_chart_it_was_asked_for(cwd: Path) -> None:
    pytest.importorskip("matplotlib")
    (cwd / "a.txt").write_text(HELLO)
    proc = run(cwd, "compare", "a.txt", "--plot", "chart.svg", env={"TOKENCMP_CACHE_DIR": ""})
    assert proc.returncode == 0, proc.stderr
    assert tree(cwd) == {"a.txt", "chart.svg"}
    # matplotlib keeps its own font cache and config folder under HOME, as for any program using it.
    assert {p.split("/")[0] for p in tree(cwd.parent / "home")} <= {".cache", ".config"}


# --- where the output goes -------------------------------------------------------------------------------


def test_the_installed_script_runs_what_these_tests_run() -> None:
    tomllib = pytest.importorskip("tomllib")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert scripts == {"tokencmp": "tokencmp.__main__:run"}  # SCRIPT above calls that function


@pytest.mark.parametrize("script", [False, True], ids=["python -m tokencmp", "tokencmp script"])
def test_a_reader_that_goes_away_ends_the_command_quietly(cwd: Path, script: bool) -> None:
    # `tokencmp models --format json | head -c 100`: 83 KB of JSON, more than a pipe holds.
    home = cwd.parent / "home"
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home)}
    command = [sys.executable, "-c", SCRIPT] if script else [sys.executable, "-m", "tokencmp"]
    proc = subprocess.Popen([*command, "models", "--format", "json"], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("script", [False, True], ids=["python -m tokencmp", "tokencmp script"])
@pytest.mark.parametrize("args", [("models", "--format", "json"), ("count", "a.txt"), ("--help",)],
                         ids=["large output", "small output", "help"])
def test_a_full_disk_is_one_error_line_and_exit_1(cwd: Path, script: bool, args: tuple[str, ...]) -> None:
    (cwd / "a.txt").write_text(HELLO)
    with open("/dev/full", "w") as full:
        proc = run(cwd, *args, script=script, stdout=full)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].endswith("cannot write the output: No space left on device")


def test_names_with_newlines_or_escapes_stay_on_one_escaped_line(cwd: Path) -> None:
    # Found by fuzzing main(): a file name holding "\r" or "\n" split the error over two lines.
    proc = run(cwd, "count", "no\nsuch\x1b[31m.txt")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "tokencmp count: error: Cannot read no\\nsuch\\x1b[31m.txt: No such file or directory."]
    # ... and in a table, such a name stays in its row.
    (cwd / "two\nlines.txt").write_text(HELLO)
    proc = run(cwd, "count", "two\nlines.txt")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2].split() == ["two\\nlines.txt", "2", "11", "11"]


def test_deeply_nested_json_files_are_one_error_line(cwd: Path) -> None:
    # Found by hand after fuzzing the API: json's parser recursed past Python's limit and
    # `request` and `check` printed a RecursionError traceback (tokencmp/cli/_input.py).
    (cwd / "deep.json").write_text("[" * 100_000)
    for command in ("request", "check"):
        proc = run(cwd, command, "deep.json")
        assert proc.returncode == 1
        assert proc.stderr.splitlines() == [
            f"tokencmp {command}: error: deep.json: nested too deeply to be a request body."]
    (cwd / "deep.json").write_text('{"a": ' * 100_000)
    proc = run(cwd, "cost", "deep.json", "--model", "gpt-4o", "--format", "json")
    # a .json file must be a request body (issue 16): one error line, never priced as text
    assert proc.returncode == 1 and proc.stderr.splitlines() == [
        "tokencmp cost: error: deep.json: nested too deeply to be a request body."]


def test_image_walks_folders_and_skips_files_that_are_not_images(cwd: Path) -> None:
    (cwd / "pics" / "more").mkdir(parents=True)
    (cwd / "pics" / "a.gif").write_bytes(GIF)
    (cwd / "pics" / "more" / "b.gif").write_bytes(GIF)
    (cwd / "pics" / "notes.txt").write_text(HELLO)
    proc = run(cwd, "image", "pics", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    images = json.loads(proc.stdout)["images"]
    found = [(Path(i["name"]).name, i["width"], i["height"]) for i in images]
    assert found == [("a.gif", 2, 1), ("b.gif", 2, 1)]  # the 2x1 GIF header
    assert proc.stderr == "tokencmp image: note: skipped 1 file that is not an image (--verbose lists them)\n"
    notes = run(cwd, "image", "pics", "-v", "--format", "json").stderr.splitlines()
    assert notes == [f"tokencmp image: note: skipped {os.path.join('pics', 'notes.txt')}: "
                     "not a PNG, JPEG, GIF or WebP image"]


def test_image_names_each_file_that_is_not_an_image_and_counts_the_rest(cwd: Path) -> None:
    (cwd / "a.gif").write_bytes(GIF)
    (cwd / "notes.txt").write_text(HELLO)
    proc = run(cwd, "image", "notes.txt", "a.gif", "missing.png", "--format", "json")
    assert proc.returncode == 1
    assert [i["name"] for i in json.loads(proc.stdout)["images"]] == ["a.gif"]
    errors = proc.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("tokencmp image: error: notes.txt is not a PNG, JPEG, GIF or WebP image")
    assert errors[1].startswith("tokencmp image: error: Cannot read image file missing.png")


@pytest.mark.parametrize(
    "command", [("count", "ok.txt", "-"), ("request", "-"), ("image", "-"), ("cost", "-")]
)
def test_standard_input_that_cannot_be_read_is_an_input_error(cwd: Path, command: tuple[str, ...]) -> None:
    (cwd / "ok.txt").write_text(HELLO)
    with open(cwd.parent / "write-only", "wb") as stdin:  # reading it fails with EBADF
        proc = subprocess.run([sys.executable, "-m", "tokencmp", *command], cwd=cwd, stdin=stdin,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert proc.stderr == f"tokencmp {command[0]}: error: Cannot read <stdin>: Bad file descriptor.\n"
    if command[0] == "count":  # the other input is still counted
        assert proc.stdout.splitlines()[2].split() == ["ok.txt", "2", "11", "11"]


@pytest.mark.parametrize("command", [("count", "-"), ("compare", "-"), ("image", "-"), ("request", "-")])
def test_no_standard_input_at_all_is_one_input_error(cwd: Path, command: tuple[str, ...]) -> None:
    # Started with descriptor 0 closed (`tokencmp compare - <&-`), Python sets sys.stdin to None;
    # compare streamed sys.stdin.buffer itself and died with an AttributeError traceback.
    proc = subprocess.run([sys.executable, "-m", "tokencmp", *command], cwd=cwd, stdin=None,
                          capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.close(0),
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert proc.stderr == (f"tokencmp {command[0]}: error: Cannot open '<stdin>': "
                           "there is no standard input.\n")
