// SPDX-License-Identifier: GPL-3.0-or-later
#include "specschema.h"

#include "methods/method.h"
#include "presets.h"
#include "specfields.h"

#include <QtCore/QJsonArray>

namespace metaaug {

namespace {

QJsonObject optionsSchema(const methods::Method &m)
{
    QJsonObject props;
    for (const Field &f : m.options())
        props[f.key] = f.schema();
    return QJsonObject{{"type", "object"},
                       {"description", QStringLiteral("Options of %1 (docs/algorithms.md)").arg(m.id())},
                       {"properties", props},
                       {"additionalProperties", false}};
}

}  // namespace

QJsonObject runSpecSchema()
{
    QJsonObject props;
    for (const SpecField &f : specFields()) {
        QJsonObject s = f.field.schema();
        if (!f.methods.isEmpty())
            s[QStringLiteral("description")] = s.value(QLatin1String("description")).toString()
                                               + QStringLiteral(" Applies to: %1.").arg(f.methods.join(QStringLiteral(", ")));
        if (f.field.key == QLatin1String("model"))
            s[QStringLiteral("minLength")] = 1;
        props[f.field.key] = s;
    }
    props[QStringLiteral("card")] = QJsonObject{{"type", "string"}, {"description", "Path of a model card that overrides the one beside the model."}};
    props[QStringLiteral("method_options")] = QJsonObject{{"type", "object"}, {"description", "The chosen method's options; see the per-method rules."}};
    for (const QString &key : specRecordKeys())
        props[key] = QJsonObject{{"type", "string"}, {"readOnly", true}, {"description", "Written by the engine into a stored spec."}};

    // method_options per method: its own table, nothing else. A spec without
    // "method" runs the default method, so that rule alone matches it too.
    const QString defaultMethod = findSpecField(QStringLiteral("method"))->field.defaultValue.toString();
    QJsonArray rules;
    for (const methods::Method *m : methods::allMethods()) {
        QJsonObject when{{"properties", QJsonObject{{"method", QJsonObject{{"const", m->id()}}}}}};
        if (m->id() != defaultMethod)
            when[QStringLiteral("required")] = QJsonArray{QStringLiteral("method")};
        rules.append(QJsonObject{{"if", when}, {"then", QJsonObject{{"properties", QJsonObject{{"method_options", optionsSchema(*m)}}}}}});
    }
    return QJsonObject{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                       {"$id", "metaaug-workbench/run-spec"},
                       {"title", "MetaAug Workbench run spec"},
                       {"description", QStringLiteral("One quantization run (RunSpec::toJson, engine %1). Presets: %2.")
                                           .arg(QStringLiteral(METAAUG_VERSION), runPresetIds().join(QStringLiteral(", ")))},
                       {"type", "object"},
                       {"properties", props},
                       {"required", QJsonArray{QStringLiteral("model")}},
                       {"additionalProperties", false},
                       {"allOf", rules}};
}

}  // namespace metaaug
