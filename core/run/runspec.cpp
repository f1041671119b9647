// SPDX-License-Identifier: GPL-3.0-or-later
#include "runspec.h"

#include "model/cardpresets.h"

#include "methods/method.h"
#include "model/model.h"
#include "specfields.h"

namespace metaaug {

QJsonObject RunSpec::toJson() const
{
    QJsonObject json;
    for (const SpecField &f : specFields())
        json[f.field.key] = f.get(*this);
    json[QStringLiteral("method_options")] = methodOptions;
    json[QStringLiteral("engine_version")] = QStringLiteral(METAAUG_VERSION);
    if (card)
        json[QStringLiteral("card")] = card->toRecord();
    return json;
}

namespace {

Error badKey(const QString &key, const QString &why)
{
    return Error{ErrorCode::InvalidArgument, QStringLiteral("run spec: \"%1\" %2").arg(key, why)};
}

}  // namespace

Result<RunSpec> RunSpec::fromJson(const QJsonObject &json)
{
    RunSpec s;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString &key = it.key();
        if (const SpecField *f = findSpecField(key)) {
            if (const QString why = f->field.problem(it.value()); !why.isEmpty())
                return badKey(key, why);
            f->set(s, it.value());
        } else if (key == QLatin1String("method_options")) {
            if (!it.value().isObject())
                return badKey(key, QStringLiteral("must be an object"));
            s.methodOptions = it.value().toObject();
        } else if (key == QLatin1String("card")) {
            if (!it.value().isString() && !it.value().isObject())
                return badKey(key, QStringLiteral("must be a model card object, a card file's path or a card preset's name"));
        } else if (!specRecordKeys().contains(key)) {
            QStringList known;
            for (const SpecField &k : specFields())
                known << k.field.key;
            return badKey(key, QStringLiteral("is not a run-spec key (known: %1, method_options, card)").arg(known.join(QStringLiteral(", "))));
        }
    }
    if (s.modelPath.isEmpty())
        return badKey(QStringLiteral("model"), QStringLiteral("is missing or empty"));
    if (const QJsonValue c = json.value(QLatin1String("card")); c.isObject()) {
        // The card's values as a run recorded them (ModelCard::toRecord).
        auto card = ModelCard::fromRecord(c.toObject(), QStringLiteral("in the run spec"));
        if (!card)
            return card.error();
        s.card = *card;
    } else if (const QString cardPath = c.toString(); !cardPath.isEmpty()) {
        // A card file, or a card preset's name (what a run with --card NAME records).
        auto card = findCardPreset(cardPath) ? cardFromPreset(cardPath, s.modelPath) : ModelCard::load(cardPath);
        if (!card)
            return card.error();
        s.card = *card;
    }
    if (auto ok = s.validate(); !ok)
        return ok.error();
    return s;
}

Result<QJsonObject> RunSpec::validate() const
{
    for (const SpecField &f : specFields())
        if (const QString why = f.field.problem(f.get(*this)); !why.isEmpty())
            return badKey(f.field.key, why);
    const methods::Method *m = methods::findMethod(method);
    if (!m)  // the table's choices are the registry, so this is a spec built in code
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown method '%1' (available: %2)")
                                                         .arg(method, methods::methodIds().join(QStringLiteral(", "))));
    if (const QString problem = methods::iterationsProblem(method, iterations); !problem.isEmpty())
        return badKey(QStringLiteral("iters"), problem);
    const int budgets = (weightBudget > 0) + (avgWbits > 0) + (bopsBudget > 0);
    if (bits == QLatin1String("auto") && budgets != 1)
        return badKey(QStringLiteral("bits"), QStringLiteral("auto needs exactly one of weight_budget, avg_wbits, bops_budget (got %1)").arg(budgets));
    if (bits != QLatin1String("auto") && budgets > 0)
        return badKey(weightBudget > 0 ? QStringLiteral("weight_budget") : avgWbits > 0 ? QStringLiteral("avg_wbits") : QStringLiteral("bops_budget"),
                      QStringLiteral("is a budget for bits auto, and bits is %1").arg(bits));
    if (avgWbits > 0 && avgWbits < quant::kMinBits)
        return badKey(QStringLiteral("avg_wbits"), QStringLiteral("must be 0 or from %1 to %2 (got %3)").arg(quant::kMinBits).arg(quant::kMaxBits).arg(avgWbits));
    return m->resolveOptions(methodOptions);
}

QJsonObject mergeSpecJson(QJsonObject base, const QJsonObject &patch)
{
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.key() == QLatin1String("method_options") && it.value().isObject()) {
            QJsonObject options = base.value(it.key()).toObject();
            const QJsonObject more = it.value().toObject();
            for (auto o = more.begin(); o != more.end(); ++o)
                options[o.key()] = o.value();
            base[it.key()] = options;
        } else {
            base[it.key()] = it.value();
        }
    }
    return base;
}

Result<Model> loadSpecModel(const RunSpec &spec)
{
    ModelLoadOptions mo;
    mo.card = spec.card;
    mo.import.foldBatchNorm = spec.foldBatchNorm;
    if (const methods::Method *method = methods::findMethod(spec.method))
        mo.partition = method->partitionRule();
    return Model::load(spec.modelPath, mo);
}

}  // namespace metaaug
