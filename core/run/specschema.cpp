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
    // The card a run used, as values (what a stored spec holds), or the path
    // of a card file / a card preset's name (read when the spec is loaded).
    const QJsonObject number{{"type", "number"}};
    const QJsonObject cardValues{
        {"type", "object"},
        {"description", "The model card's values the run used (preprocessing, classes); source/preset record where they came from."},
        {"properties", QJsonObject{{"input_shape", QJsonObject{{"type", "array"}, {"items", QJsonObject{{"type", "integer"}}}, {"minItems", 3}, {"maxItems", 3}}},
                                   {"channels", QJsonObject{{"enum", QJsonArray{1, 3}}}},
                                   {"resize", QJsonObject{{"type", "integer"}, {"minimum", 1}}},
                                   {"crop", QJsonObject{{"type", "integer"}, {"minimum", 1}}},
                                   {"scale", number},
                                   {"mean", QJsonObject{{"type", "array"}, {"items", number}}},
                                   {"std", QJsonObject{{"type", "array"}, {"items", number}}},
                                   {"class_names", QJsonObject{{"type", "array"}, {"items", QJsonObject{{"type", "string"}}}}},
                                   {"preset", QJsonObject{{"type", "string"}}},
                                   {"source", QJsonObject{{"type", "string"}}}}}};
    props[QStringLiteral("card")] = QJsonObject{
        {"description", "The model card that overrides the one beside the model: its values, or a card file's path or a preset's name."},
        {"oneOf", QJsonArray{cardValues, QJsonObject{{"type", "string"}, {"minLength", 1}}}}};
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
