"""The recipes of docs/scale.md on Ray Data, Hugging Face datasets and Spark, run when each is installed.

Each counts the same texts with :class:`tokencmp.scale.columns.CountBatch` on two workers and sums the
count columns with the engine's own aggregation; the totals must equal the comparison counted here in
one process (tokencmp.scale.count_texts, itself checked against compare_text in tests/test_scale.py).
"""

from __future__ import annotations

import os
import random
import shutil
import sys

import pytest

from tokencmp.scale import CompareSettings, count_texts, finish
from tokencmp.scale.columns import CountBatch, CountFrames, count_columns, spark_schema, totals

pytestmark = pytest.mark.slow

WORDS = ["token", "日本語", "テキスト", "Ωμέγα", "слово", "naïve", "e\u0301", "👍🏽", "42", "ﬁne", "  ", "\n"]


def texts(n: int = 3000) -> list[str]:
    rng = random.Random(11)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40))) for _ in range(n)]


SETTINGS = CompareSettings(("o200k_base", "cl100k_base"), models=("gpt-4o",)).resolved()


def expected() -> object:
    return finish(SETTINGS, count_texts(SETTINGS, texts()))


def test_ray_data_map_batches_with_a_callable_class() -> None:
    ray = pytest.importorskip("ray", reason="Ray is in the extra tokencmp[ray]")
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False,
             configure_logging=False)
    try:
        ds = ray.data.from_items([{"text": t} for t in texts()], override_num_blocks=8)
        counted = ds.map_batches(CountBatch, fn_constructor_args=(SETTINGS,), concurrency=2,
                                 batch_format="pandas", batch_size=200)
        sums = counted.sum(count_columns(SETTINGS))  # Ray names them "sum(column)"
        assert totals(SETTINGS, {c: sums[f"sum({c})"] for c in count_columns(SETTINGS)}) == expected()
    finally:
        ray.shutdown()


def test_datasets_map_batched_on_two_processes() -> None:
    datasets = pytest.importorskip("datasets", reason="datasets is in the extra tokencmp[scale]")
    ds = datasets.Dataset.from_dict({"text": texts()})
    counted = ds.map(CountBatch(SETTINGS), batched=True, batch_size=250, num_proc=2,
                     load_from_cache_file=False)
    sums = {c: sum(counted[c]) for c in count_columns(SETTINGS)}
    assert totals(SETTINGS, sums) == expected()


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (a JDK 17 or later on PATH)")
def test_spark_map_in_pandas() -> None:
    pytest.importorskip("pyspark", reason="Spark is in the extra tokencmp[spark]")
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master("local[2]").appName("tokencmp-test")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
             .getOrCreate())
    try:
        frame = spark.createDataFrame([(t,) for t in texts()], "text string").repartition(4)
        counted = frame.mapInPandas(CountFrames(SETTINGS), schema=spark_schema(SETTINGS))
        row = counted.agg(*[F.sum(c).alias(c) for c in count_columns(SETTINGS)]).collect()[0]
        assert totals(SETTINGS, row.asDict()) == expected()
    finally:
        spark.stop()
