// SPDX-License-Identifier: GPL-3.0-or-later
#include "classcheck.h"

namespace metaaug {

namespace {

QString listed(const QStringList &names, int shown = 4)
{
    QStringList head = names.mid(0, shown);
    for (QString &n : head)
        n = QLatin1Char('\'') + n + QLatin1Char('\'');
    return head.join(QStringLiteral(", ")) + (names.size() > shown ? QStringLiteral(", …") : QString());
}

}  // namespace

QStringList classMismatchWarnings(const ClassCheckInput &in)
{
    QStringList w;
    if (!in.labelled || in.dataClasses.isEmpty() || in.modelOutputs <= 0)
        return w;
    const int n = int(in.dataClasses.size());
    if (n > in.modelOutputs) {
        w << QStringLiteral("%1 has %2 classes but the model has %3 outputs: labels from %3 on can never be predicted, "
                            "so top-1 on it means nothing")
                 .arg(in.source).arg(n).arg(in.modelOutputs);
        return w;
    }
    if (!in.cardClasses.isEmpty()) {
        // Label i is scored as output i: the names must be the card's, in its order.
        QStringList wrong;
        for (int i = 0; i < n; ++i)
            if (i >= in.cardClasses.size() || in.dataClasses[i] != in.cardClasses[i])
                wrong << in.dataClasses[i];
        if (!wrong.isEmpty())
            w << QStringLiteral("%1's class names do not match the model card's (label i is scored as output i): %2 of %3 differ, e.g. %4; "
                                "the card has %5")
                     .arg(in.source).arg(wrong.size()).arg(n).arg(listed(wrong), listed(in.cardClasses));
        return w;
    }
    if (n != in.modelOutputs)
        w << QStringLiteral("%1's %2 classes (%3) are scored as outputs 0–%4 of a model with %5 outputs and no class names "
                            "in its card: top-1 is only meaningful if the model was trained on these classes in this order")
                 .arg(in.source).arg(n).arg(listed(in.dataClasses)).arg(n - 1).arg(in.modelOutputs);
    return w;
}

}  // namespace metaaug
