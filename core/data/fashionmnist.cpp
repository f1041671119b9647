// SPDX-License-Identifier: GPL-3.0-or-later
#include "fashionmnist.h"

#include "common/hashing.h"
#include "common/paths.h"
#include "idxreader.h"

#include <QtCore/QCryptographicHash>

namespace metaaug {

QStringList fashionMnistClassNames()
{
    return {QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
            QStringLiteral("Dress"),       QStringLiteral("Coat"),    QStringLiteral("Sandal"),
            QStringLiteral("Shirt"),       QStringLiteral("Sneaker"), QStringLiteral("Bag"),
            QStringLiteral("Ankle boot")};
}

Result<ImageDataset> loadFashionMnist(const QString &split, const PreprocessSpec &spec)
{
    if (split != QLatin1String("train") && split != QLatin1String("test"))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("unknown Fashion-MNIST split '%1' (use train or test)").arg(split));
    const QString prefix = split == QLatin1String("train") ? QStringLiteral("train") : QStringLiteral("t10k");
    const QString dir = fashionMnistDir();
    const QString imagesPath = dir + QLatin1Char('/') + prefix + QStringLiteral("-images-idx3-ubyte.gz");
    const QString labelsPath = dir + QLatin1Char('/') + prefix + QStringLiteral("-labels-idx1-ubyte.gz");

    auto images = readIdx(imagesPath);
    if (!images)
        return images.error();
    auto labels = readIdx(labelsPath);
    if (!labels)
        return labels.error();
    if (images->dims.size() != 3)
        return makeError(ErrorCode::BadFile,
                         QStringLiteral("IDX file %1 has %2 dimensions; images need 3 (count, rows, columns)")
                             .arg(imagesPath).arg(images->dims.size()));
    if (labels->dims.size() != 1)
        return makeError(ErrorCode::BadFile,
                         QStringLiteral("IDX file %1 has %2 dimensions; labels need 1").arg(labelsPath).arg(labels->dims.size()));
    if (images->count() != labels->count())
        return makeError(ErrorCode::BadFile, QStringLiteral("%1 holds %2 images but %3 holds %4 labels")
                                                 .arg(imagesPath).arg(images->count()).arg(labelsPath).arg(labels->count()));

    const int64_t n = images->count(), rows = images->dims[1], cols = images->dims[2];
    ImageDataset ds;
    ds.source = QStringLiteral("fashion-mnist:") + split;
    ds.classNames = fashionMnistClassNames();
    auto raw = torch::from_blob(images->data.data(), {n, 1, rows, cols}, torch::kUInt8);
    if (spec.channels == 1 && spec.height == rows && spec.width == cols && spec.resize == std::min(rows, cols)) {
        ds.images = raw.clone();
    } else {
        ds.images = torch::empty({n, spec.channels, spec.height, spec.width}, torch::kUInt8);
        for (int64_t i = 0; i < n; ++i) {
            cv::Mat m(int(rows), int(cols), CV_8UC1, raw[i].data_ptr<uint8_t>());
            cv::Mat p = prepareImage(m, spec);
            auto t = torch::from_blob(p.data, {spec.height, spec.width, spec.channels}, torch::kUInt8);
            ds.images[i].copy_(t.permute({2, 0, 1}));
        }
    }
    auto lab = torch::from_blob(labels->data.data(), {n}, torch::kUInt8).to(torch::kInt64);
    if (lab.max().item<int64_t>() >= ds.classNames.size())
        return makeError(ErrorCode::BadFile, QStringLiteral("IDX file %1 holds label %2; Fashion-MNIST has 10 classes")
                                                 .arg(labelsPath).arg(lab.max().item<int64_t>()));
    ds.labels = lab;
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(images->data);
    h.addData(labels->data);
    ds.contentDigest = QString::fromLatin1(h.result().toHex());
    return ds;
}

}  // namespace metaaug
