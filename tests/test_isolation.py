"""No network, no subprocess, and thread safety, each proved in a fresh interpreter.

A fresh child process is the only honest test of both: in the test process,
modules and encodings are already imported and loaded, and pytest itself
opens files and threads.

* **No socket, no subprocess.** The child installs a :func:`sys.addaudithook`
  hook *before* ``import tokencmp`` and records every audit event that opens
  a network socket, resolves a host name or starts a program (CPython raises
  these events inside the C functions, so no code path can get around them),
  then runs every counting, costing, comparing and budgeting entry point and
  the subcommands that use them. The asyncio event loop's self-pipe is an
  ``AF_UNIX`` socket pair, which is not network and is not recorded. A control
  at the end (an ``AF_INET`` socket, a ``Popen`` of a missing program) proves
  the hook sees what it must.
* **Threads.** Eight threads start counting at once (a barrier) in a process
  where no encoding is loaded yet; their counts must equal tiktoken's own
  (``Encoding.encode_ordinary`` on the same ranks) and sequential counting,
  and each encoding must be built, and its rank file read, exactly once.
"""

from __future__ import annotations

import textwrap

import pytest

from .helpers import run_python

AUDIT = textwrap.dedent('''
    import socket, sys, json
    EVENTS = ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
              "socket.gethostbyname", "socket.gethostbyaddr", "subprocess.Popen", "os.system",
              "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.exec", "os.startfile")
    seen = []
    def hook(event, args):
        if event in EVENTS:
            seen.append([event, repr(args)[:200]])
        elif event == "socket.__new__" and args[1] != socket.AF_UNIX:
            seen.append([event, repr(args[1:])])
    sys.addaudithook(hook)
''')

CALLS = textwrap.dedent('''
    import asyncio, base64, io, os, pathlib, tempfile, contextlib
    import tokencmp
    from tokencmp.cli import main

    tmp = pathlib.Path(tempfile.mkdtemp())
    (tmp / "a.txt").write_text("hello world, こんにちは")
    request = {"model": "gpt-4o", "max_completion_tokens": 50, "messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
        "tools": [{"type": "function", "function": {"name": "f", "description": "F.",
                   "parameters": {"type": "object", "properties": {}}}}]}
    (tmp / "req.json").write_text(json.dumps(request))
    responses = {"model": "gpt-4o", "instructions": "x", "input": "hello"}
    gif = base64.b64encode(b"GIF89a\\x02\\x00\\x01\\x00" + bytes(8)).decode()
    (tmp / "img.gif").write_bytes(base64.b64decode(gif) + b";")  # the trailer: a whole GIF file
    usage = {"prompt_tokens": 100, "completion_tokens": 20, "prompt_tokens_details": {"cached_tokens": 50}}

    tokencmp.count_tokens("hello world")
    tokencmp.count_tokens("hello", encoding="cl100k_base", allow_special=True)
    tokencmp.count_tokens(" " * 600_000 + "x", threads=2)
    tokencmp.count_file(tmp / "a.txt")
    asyncio.run(tokencmp.acount_tokens("hello"))
    asyncio.run(tokencmp.acount_file(tmp / "a.txt"))
    tokencmp.encoding_for_model("gpt-4")
    tokencmp.resolve_model("ft:gpt-4o-mini-2024-07-18:acme::x")
    tokencmp.list_models(); tokencmp.list_encodings()
    tokencmp.count_request(request)
    tokencmp.count_request(responses)
    tokencmp.count_request({**request, "model": "gpt-oss-20b"})
    tokencmp.count_messages(request["messages"], model="gpt-3.5-turbo")
    tokencmp.estimate_cost(request)
    tokencmp.cost_from_usage(usage, model="gpt-4o")
    tokencmp.prices_for("gpt-5.4", prompt_tokens=300_000)
    tokencmp.check_budget(request, max_cost="0.01")
    tokencmp.ensure_budget(request, max_cost="1")
    tokencmp.compare_models(request, models=["gpt-4o", "gpt-4.1", "o3"])
    tokencmp.cheapest_fit("some text", models=["gpt-4o", "gpt-4o-mini"])
    tokencmp.fit_messages(request["messages"] * 3, model="gpt-4o", max_prompt_tokens=30)
    tokencmp.compare_text("hello 世界", by_script=True, models=["gpt-4o"])
    tokencmp.compare_file(tmp / "a.txt")
    tokencmp.compare_corpus(models=["gpt-4o"])
    tokencmp.image_tokens(1024, 1024, model="gpt-4o", detail="high")
    tokencmp.estimate_image(800, 600, model="gpt-4.1-mini")
    tokencmp.max_image_tokens(model="gpt-4o")
    tokencmp.image_size("data:image/gif;base64," + gif)
    tokencmp.image_part_tokens("https://example.com/cat.png", detail="low", model="gpt-4o")
    tokencmp.load_catalog()
    from tokencmp.speed import measure
    measure([(0.1, "hello"), (0.2, " world")], model="gpt-4o")
    with contextlib.redirect_stdout(io.StringIO()):
        for argv in (["count", str(tmp)], ["compare", str(tmp / "a.txt")], ["request", str(tmp / "req.json")],
                     ["cost", str(tmp / "req.json")], ["check", str(tmp / "req.json")],
                     ["image", str(tmp / "img.gif")], ["models"]):
            assert main(argv) == 0, argv
''')

