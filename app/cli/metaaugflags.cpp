#include "metaaugflags.h"

#include "methods/metaaug/metaaugoptioninfo.h"

namespace metaaug::cli {

void addMetaAugFlags(QCommandLineParser &parser)
{
    for (const auto &f : methods::metaAugOptionInfo()) {
        const QString help = QStringLiteral("MetaAug: ") + QString::fromUtf8(f.help);
        if (f.boolean)
            parser.addOption({QLatin1String(f.flag), help});
        else
            parser.addOption({QLatin1String(f.flag), help,
                              f.choices ? QString::fromLatin1(f.choices).toUpper() : f.text ? QStringLiteral("S") : QStringLiteral("X")});
    }
}

QJsonObject metaAugOptionsFromFlags(const QCommandLineParser &parser, bool *anySet)
{
    QJsonObject json;
    *anySet = false;
    for (const auto &f : methods::metaAugOptionInfo()) {
        if (!parser.isSet(QLatin1String(f.flag)))
            continue;
        *anySet = true;
        if (f.boolean) {
            json[QLatin1String(f.key)] = true;
            continue;
        }
        const QString v = parser.value(QLatin1String(f.flag));
        bool ok = false;
        const double d = v.toDouble(&ok);
        // A non-number for a numeric flag is passed as text; core rejects it naming the key.
        json[QLatin1String(f.key)] = !f.choices && ok ? QJsonValue(d) : QJsonValue(v);
    }
    return json;
}

QString withFlagNames(QString message)
{
    for (const auto &f : methods::metaAugOptionInfo())
        message.replace(QStringLiteral("metaaug option %1 ").arg(QLatin1String(f.key)), QStringLiteral("--%1 ").arg(QLatin1String(f.flag)));
    return message;
}

}  // namespace metaaug::cli
