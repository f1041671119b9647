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

namespace {

// Keeps the split's raw 28x28 bytes (47 MB for train) and prepares an item
// when it is read: at 3x224x224 the whole train split would be 9 GB.
class FashionMnistReader final : public ImageReader {
public:
    FashionMnistReader(QByteArray raw, int64_t count, int rows, int cols, const PreprocessSpec &spec)
        : m_raw(std::move(raw)), m_count(count), m_rows(rows), m_cols(cols), m_spec(spec)
    {
    }

    int64_t size() const override { return m_count; }

    Result<cv::Mat> read(int64_t index) const override
    {
        // The buffer is never written: the Mat only views it.
        const cv::Mat m(m_rows, m_cols, CV_8UC1,
                        const_cast<char *>(m_raw.constData()) + index * int64_t(m_rows) * m_cols);
        return prepareImage(m, m_spec);  // a clone, also when no conversion is needed
    }

private:
    QByteArray m_raw;
    int64_t m_count;
    int m_rows, m_cols;
    PreprocessSpec m_spec;
};

}  // namespace

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

    const int64_t n = images->count();
    ImageDataset ds;
    ds.source = QStringLiteral("fashion-mnist:") + split;
    ds.spec = spec;
    ds.classNames = fashionMnistClassNames();
    auto lab = torch::from_blob(labels->data.data(), {n}, torch::kUInt8).to(torch::kInt64);
    if (lab.max().item<int64_t>() >= ds.classNames.size())
        return makeError(ErrorCode::BadFile, QStringLiteral("IDX file %1 holds label %2; Fashion-MNIST has 10 classes")
                                                 .arg(labelsPath).arg(lab.max().item<int64_t>()));
    ds.labels = lab;
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(images->data);
    h.addData(labels->data);
    ds.contentDigest = QString::fromLatin1(h.result().toHex());
    ds.reader = std::make_shared<FashionMnistReader>(std::move(images->data), n, int(images->dims[1]), int(images->dims[2]), spec);
    return ds;
}

}  // namespace metaaug
