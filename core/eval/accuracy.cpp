// SPDX-License-Identifier: GPL-3.0-or-later
#include "accuracy.h"

namespace metaaug {

Result<AccuracyResult> evaluateTop1(const ForwardFn &forward, const ImageDataset &data, const AccuracyOptions &options)
{
    if (!data.labelled())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("data source %1 has no labels (use a folder with one sub-folder per class)").arg(data.source));
    const int64_t n = options.limit > 0 ? std::min(options.limit, data.size()) : data.size();
    const int64_t batch = std::max<int64_t>(1, options.batch);
    AccuracyResult r;
    r.n = n;
    std::vector<torch::Tensor> preds;
    try {
        for (int64_t b = 0; b < n; b += batch) {
            const int64_t e = std::min(n, b + batch);
            auto x = data.input(b, e);
            if (!x)
                return x.error();
            auto logits = forward(*x);
            if (!logits)
                return logits.error();
            if (logits->dim() != 2 || logits->size(0) != e - b)
                return makeError(ErrorCode::Unsupported,
                                 QStringLiteral("the model's output has shape %1; expected logits of shape [%2, classes]")
                                     .arg(QString::fromStdString(c10::str(logits->sizes()))).arg(e - b));
            auto p = logits->argmax(1);
            r.correct += (p == data.labels.slice(0, b, e)).sum().item<int64_t>();
            preds.push_back(p);
            if (options.progress && !options.progress(e, n))
                return makeError(ErrorCode::Aborted, QStringLiteral("evaluation cancelled after %1 of %2 images").arg(e).arg(n));
        }
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("evaluation on %1 failed: %2").arg(data.source, exceptionSummary(e)));
    }
    r.top1 = n ? 100.0 * double(r.correct) / double(n) : 0.0;
    r.predictions = torch::cat(preds);
    return r;
}

}  // namespace metaaug
