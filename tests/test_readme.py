"""README.md: its Python examples run and print what they say; its two commands are what CI runs."""

from __future__ import annotations

import doctest
import re

from .helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_examples() -> None:
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False)
    assert result.failed == 0 and result.attempted >= 10


def test_readme_opens_with_the_main_job_and_the_test_command_ci_runs() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    main_job, test_command = first_block.group(1).strip().splitlines()
    assert main_job.endswith("pip install . && python -m tokencmp compare --corpus")
    assert test_command.endswith("pip install -e '.[all,test]' && python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip install (--quiet )?-e '\.\[all,test\]'", ci) and "\npython -m pytest" in ci


def test_api_page_examples() -> None:
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False)
    assert result.failed == 0 and result.attempted >= 3
