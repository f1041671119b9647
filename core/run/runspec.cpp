#include "runspec.h"

namespace metaaug {

QJsonObject RunSpec::toJson() const
{
    return QJsonObject{{QStringLiteral("model"), modelPath},
                       {QStringLiteral("method"), method},
                       {QStringLiteral("wbits"), wbits},
                       {QStringLiteral("abits"), abits},
                       {QStringLiteral("setting"), QLatin1String(quant::bitSettingName(setting))},
                       {QStringLiteral("fold_bn"), foldBatchNorm},
                       {QStringLiteral("calib"), calibSource},
                       {QStringLiteral("calib_size"), qint64(calibSize)},
                       {QStringLiteral("eval"), evalSource},
                       {QStringLiteral("eval_limit"), qint64(evalLimit)},
                       {QStringLiteral("iters"), iterations},
                       {QStringLiteral("batch"), batch},
                       {QStringLiteral("seed"), QString::number(seed)},
                       {QStringLiteral("threads"), threads},
                       {QStringLiteral("method_options"), methodOptions},
                       {QStringLiteral("engine_version"), QStringLiteral(METAAUG_VERSION)}};
}

}  // namespace metaaug
