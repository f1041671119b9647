// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasource.h"

#include "fashionmnist.h"
#include "imagefolder.h"

namespace metaaug {

namespace {
const QString kFashionPrefix = QStringLiteral("fashion-mnist:");
}

QString DataSource::toString() const
{
    return kind == Kind::FashionMnist ? kFashionPrefix + split : path;
}

Result<DataSource> DataSource::parse(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("empty data source (use fashion-mnist:train, fashion-mnist:test or a folder path)"));
    DataSource s;
    if (t.startsWith(kFashionPrefix)) {
        s.split = t.mid(kFashionPrefix.size());
        if (s.split != QLatin1String("train") && s.split != QLatin1String("test"))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("unknown data source '%1': the Fashion-MNIST splits are fashion-mnist:train and fashion-mnist:test").arg(t));
        return s;
    }
    if (t.contains(QChar(0)))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("data source path contains a NUL character"));
    s.kind = Kind::Folder;
    s.path = t;
    return s;
}

Result<ImageDataset> openDataSource(const DataSource &source, const PreprocessSpec &spec)
{
    if (auto ok = spec.validate(); !ok)
        return ok.error();
    try {
        if (source.kind == DataSource::Kind::FashionMnist)
            return loadFashionMnist(source.split, spec);
        return loadImageFolder(source.path, spec);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("reading %1 failed: %2").arg(source.toString(), QString::fromUtf8(e.what())));
    }
}

Result<ImageDataset> openDataSource(const QString &text, const PreprocessSpec &spec)
{
    auto s = DataSource::parse(text);
    if (!s)
        return s.error();
    return openDataSource(*s, spec);
}

}  // namespace metaaug
