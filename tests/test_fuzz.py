"""Fuzz properties (tests/fuzz_properties.py) with small example budgets.

The reader, segmentation, scoring and CLI properties run here on every test
run; ``python -m benchmarks.fuzz`` runs the same ones with a large budget.
Scoring properties use the tiny model; the CLI ones the default model, which
``detector.cli.run`` loads once per process (``detector.score.batch.load_scorer``).
"""

from __future__ import annotations

import pytest

from fuzz_properties import PROPERTIES, Property, run_property

#: Examples per property before its ``share`` (the CLI runs a tenth of these).
BUDGET = 200


@pytest.mark.parametrize("prop", [pytest.param(p, id=p.name) for p in PROPERTIES])
def test_property_holds(prop: Property, request: pytest.FixtureRequest) -> None:
    """Every property holds on a small budget of examples (scoring with the tiny model)."""
    model = request.getfixturevalue("tiny_model") if prop.needs_model else None
    outcome = run_property(prop, prop.budget(BUDGET), model=model)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.examples >= 1


def test_run_property_counts_examples_and_reports_failures() -> None:
    """run_property counts the examples the check ran and hands back the
    failure with the shrunk example."""
    from hypothesis import strategies as st

    def check_small(number: int) -> None:
        assert number < 10

    failing = run_property(Property("small", check_small, {"number": st.integers()}), 100, seed=0)
    assert not failing.passed and isinstance(failing.error, AssertionError)
    assert failing.falsifying == {"number": 10}
    assert failing.examples >= 2
    passing = run_property(Property("bool", check_small, {"number": st.sampled_from([1, 2])}),
                           100, seed=0)
    assert passing.passed and 1 <= passing.examples <= 10
