// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagefolder.h"

#include "common/hashing.h"
#include "imageheader.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>

#include <ATen/Parallel.h>

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

namespace {

// Each file's bytes hashed at open time: the hash identifies the item in the
// calibration hash and tells, at read time, that the file changed since.
struct Item {
    QString path;
    QString hashPrefix;  // the first 16 hex digits of the file's SHA-256
};

// Keeps the list of files and decodes an item when it is read.
class FolderReader final : public ImageReader {
public:
    FolderReader(std::vector<Item> items, const PreprocessSpec &spec) : m_items(std::move(items)), m_spec(spec) {}

    int64_t size() const override { return int64_t(m_items.size()); }

    Result<cv::Mat> read(int64_t index) const override
    {
        const Item &item = m_items[size_t(index)];
        QFile f(item.path);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::NotFound, QStringLiteral("image file %1 can no longer be read (%2); it was there when the "
                                                                 "data source was opened: reopen it")
                                                      .arg(item.path, f.errorString()));
        const QByteArray bytes = f.readAll();
        if (sha256Hex(bytes).left(item.hashPrefix.size()) != item.hashPrefix)
            return makeError(ErrorCode::BadFile, QStringLiteral("image file %1 changed since the data source was opened (its "
                                                                "content hash differs): reopen it")
                                                     .arg(item.path));
        QString reason;
        cv::Mat img = decodeImage(bytes, m_spec, &reason);
        if (img.empty())
            return makeError(ErrorCode::BadFile, QStringLiteral("image file %1 cannot be decoded: %2").arg(item.path, reason));
        return img;
    }

private:
    std::vector<Item> m_items;
    PreprocessSpec m_spec;
};

struct Inspection {
    QString hashPrefix;  // set when the file is a usable image
    QString reason;      // else why it is skipped
};

Inspection inspect(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {{}, QStringLiteral("cannot read: %1").arg(f.errorString())};
    const QByteArray bytes = f.readAll();
    if (bytes.isEmpty())
        return {{}, QStringLiteral("empty file")};
    if (auto refused = checkImageHeader(bytes))
        return {{}, *refused};
    try {
        // At an eighth of the size: JPEG then skips most of its inverse DCT
        // but still decodes every coefficient, so a cut or corrupt body fails
        // here as it would at full size.
        const cv::Mat buf(1, int(bytes.size()), CV_8UC1, const_cast<char *>(bytes.constData()));
        if (cv::imdecode(buf, cv::IMREAD_REDUCED_GRAYSCALE_8).empty())
            return {{}, QStringLiteral("not a decodable image")};
    } catch (const cv::Exception &e) {
        return {{}, QStringLiteral("OpenCV could not decode it (%1)").arg(QString::fromStdString(e.msg))};
    }
    return {sha256Hex(bytes).left(16), {}};
}

}  // namespace

Result<ImageDataset> loadImageFolder(const QString &path, const PreprocessSpec &spec)
{
    QDir root(path);
    if (!QFileInfo(path).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("image folder %1 does not exist or is not a folder").arg(path));

    ImageDataset ds;
    ds.source = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    ds.spec = spec;
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

    // Every file is read, hashed and test-decoded, in parallel, one file per
    // thread at a time; only its hash is kept (the pixels are decoded again
    // when the item is read). Undecodable files are skipped now, as always.
    std::vector<Inspection> found(entries.size());
    at::parallel_for(0, int64_t(entries.size()), 1, [&](int64_t from, int64_t to) {
        for (int64_t i = from; i < to; ++i)
            found[size_t(i)] = inspect(entries[size_t(i)].path);
    });
    std::vector<Item> items;
    std::vector<int64_t> labels;
    QCryptographicHash digest(QCryptographicHash::Sha256);
    for (size_t i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        if (!found[i].reason.isEmpty()) {
            ds.skipped.push_back({e.path, found[i].reason});
            continue;
        }
        const QString id = root.relativeFilePath(e.path) + QLatin1Char(':') + found[i].hashPrefix;
        ds.itemIds << id;
        digest.addData(id.toUtf8());
        items.push_back({e.path, found[i].hashPrefix});
        labels.push_back(e.label);
    }
    if (items.empty()) {
        QString why = entries.empty() ? QStringLiteral("it holds no files")
                                      : QStringLiteral("none of its %1 files is a readable image (first: %2: %3)")
                                            .arg(entries.size())
                                            .arg(ds.skipped.back().path, ds.skipped.back().reason);
        return makeError(ErrorCode::BadFile, QStringLiteral("image folder %1 has no usable images: %2").arg(path, why));
    }

    ds.labels = torch::tensor(labels, torch::kInt64);
    ds.contentDigest = QString::fromLatin1(digest.result().toHex());
    ds.reader = std::make_shared<FolderReader>(std::move(items), spec);
    return ds;
}

}  // namespace metaaug
