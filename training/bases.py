"""Training data a user's pairs can be added to (``detector train --base NAME``).

The detector finds these through the ``detector.bases`` entry points that
this repository's ``pyproject.toml`` declares, so the installed package never
imports ``training``: a checkout installed with ``pip install -e '.[train]'``
provides the ``default`` base, and another package could provide its own.
Each base is a function of the seed that returns the documents and a
description for the model's metadata.
"""

from __future__ import annotations

from typing import Any

from detector.fit.training_matrix import LabelledDocument

__all__ = ["default_documents"]


def default_documents(seed: int) -> tuple[list[LabelledDocument], dict[str, Any]]:
    """The main stages' training data of the shipped model, rebuilt by the
    recipe with ``seed``. The members' data (round trips need Apertium) need
    their own fitting, which ``detector train`` does not do; its models have
    no members."""
    from .recipe import Recipe, build_documents, summarize

    recipe = Recipe(seed=seed, roundtrip=False, spin_member=False)
    documents = build_documents(recipe)
    return documents, {"recipe": f"training.recipe.Recipe(seed={seed}, roundtrip=False, "
                                 "spin_member=False)",
                       "paragraphs_by_source": summarize(documents)}
