// SPDX-License-Identifier: GPL-3.0-or-later
// Data source strings as used by the CLI and the run spec:
// "fashion-mnist:train", "fashion-mnist:test", or a folder path.
#pragma once

#include "imagedataset.h"

namespace metaaug {

struct DataSource {
    enum class Kind { FashionMnist, Folder };
    Kind kind = Kind::FashionMnist;
    QString split;  // FashionMnist: "train" or "test"
    QString path;   // Folder

    QString toString() const;
    // Accepts the forms above; "fashion-mnist:<other>" and an empty string
    // are errors naming the value.
    static Result<DataSource> parse(const QString &text);
};

// Opens the source with the given preprocessing; catches library exceptions.
Result<ImageDataset> openDataSource(const DataSource &source, const PreprocessSpec &spec);
Result<ImageDataset> openDataSource(const QString &text, const PreprocessSpec &spec);

}  // namespace metaaug