CONTROL = textwrap.dedent('''
    calls = list(seen)
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    import subprocess
    try:
        subprocess.Popen(["/nonexistent/program"])
    except OSError:
        pass
    print(json.dumps({"calls": calls, "control": [e for e, _ in seen[len(calls):]]}))
''')


def test_import_and_every_counting_call_open_no_socket_and_start_no_program() -> None:
    out = run_python(AUDIT + CALLS + CONTROL,
                     env={"TOKENCMP_CACHE_DIR": ""})
    assert out["calls"] == []
    assert "socket.__new__" in out["control"] and "subprocess.Popen" in out["control"]


THREADS = textwrap.dedent('''
    import json, threading, collections, sys
    import tiktoken
    from tokencmp.encodings import load as rank_files, registry as encodings
    import tokencmp

    assert not encodings._cache, "an encoding is already loaded"
    builds, reads = collections.Counter(), collections.Counter()
    real_build, real_load = encodings._build, rank_files.load_ranks
    def build(name):
        builds[name] += 1
        return real_build(name)
    def load(blobpath, *args, **kwargs):
        reads[blobpath.rsplit("/", 1)[-1]] += 1
        return real_load(blobpath, *args, **kwargs)
    encodings._build, rank_files.load_ranks = build, load

    TEXTS = ["hello world", "日本語のテキスト", "  spaces  and\\ttabs\\n", "<|endoftext|> x", "e\\u0301" * 50,
             "def f(x):\\n    return x\\n" * 20, " " * 70_000 + "a"]
    WORK = [(t, e) for t in TEXTS for e in ("o200k_base", "cl100k_base", "o200k_harmony")]
    REQUEST = {"model": "gpt-oss-20b", "messages": [{"role": "user", "content": "hi"}]}

    def job():
        counts = [tokencmp.count_tokens(t, encoding=e) for t, e in WORK]
        counts.append(tokencmp.count_request(REQUEST).total)
        counts.append(tokencmp.count_tokens("hello", model="gpt-4"))
        return counts

    barrier = threading.Barrier(8)
    results = [None] * 8
    def worker(i):
        barrier.wait()
        results[i] = job()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    sequential = job()
    reference = [len(tiktoken.Encoding.encode_ordinary(encodings.get_encoding(e), t)) for t, e in WORK]
    print(json.dumps({"threads": results, "sequential": sequential, "reference": reference,
                      "builds": builds, "reads": reads}))
''')


@pytest.mark.parametrize("cache", ["empty", "filled"])
def test_eight_threads_from_a_cold_start_count_like_one(tmp_path, cache: str) -> None:
    env = {"TOKENCMP_CACHE_DIR": str(tmp_path)}
    if cache == "filled":
        warm = "import tokencmp, json\nfor e in ('o200k_base', 'cl100k_base'): tokencmp.get_encoding(e)\n"
        run_python(warm + "print(json.dumps(1))", env=env)
        assert len(list(tmp_path.glob("*.ranks"))) == 2
    out = run_python(THREADS, env=env)
    assert all(r == out["sequential"] for r in out["threads"])
    assert out["sequential"][: len(out["reference"])] == out["reference"]
    assert out["builds"] == {"o200k_base": 1, "cl100k_base": 1, "o200k_harmony": 1}
    # o200k_harmony is built on o200k_base's ranks (tiktoken's constructor reads the file again).
    assert out["reads"] == {"o200k_base.tiktoken": 2, "cl100k_base.tiktoken": 1}
