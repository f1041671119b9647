// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagefolder.h"

#include "common/hashing.h"
#include "imageheader.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>

#include <opencv2/imgcodecs.hpp>

namespace metaaug {

namespace {

struct Entry {
    QString path;
    int64_t label;
};

QStringList sortedFilesRecursive(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

}  // namespace

cv::Mat decodeImage(const QByteArray &bytes, const PreprocessSpec &spec, QString *reason)
{
    if (bytes.isEmpty()) {
        *reason = QStringLiteral("empty file");
        return {};
    }
    if (auto refused = checkImageHeader(bytes)) {
        *reason = *refused;
        return {};
    }
    try {
        cv::Mat buf(1, int(bytes.size()), CV_8UC1, const_cast<char *>(bytes.constData()));
        cv::Mat img = cv::imdecode(buf, spec.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
        if (img.empty()) {
            *reason = QStringLiteral("not a decodable image");
            return {};
        }
        if (img.depth() != CV_8U) {
            cv::Mat eight;
            img.convertTo(eight, CV_8U, img.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
            img = eight;
        }
        return prepareImage(img, spec);
    } catch (const cv::Exception &e) {
        *reason = QStringLiteral("OpenCV could not decode it (%1)").arg(QString::fromStdString(e.msg));
        return {};
    }
}

Result<ImageDataset> loadImageFolder(const QString &path, const PreprocessSpec &spec)
{
    QDir root(path);
    if (!QFileInfo(path).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("image folder %1 does not exist or is not a folder").arg(path));

    ImageDataset ds;
    ds.source = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QStringList classes = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    std::vector<Entry> entries;
    if (classes.isEmpty()) {
        for (const QString &f : root.entryList(QDir::Files, QDir::Name))
            entries.push_back({root.filePath(f), -1});
    } else {
        ds.classNames = classes;
        for (const QString &f : root.entryList(QDir::Files, QDir::Name))
            ds.skipped.push_back({root.filePath(f), QStringLiteral("outside the class folders")});
        for (int c = 0; c < classes.size(); ++c)
            for (const QString &f : sortedFilesRecursive(root.filePath(classes[c])))
                entries.push_back({f, c});
    }

    std::vector<cv::Mat> images;
    std::vector<int64_t> labels;
    QCryptographicHash digest(QCryptographicHash::Sha256);
    for (const Entry &e : entries) {
        QFile f(e.path);
        if (!f.open(QIODevice::ReadOnly)) {
            ds.skipped.push_back({e.path, QStringLiteral("cannot read: %1").arg(f.errorString())});
            continue;
        }
        const QByteArray bytes = f.readAll();
        QString reason;
        cv::Mat img = decodeImage(bytes, spec, &reason);
        if (img.empty()) {
            ds.skipped.push_back({e.path, reason});
            continue;
        }
        const QString id = root.relativeFilePath(e.path) + QLatin1Char(':') + sha256Hex(bytes).left(16);
        ds.itemIds << id;
        digest.addData(id.toUtf8());
        images.push_back(img);
        labels.push_back(e.label);
    }
    if (images.empty()) {
        QString why = entries.empty() ? QStringLiteral("it holds no files")
                                      : QStringLiteral("none of its %1 files is a readable image (first: %2: %3)")
                                            .arg(entries.size())
                                            .arg(ds.skipped.back().path, ds.skipped.back().reason);
        return makeError(ErrorCode::BadFile, QStringLiteral("image folder %1 has no usable images: %2").arg(path, why));
    }

    const int64_t n = int64_t(images.size());
    ds.images = torch::empty({n, spec.channels, spec.height, spec.width}, torch::kUInt8);
    for (int64_t i = 0; i < n; ++i) {
        auto t = torch::from_blob(images[i].data, {spec.height, spec.width, spec.channels}, torch::kUInt8);
        ds.images[i].copy_(t.permute({2, 0, 1}));
    }
    ds.labels = torch::tensor(labels, torch::kInt64);
    ds.contentDigest = QString::fromLatin1(digest.result().toHex());
    return ds;
}

}  // namespace metaaug
