// SPDX-License-Identifier: GPL-3.0-or-later
#include "calibrationsampler.h"

#include <QtCore/QCryptographicHash>

#include <numeric>
#include <random>

namespace metaaug {

torch::Tensor CalibrationSelection::indexTensor() const
{
    return torch::tensor(indices, torch::kInt64);
}

Result<CalibrationSelection> selectCalibration(const ImageDataset &data, int64_t n, uint64_t seed)
{
    const int64_t size = data.size();
    if (n < 1 || n > size)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("calibration size %1 is out of range: %2 has %3 images")
                             .arg(n).arg(data.source).arg(size));
    std::vector<int64_t> all(size);
    std::iota(all.begin(), all.end(), 0);
    std::mt19937_64 rng(seed);
    // Unbiased bounded draw by rejection; std::uniform_int_distribution is
    // implementation-defined and would break cross-platform reproducibility.
    auto below = [&rng](uint64_t bound) {
        const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % bound;
        uint64_t r;
        do { r = rng(); } while (r >= limit);
        return r % bound;
    };
    for (int64_t i = 0; i < n; ++i) {
        const int64_t j = i + int64_t(below(uint64_t(size - i)));
        std::swap(all[i], all[j]);
    }
    CalibrationSelection sel;
    sel.indices.assign(all.begin(), all.begin() + n);

    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(data.contentDigest.toLatin1());
    for (int64_t idx : sel.indices) {
        h.addData(QByteArray::number(qlonglong(idx)) + ':' + data.itemId(idx).toUtf8() + '\n');
    }
    sel.hash = QString::fromLatin1(h.result().toHex());
    return sel;
}

}  // namespace metaaug
