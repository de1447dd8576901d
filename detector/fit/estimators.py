"""The estimators of both stages and their hyperparameters."""

from __future__ import annotations

from typing import Any

import numpy as np


def make_stage_estimators(random_state: int) -> tuple[Any, Any, Any]:
    """Fresh, unfitted stage-1 (features, characters) and stage-2 estimators."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    paragraph = HistGradientBoostingClassifier(
        max_iter=300,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=random_state,
    )
    chars = Pipeline([
        ("tfidf", TfidfVectorizer(
            analyzer="char", ngram_range=(1, 4), min_df=2, sublinear_tf=True,
            max_features=50_000, dtype=np.float32,
        )),
        ("logistic", LogisticRegression(C=1.0, max_iter=2000)),
    ])
    context = LogisticRegression(C=1.0, max_iter=1000)
    return paragraph, chars, context
