#!/usr/bin/python3
"""Make examples/data/fashion-mnist-1000.npz, the small Fashion-MNIST subset bundled with HAMUX.

Source: Debian's package ``dataset-fashion-mnist`` (upstream
https://github.com/zalandoresearch/fashion-mnist, MIT license), which installs the original IDX files
under /usr/share/datasets/fashion-mnist/.

Content: the FIRST 1000 images of the *training* set (train-images-idx3-ubyte.gz), in file order, each
28x28 image flattened row-major, and their labels (train-labels-idx1-ubyte.gz):

    images  uint8 [1000, 784]   pixel values 0..255 (0 = background)
    labels  uint8 [1000]        class 0..9

Written with np.savez_compressed. Regenerate (needs only numpy):

    sudo apt-get install dataset-fashion-mnist
    /usr/bin/python3 examples/data/make_subset.py [SOURCE_DIR] [OUTPUT]
"""
import gzip
import os
import sys

import numpy as np

N = 1000


def read_idx(path, count):
    """The first `count` items of an IDX file of unsigned bytes (magic 0x0801 or 0x0803), gzipped or not."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = int.from_bytes(f.read(4), "big")
        if magic >> 8 != 0x08 or not 1 <= magic & 0xFF <= 3:
            raise ValueError(f"{path}: not an IDX file of unsigned bytes (magic {magic:#010x})")
        dims = [int.from_bytes(f.read(4), "big") for _ in range(magic & 0xFF)]
        if dims[0] < count:
            raise ValueError(f"{path}: holds {dims[0]} items, fewer than {count}")
        size = count * int(np.prod(dims[1:], dtype=np.int64))
        data = np.frombuffer(f.read(size), dtype=np.uint8)
        if data.size != size:
            raise ValueError(f"{path}: truncated")
        return data.reshape([count] + dims[1:])


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "fashion-mnist-1000.npz")
    images = read_idx(os.path.join(src, "train-images-idx3-ubyte.gz"), N).reshape(N, 28 * 28)
    labels = read_idx(os.path.join(src, "train-labels-idx1-ubyte.gz"), N)
    assert images.dtype == np.uint8 and images.shape == (N, 784)
    assert labels.dtype == np.uint8 and labels.shape == (N,) and labels.max() <= 9
    np.savez_compressed(out, images=images, labels=labels)
    # the first 1000 images of the test set: held-out queries for the trained models of examples/models
    test_images = read_idx(os.path.join(src, "t10k-images-idx3-ubyte.gz"), N).reshape(N, 28 * 28)
    test_labels = read_idx(os.path.join(src, "t10k-labels-idx1-ubyte.gz"), N)
    np.savez_compressed(os.path.join(os.path.dirname(out), "fashion-mnist-test-1000.npz"),
                        images=test_images, labels=test_labels)
    # the mean image of the subset, [28, 28] float32 in [0, 1]: where fashion-completion.json starts erased pixels
    mean = (images.astype(np.float64) / 255).mean(axis=0).reshape(28, 28).astype(np.float32)
    np.save(os.path.join(os.path.dirname(out), "fashion-mnist-1000-mean.npy"), mean)


if __name__ == "__main__":
    main()
