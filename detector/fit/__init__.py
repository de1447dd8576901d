"""Fitting: estimators, the detector and its stages, training data, the train API."""
