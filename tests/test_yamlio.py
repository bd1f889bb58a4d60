"""The fast YAML loading gives what yaml.safe_load gives: the same documents and the same errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from radicula.yamlio import safe_load

KNOWLEDGE = FIXTURES.parents[1] / "src/radicula/knowledge/data"
DOCUMENTS = sorted(FIXTURES.rglob("*.yaml")) + sorted(KNOWLEDGE.rglob("*.yaml"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_same_documents(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert safe_load(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", ["reporter: self\n  bad: [", "a: [1, 2", "- a\nb: 1", "\tfoo: 1", "a: \ud800",
                                  "a: !!python/object:os.system x"])
def test_same_errors(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as got:
        safe_load(text)
    assert type(got.value) is type(expected.value)
    assert str(got.value) == str(expected.value)
