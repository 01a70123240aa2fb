"""Fixtures for the tertial report tests; the dataset itself is in dataset.py."""

from __future__ import annotations

import pytest

from .dataset import AFTER_T3_2022, T3_2022_END, Dataset, build_dataset

__all__ = ["AFTER_T3_2022", "T3_2022_END", "Dataset"]


@pytest.fixture
def dataset(db) -> Dataset:
    return build_dataset()
