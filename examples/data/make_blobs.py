"""Writes blobs.npz: 600 points in 2-D from three Gaussian blobs (std 1), shuffled, with their blob labels."""
import numpy as np

rng = np.random.default_rng(20261125)
centres = np.array([[-4.0, 0.0], [4.0, 0.0], [0.0, 5.0]])
labels = rng.integers(0, 3, size=600)
points = centres[labels] + rng.normal(0, 1, size=(600, 2))
np.savez("examples/data/blobs.npz", points=points.astype(np.float32), labels=labels.astype(np.int32))
