"""tokencmp.scale.dask and --dask on a real cluster: a scheduler and 2 worker processes on loopback.

The cluster is started here with Dask's own commands (tests/scale_cluster.py) and torn down after,
so the README's test command alone runs these. Every expectation is the answer of the same call
without Dask, made in this test: the distributed answer must equal it exactly, JSON included.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="Dask is in the extra tokencmp[scale]")

import tokencmp  # noqa: E402
from tokencmp.errors import ClusterError  # noqa: E402
from tokencmp.files.jsonl import Chunk  # noqa: E402
from tokencmp.scale import CompareSettings  # noqa: E402
from tokencmp.scale.dask import (  # noqa: E402
    chunk_map,
    compare_bag,
    compare_corpus,
    compare_dataframe,
    compare_paths,
    connect,
    submit_paths,
)

from .scale_cluster import ROOT, _env, local_cluster, wait_for_workers  # noqa: E402

pytestmark = pytest.mark.slow

WORDS = ["token", "budget", "日本語", "テキスト", "Ωμέγα", "слово", "naïve", "e\u0301", "👍🏽", "/path", "42",
         "ﬁne", "  ", "\t", "."]


def write_text(path: Path, lines: int, seed: int) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for _ in range(lines):
            f.write(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30))) + "\n")
    return path


def write_batch(path: Path, lines: int) -> Path:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        for i in range(lines):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60)))
            cid = "r5" if i == 4000 else f"r{i}"  # a duplicate custom_id, found across chunks
            body = {"model": "gpt-4o-mini", "max_tokens": 50, "messages": [{"role": "user", "content": text}]}
            f.write(json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
                                "body": body}) + "\n")
            if i == 6000:
                f.write("{not json\n")
    return path


def write_finetune(path: Path, lines: int) -> Path:
    rng = random.Random(8)
    with path.open("w", encoding="utf-8") as f:
        for _ in range(lines):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60)))
            f.write(json.dumps({"messages": [{"role": "user", "content": text},
                                             {"role": "assistant", "content": text[::-1]}]}) + "\n")
    return path


def write_outputs(path: Path, lines: int) -> Path:
    rng = random.Random(9)
    with path.open("w", encoding="utf-8") as f:
        for i in range(lines):
            status = 500 if i % 97 == 0 else 200
            body = {"object": "chat.completion", "model": rng.choice(["gpt-4o", "gpt-4o-mini"]),
                    "usage": {"prompt_tokens": rng.randint(1, 5000),
                              "completion_tokens": rng.randint(1, 500)}}
            f.write(json.dumps({"id": f"b{i}", "custom_id": f"r{i}", "error": None,
                                "response": {"status_code": status, "body": body}}) + "\n")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with local_cluster(2) as address:
        yield address


@pytest.fixture(scope="module")
def client(cluster: str) -> Iterator[object]:
    c = connect(cluster)
    yield c
    c.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for i, code in enumerate(["en", "ja", "ru", "el"]):
        write_text(folder / f"{code}.txt", 3000 + 500 * i, seed=i)
    return folder


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tokencmp", *args], capture_output=True, text=True,
                          env=_env(), cwd=ROOT, timeout=300, check=False)


def same_json(args: list[str], address: str) -> dict[str, object]:
    here, there = cli(*args), cli(*args, "--dask", address)
    assert there.returncode == here.returncode, there.stderr
    assert there.stdout == here.stdout
    return dict(json.loads(here.stdout))


# --- the Python API -------------------------------------------------------------------------


def test_files_cut_in_many_ranges_equal_compare_file(client: object, corpus: Path) -> None:
    paths = sorted(corpus.glob("*.txt"))
    for form in ("none", "NFKC"):
        s = CompareSettings(("o200k_base", "cl100k_base"), normalize=form, models=("gpt-4o",))
        pending = submit_paths(client, paths, s, split_bytes=20_000)
        assert all(len(p._ranges) > 5 for p in pending)  # each file really is cut
        got = [p.result() for p in pending]
        want = [tokencmp.compare_file(p, encodings=["o200k_base", "cl100k_base"], normalize=form,
                                      models=["gpt-4o"]) for p in paths]
        assert got == want
        assert [g.to_dict() for g in got] == [w.to_dict() for w in want]
    assert compare_paths(client, paths[:1], CompareSettings(("o200k_base",)), split_bytes=9000) == [
        tokencmp.compare_file(paths[0], encodings=["o200k_base"])]


def test_a_corpus_equals_compare_corpus(client: object, corpus: Path) -> None:
    local = tokencmp.compare_corpus(corpus, models=["gpt-4o", "gpt-4"])
    remote = compare_corpus(client, corpus, models=["gpt-4o", "gpt-4"], split_bytes=30_000)
    assert remote == local
    assert json.dumps(remote.to_dict()) == json.dumps(local.to_dict())


def test_a_bag_and_a_dataframe_equal_the_texts_counted_here(client: object) -> None:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from tokencmp.scale import count_texts, finish

    rng = random.Random(3)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    s = CompareSettings(("o200k_base", "cl100k_base"), models=("gpt-4o",)).resolved()
    want = finish(s, count_texts(s, texts))
    assert compare_bag(db.from_sequence(texts, npartitions=7), s) == want
    frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=5)
    assert compare_dataframe(frame, "text", s) == want


def test_file_commands_with_chunk_map_equal_their_local_reports(client: object, tmp_path: Path) -> None:
    batch = write_batch(tmp_path / "batch.jsonl", 8000)
    assert batch.stat().st_size > 3 << 20  # more than 3 chunks of lines
    on = chunk_map(client)
    assert tokencmp.check_batch(batch, map_chunks=on) == tokencmp.check_batch(batch, workers=1)
    ft = write_finetune(tmp_path / "ft.jsonl", 8000)
    assert tokencmp.check_finetune(ft, map_chunks=on) == tokencmp.check_finetune(ft, workers=1)
    out = write_outputs(tmp_path / "out.jsonl", 20000)
    assert tokencmp.cost_of_outputs(out, map_chunks=on) == tokencmp.cost_of_outputs(out)


# --- the command line -------------------------------------------------------------------------


def test_compare_json_with_dask_equals_without(cluster: str, corpus: Path) -> None:
    files = sorted(str(p) for p in corpus.glob("*.txt"))
    data = same_json(["compare", *files, "--model", "gpt-4o", "--format", "json"], cluster)
    assert len(data["inputs"]) == 4  # type: ignore[arg-type]
    same_json(["compare", *files[:2], "--by-script", "--normalize", "NFC", "--format", "json"], cluster)
    same_json(["compare", "--corpus", str(corpus), "--model", "gpt-4o", "--format", "json"], cluster)
    same_json(["compare", "--corpus", "--format", "json"], cluster)  # the bundled corpus


def test_compare_with_dask_reports_a_bad_file_as_without(cluster: str, corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine\n" * 10 + b"\xff\n")
    here = cli("compare", str(corpus / "en.txt"), str(bad), "--format", "json")
    there = cli("compare", str(corpus / "en.txt"), str(bad), "--format", "json", "--dask", cluster)
    assert here.returncode == there.returncode == 1
    assert (here.stdout, here.stderr) == (there.stdout, there.stderr)


def test_file_commands_json_with_dask_equals_without(cluster: str, tmp_path: Path) -> None:
    batch = write_batch(tmp_path / "batch.jsonl", 8000)
    same_json(["batch", str(batch), "--model", "gpt-4o", "--model", "gpt-4o-mini", "--format", "json"],
              cluster)
    ft = write_finetune(tmp_path / "ft.jsonl", 8000)
    same_json(["finetune", str(ft), "--validation", str(ft), "--format", "json"], cluster)
    out = write_outputs(tmp_path / "out.jsonl", 20000)
    same_json(["usage", str(out), "--format", "json"], cluster)


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    run = cli("compare", str(write_text(tmp_path / "a.txt", 3, 1)), "--dask", "tcp://127.0.0.1:9",
              "--format", "json")
    assert run.returncode != 0 and run.stdout == ""
    assert "Cannot reach a Dask scheduler at 'tcp://127.0.0.1:9'" in run.stderr


# --- lost workers ------------------------------------------------------------------------------


def test_a_worker_killed_mid_job_still_gives_the_exact_result(client: object, tmp_path: Path) -> None:
    path = write_text(tmp_path / "big.txt", 60000, seed=5)
    s = CompareSettings(("o200k_base", "cl100k_base"))
    [pending] = submit_paths(client, [path], s, split_bytes=20_000)
    futures = pending._futures
    assert len(futures) > 100
    distributed.wait(futures[:1])
    pids = client.run(os.getpid)  # type: ignore[attr-defined]
    victim = next(iter(pids.values()))
    os.kill(victim, signal.SIGKILL)
    assert not all(f.done() for f in futures)  # killed while parts were still to count
    assert pending.result() == tokencmp.compare_file(path, encodings=["o200k_base", "cl100k_base"])
    wait_for_workers(client, 2)  # its nanny starts it again


def _die(item: object) -> None:
    os._exit(1)  # the worker process dies with this part, every time


def test_a_part_that_kills_every_worker_is_an_error_naming_it(client: object) -> None:
    chunk = Chunk(start=41, lines=[b"{}", b"{}"], sizes=[3, 3])
    with pytest.raises(ClusterError, match="lost lines 41 to 42: every worker that took it died"):
        list(chunk_map(client)(_die, iter([(chunk, None)])))
    wait_for_workers(client, 2)
