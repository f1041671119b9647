// SPDX-License-Identifier: GPL-3.0-or-later
#include "datasummary.h"

#include "data/datasource.h"
#include "data/preprocess.h"
#include "model/modelcard.h"

namespace metaaug {

namespace {

Result<DataSummary> summarize(const QString &source, const PreprocessSpec &pre, int sampleCount)
{
    auto data = openDataSource(source, pre);
    if (!data)
        return data.error();
    DataSummary s;
    s.source = source;
    s.count = data->size();
    s.classNames = data->classNames;
    s.labelled = data->labelled();
    for (const SkippedFile &f : data->skipped)
        s.skipped << QStringLiteral("%1: %2").arg(f.path, f.reason);
    const int64_t n = std::min<int64_t>(sampleCount, s.count);
    for (int64_t i = 0; i < n; ++i) {  // only these items are decoded
        auto img = data->image(i);
        if (!img)
            return img.error();
        s.samples.push_back(std::move(*img));
        s.sampleLabels.push_back(data->labels.defined() ? int(data->labels[i].item<int64_t>()) : -1);
    }
    return s;
}

}  // namespace

Result<DataSummary> summarizeData(const QString &source, const QString &modelPath, int sampleCount, const QString &cardPath)
{
    PreprocessSpec pre;
    if (!cardPath.isEmpty() || !modelPath.isEmpty()) {
        auto card = cardPath.isEmpty() ? cardForModel(modelPath, std::nullopt) : ModelCard::load(cardPath);
        if (!card)
            return card.error();
        pre = card->preprocess;
    }
    return summarizeData(source, pre, sampleCount);
}

Result<DataSummary> summarizeData(const QString &source, const PreprocessSpec &pre, int sampleCount)
{
    try {
        return summarize(source, pre, sampleCount);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("data source %1 could not be read: %2")
                                                  .arg(source, exceptionSummary(e)));
    }
}

}  // namespace metaaug
