// SPDX-License-Identifier: GPL-3.0-or-later
#include "specflags.h"

#include "methods/method.h"
#include "run/specfields.h"

namespace metaaug::cli {

namespace {

QString valueName(const Field &f)
{
    switch (f.type) {
    case FieldType::Integer: return QStringLiteral("N");
    case FieldType::Number: return QStringLiteral("X");
    case FieldType::Choice: {
        const QString all = f.choices.join(QLatin1Char('|'));
        return all.size() <= 20 ? all : QStringLiteral("ID");
    }
    default: return QStringLiteral("S");
    }
}

QString flagOf(const Field &f)
{
    return f.negatedFlag ? QStringLiteral("no-") + f.flag : f.flag;
}

void addFlag(QCommandLineParser &parser, const Field &f, const QString &prefix)
{
    if (f.type == FieldType::Boolean) {
        const QString help = f.negatedFlag ? QStringLiteral("Turn off: ") + f.help : f.help;
        parser.addOption({flagOf(f), prefix + help});
        return;
    }
    parser.addOption({f.flag, prefix + f.describe(), valueName(f),
                      f.defaultValue.isUndefined() ? QString() : f.defaultValue.toVariant().toString()});
}

// A given flag as the field's JSON value.
Result<QJsonValue> flagValue(const QCommandLineParser &parser, const Field &f)
{
    if (f.type == FieldType::Boolean)
        return QJsonValue(!f.negatedFlag);
    const QString text = parser.value(f.flag);
    auto v = f.parse(text);
    if (!v)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--%1 '%2' %3").arg(f.flag, text, v.error().message));
    return v;
}

}  // namespace

void addSpecFlags(QCommandLineParser &parser)
{
    for (const SpecField &f : specFields())
        if (!f.field.flag.isEmpty())
            addFlag(parser, f.field, QString());
    QStringList added;
    for (const methods::Method *m : methods::allMethods())
        for (const Field &f : m->options())
            if (!added.contains(f.flag)) {
                added << f.flag;
                addFlag(parser, f, m->id() + QStringLiteral(": "));
            }
}

Result<QJsonObject> specFromFlags(const QCommandLineParser &parser)
{
    QJsonObject given;
    for (const SpecField &f : specFields())
        if (!f.field.flag.isEmpty() && parser.isSet(flagOf(f.field))) {
            auto v = flagValue(parser, f.field);
            if (!v)
                return v.error();
            given[f.field.key] = *v;
        }
    const QString method = given.value(QLatin1String("method")).toString(findSpecField(QStringLiteral("method"))->field.defaultValue.toString());
    const methods::Method *chosen = methods::findMethod(method);
    QJsonObject options;
    for (const methods::Method *m : methods::allMethods())
        for (const Field &f : m->options()) {
            if (!parser.isSet(flagOf(f)) || options.contains(f.key))
                continue;
            const Field *own = chosen ? findField(chosen->options(), f.key) : nullptr;
            if (!own)
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("--%1 is an option of %2: it needs --method %2 (got %3)")
                                                                 .arg(flagOf(f), m->id(), method));
            auto v = flagValue(parser, *own);
            if (!v)
                return v.error();
            options[f.key] = *v;
        }
    if (!options.isEmpty())
        given[QStringLiteral("method_options")] = options;
    return given;
}

QString withFlagNames(QString message)
{
    for (const SpecField &f : specFields())
        if (!f.field.flag.isEmpty())
            message.replace(QStringLiteral("run spec: \"%1\"").arg(f.field.key), QStringLiteral("--") + flagOf(f.field));
    for (const methods::Method *m : methods::allMethods())
        for (const Field &f : m->options())
            message.replace(QStringLiteral("%1 option %2 ").arg(m->id(), f.key), QStringLiteral("--%1 ").arg(flagOf(f)));
    return message;
}

}  // namespace metaaug::cli
