// SPDX-License-Identifier: GPL-3.0-or-later
#include "rows.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>

namespace metaaug::store {

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString toText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject fromText(const QString &s)
{
    return QJsonDocument::fromJson(s.toUtf8()).object();
}

}  // namespace metaaug::store
