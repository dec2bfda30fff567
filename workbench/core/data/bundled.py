"""The small data sets that ship inside scikit-learn (digits, iris, wine, breast cancer, diabetes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.data.types import CLASSIFICATION, REGRESSION, Dataset


def load_bundled(name: str) -> Dataset:
    # Imported here: scikit-learn takes a noticeable moment to import and most runs never
    # touch it.
    from sklearn import datasets as skd

    loaders = {"digits": skd.load_digits, "iris": skd.load_iris, "wine": skd.load_wine,
               "breast_cancer": skd.load_breast_cancer, "diabetes": skd.load_diabetes}
    bunch: Any = loaders[name](return_X_y=False)
    if name == "digits":
        # 8x8 grey images with values 0..16: scaled to 0..1 like every other image source.
        x = (np.asarray(bunch.images, dtype=np.float32) / 16.0)[:, None, :, :]
        return Dataset(name=name, x=x, y=np.asarray(bunch.target, dtype=np.int64),
                       task=CLASSIFICATION,
                       class_names=tuple(str(c) for c in bunch.target_names))
    x = np.asarray(bunch.data, dtype=np.float32)
    features = tuple(str(f) for f in bunch.feature_names)
    if name == "diabetes":
        return Dataset(name=name, x=x, y=np.asarray(bunch.target, dtype=np.float32),
                       task=REGRESSION, feature_names=features)
    return Dataset(name=name, x=x, y=np.asarray(bunch.target, dtype=np.int64),
                   task=CLASSIFICATION, class_names=tuple(str(c) for c in bunch.target_names),
                   feature_names=features)

