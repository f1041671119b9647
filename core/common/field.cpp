// SPDX-License-Identifier: GPL-3.0-or-later
#include "field.h"

#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>

#include <cmath>
#include <limits>

namespace metaaug {

namespace {

QString num(double x)
{
    // Integers as integers, others shortest. A 64-bit bound such as INT64_MAX
    // is stored as a double that rounds up to 2^63, which qint64 cannot hold:
    // print the bound it stands for exactly instead of casting (UB, and it
    // printed -9223372036854775808).
    constexpr double kTwo63 = 9223372036854775808.0;
    if (x >= kTwo63)
        return QString::number(std::numeric_limits<qint64>::max());
    if (x <= -kTwo63)
        return QString::number(std::numeric_limits<qint64>::min());
    if (x == std::floor(x))
        return QString::number(qint64(x));
    return QString::number(x, 'g', 6);
}

QString shown(const QJsonValue &v)
{
    if (v.isDouble())
        return num(v.toDouble());
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isString())
        return v.toString();
    return v.isNull() ? QStringLiteral("null") : v.isArray() ? QStringLiteral("an array") : QStringLiteral("an object");
}

}  // namespace

QString Field::problem(const QJsonValue &v) const
{
    switch (type) {
    case FieldType::Integer: {
        bool ok = false;
        double d = 0;
        if (v.isDouble()) {
            d = v.toDouble();
            ok = d == std::floor(d) && std::abs(d) < 9.0e15;
        } else if (v.isString() && bigInteger) {
            const qint64 x = v.toString().toLongLong(&ok);
            d = double(x);
        }
        if (!ok || d < minimum || d > maximum)
            return QStringLiteral("must be a whole number from %1 to %2 (got %3)").arg(num(minimum), num(maximum), shown(v));
        return {};
    }
    case FieldType::Number:
        if (!v.isDouble() || !(v.toDouble() >= minimum && v.toDouble() <= maximum))
            return QStringLiteral("must be a number from %1 to %2 (got %3)").arg(num(minimum), num(maximum), shown(v));
        return {};
    case FieldType::Boolean:
        return v.isBool() ? QString() : QStringLiteral("must be true or false (got %1)").arg(shown(v));
    case FieldType::Choice:
        if (!v.isString() || !choices.contains(v.toString()))
            return QStringLiteral("must be one of %1 (got %2)").arg(choices.join(QStringLiteral(", ")), shown(v));
        return {};
    case FieldType::Text:
        if (!v.isString())
            return QStringLiteral("must be a string (got %1)").arg(shown(v));
        if (!pattern.isEmpty() && !QRegularExpression(QStringLiteral("\\A(?:%1)\\z").arg(pattern)).match(v.toString()).hasMatch())
            return QStringLiteral("must be %1 (got '%2')").arg(patternHelp.isEmpty() ? pattern : patternHelp, v.toString());
        return {};
    }
    return {};
}

Result<QJsonValue> Field::parse(const QString &text) const
{
    QJsonValue v(text);
    const QString t = text.trimmed();
    if (type == FieldType::Integer) {
        bool ok = false;
        const qint64 x = t.toLongLong(&ok);
        if (ok)
            v = bigInteger ? QJsonValue(QString::number(x)) : QJsonValue(double(x));
    } else if (type == FieldType::Number) {
        bool ok = false;
        const double x = t.toDouble(&ok);
        if (ok)
            v = x;
    } else if (type == FieldType::Boolean) {
        if (t == QLatin1String("true") || t == QLatin1String("on") || t == QLatin1String("1"))
            v = true;
        else if (t == QLatin1String("false") || t == QLatin1String("off") || t == QLatin1String("0"))
            v = false;
    }
    if (const QString why = problem(v); !why.isEmpty())
        return makeError(ErrorCode::InvalidArgument, why);
    return v;
}

QString Field::defaultText() const
{
    if (type == FieldType::Boolean)
        return defaultValue.toBool() ? QStringLiteral("on") : QStringLiteral("off");
    return shown(defaultValue);
}

QString Field::describe() const
{
    QString accepted;
    if (type == FieldType::Integer || type == FieldType::Number)
        accepted = QStringLiteral("%1..%2, ").arg(num(minimum), num(maximum));
    else if (type == FieldType::Choice)
        accepted = choices.join(QLatin1Char('|')) + QStringLiteral(", ");
    QString text = help;
    if (!defaultValue.isUndefined() && !defaultValue.isNull())
        text += QStringLiteral(" [%1default %2]").arg(accepted, defaultText());
    return text;
}

QJsonObject Field::schema() const
{
    QJsonObject s{{QStringLiteral("description"), describe()}, {QStringLiteral("title"), label}};
    if (!defaultValue.isUndefined() && !defaultValue.isNull())
        s[QStringLiteral("default")] = defaultValue;
    switch (type) {
    case FieldType::Integer: {
        const QJsonObject number{{QStringLiteral("type"), QStringLiteral("integer")},
                                 {QStringLiteral("minimum"), bigInteger ? QJsonValue(0) : QJsonValue(minimum)},
                                 {QStringLiteral("maximum"), bigInteger ? QJsonValue(9.0e15) : QJsonValue(maximum)}};
        if (bigInteger)  // decimal text carries all 64 bits
            s[QStringLiteral("anyOf")] = QJsonArray{number, QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                                                        {QStringLiteral("pattern"), QStringLiteral("^[0-9]{1,19}$")}}};
        else
            for (auto it = number.begin(); it != number.end(); ++it)
                s[it.key()] = it.value();
        break;
    }
    case FieldType::Number:
        s[QStringLiteral("type")] = QStringLiteral("number");
        s[QStringLiteral("minimum")] = minimum;
        s[QStringLiteral("maximum")] = maximum;
        break;
    case FieldType::Boolean:
        s[QStringLiteral("type")] = QStringLiteral("boolean");
        break;
    case FieldType::Choice:
        s[QStringLiteral("type")] = QStringLiteral("string");
        s[QStringLiteral("enum")] = QJsonArray::fromStringList(choices);
        break;
    case FieldType::Text:
        s[QStringLiteral("type")] = QStringLiteral("string");
        if (!pattern.isEmpty())
            s[QStringLiteral("pattern")] = QStringLiteral("^(?:%1)$").arg(pattern);
        break;
    }
    return s;
}

const Field *findField(const FieldTable &table, const QString &key)
{
    for (const Field &f : table)
        if (f.key == key)
            return &f;
    return nullptr;
}

Result<void> checkFields(const FieldTable &table, const QJsonObject &json, const QString &what)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        const Field *f = findField(table, it.key());
        if (!f) {
            QStringList known;
            for (const Field &k : table)
                known << k.key;
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown %1 '%2' (known: %3)")
                                                             .arg(what, it.key(), known.join(QStringLiteral(", "))));
        }
        if (const QString why = f->problem(it.value()); !why.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 %2 %3").arg(what, it.key(), why));
    }
    return {};
}

QJsonObject withDefaults(const FieldTable &table, const QJsonObject &json)
{
    QJsonObject out;
    for (const Field &f : table)
        if (!f.defaultValue.isUndefined())
            out[f.key] = f.defaultValue;
    for (auto it = json.begin(); it != json.end(); ++it)
        out[it.key()] = it.value();
    return out;
}

}  // namespace metaaug
