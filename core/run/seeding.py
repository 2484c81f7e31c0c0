"""Seeding the random generators that user code and the lab's tasks draw from."""

from __future__ import annotations

import random

import numpy as np
import torch


def seed_everything(seed: int) -> None:
    """Seed torch, numpy and random, in the calling thread's generators."""
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)
