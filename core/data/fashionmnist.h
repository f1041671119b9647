// SPDX-License-Identifier: GPL-3.0-or-later
// Fashion-MNIST from Debian's dataset-fashion-mnist IDX files.
#pragma once

#include "imagedataset.h"

namespace metaaug {

// split: "train" (60 000 images) or "test" (10 000). Images are brought to
// the spec's channels and size (28x28 grayscale needs no conversion).
Result<ImageDataset> loadFashionMnist(const QString &split, const PreprocessSpec &spec);

// The ten class names, in label order.
QStringList fashionMnistClassNames();

}  // namespace metaaug
