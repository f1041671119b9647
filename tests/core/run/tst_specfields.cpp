// SPDX-License-Identifier: GPL-3.0-or-later
// The run contract's tables: every field's and method option's range,
// choices and default are what RunSpec::fromJson and the methods accept;
// presets apply; the schema names every key; the thread default is the
// machine's physical cores and is recorded.
#include "common/runtime.h"
#include "methods/method.h"
#include "run/presets.h"
#include "run/runspec.h"
#include "run/specfields.h"
#include "run/specschema.h"

#include <QtTest/QtTest>

using namespace metaaug;

namespace {

// A value one step outside [lo, hi] on the `above` side.
QJsonValue beyond(const Field &f, bool above)
{
    const double step = f.type == FieldType::Integer ? 1.0 : std::max(1e-9, std::abs(above ? f.maximum : f.minimum) * 0.5);
    const double x = above ? f.maximum + std::max(step, 1.0) : f.minimum - step;
    return f.bigInteger ? QJsonValue(QString::number(qint64(x))) : QJsonValue(x);
}

// What each field accepts and refuses, by its own table entry.
void checkField(const Field &f, const std::function<QString(const QJsonValue &)> &accept)
{
    QVERIFY2(f.describe().contains("default") || f.defaultValue.isUndefined(), qPrintable(f.key));
    if (!f.defaultValue.isUndefined())
        QVERIFY2(accept(f.defaultValue).isEmpty(), qPrintable(f.key + ": " + accept(f.defaultValue)));
    switch (f.type) {
    case FieldType::Integer:
    case FieldType::Number:
        QVERIFY2(accept(f.minimum).isEmpty(), qPrintable(f.key));
        if (!f.bigInteger)
            QVERIFY2(accept(f.maximum).isEmpty(), qPrintable(f.key));
        for (bool above : {false, true}) {
            if (f.bigInteger && above)
                continue;  // int64's end: not representable beyond
            const QString why = accept(beyond(f, above));
            QVERIFY2(why.contains(f.key) || why.contains(f.flag), qPrintable(f.key + ": '" + why + "'"));
        }
        QVERIFY2(!accept(QStringLiteral("many")).isEmpty(), qPrintable(f.key));
        if (f.type == FieldType::Integer && f.maximum > f.minimum + 1)
            QVERIFY2(!accept(f.minimum + 0.5).isEmpty(), qPrintable(f.key));
        break;
    case FieldType::Choice:
        for (const QString &c : f.choices)
            QVERIFY2(accept(c).isEmpty(), qPrintable(f.key + "=" + c + ": " + accept(c)));
        QVERIFY2(accept(QStringLiteral("bogus")).contains("bogus"), qPrintable(f.key));
        break;
    case FieldType::Boolean:
        QVERIFY2(accept(true).isEmpty() && accept(false).isEmpty(), qPrintable(f.key));
        QVERIFY2(!accept(QStringLiteral("yes")).isEmpty(), qPrintable(f.key));
        break;
    case FieldType::Text:
        QVERIFY2(!accept(3.0).isEmpty(), qPrintable(f.key));
        if (!f.pattern.isEmpty())
            QVERIFY2(accept(QStringLiteral("bogus")).contains("bogus"), qPrintable(f.key));
        break;
    }
}

QJsonObject minimalSpec(const QString &method = QStringLiteral("geniem"))
{
    return QJsonObject{{"model", "/models/m.pt"}, {"method", method}};
}

}  // namespace

class TestSpecFields : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void specFieldsValidatedByTheirTable();
    void methodOptionsValidatedByTheirTable();
    void toJsonRoundTrips();
    void unknownKeysRefused();
    void presetsApplyAndValidate();
    void schemaCoversEveryKey();
    void defaultThreadsArePhysicalCores();
    void seedBoundsPrintedExactly();
};

void TestSpecFields::specFieldsValidatedByTheirTable()
{
    for (const SpecField &sf : specFields()) {
        const Field &f = sf.field;
        if (f.key == QLatin1String("model") || f.key == QLatin1String("method"))
            continue;  // required / the registry: below
        checkField(f, [&](const QJsonValue &v) {
            QJsonObject json = minimalSpec(f.key == QLatin1String("iters") ? QStringLiteral("rtn") : QStringLiteral("geniem"));
            json[f.key] = v;
            // bits auto and its one budget are valid only together (tst_mixedprecision checks the rule).
            static const QStringList budgets{"weight_budget", "avg_wbits", "bops_budget"};
            if (f.key == QLatin1String("bits") && v == QJsonValue(QStringLiteral("auto")))
                json[QStringLiteral("avg_wbits")] = 3;
            if (budgets.contains(f.key) && v.isDouble() && v.toDouble() > 0)
                json[QStringLiteral("bits")] = QStringLiteral("auto");
            auto s = RunSpec::fromJson(json);
            return s ? QString() : s.error().message;
        });
        // The setter and getter agree: a default written is read back.
        if (!f.defaultValue.isUndefined()) {
            RunSpec s;
            sf.set(s, f.defaultValue);
            QCOMPARE(sf.get(s), f.defaultValue);
        }
    }
    // The method's choices are the registry's, and validate() checks a spec built in code too.
    QCOMPARE(findSpecField("method")->field.choices, methods::methodIds());
    RunSpec bad;
    bad.modelPath = "m.pt";
    bad.wbits = 9;
    auto r = bad.validate();
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains("wbits") && r.error().message.contains("2 to 8"), qPrintable(r.error().message));
    QVERIFY(!RunSpec::fromJson({{"method", "geniem"}}));  // no model
}

void TestSpecFields::methodOptionsValidatedByTheirTable()
{
    int withOptions = 0;
    for (const methods::Method *m : methods::allMethods()) {
        withOptions += !m->options().empty();
        for (const Field &f : m->options())
            checkField(f, [&](const QJsonValue &v) {
                QJsonObject json = minimalSpec(m->id());
                json["method_options"] = QJsonObject{{f.key, v}};
                auto s = RunSpec::fromJson(json);
                return s ? QString() : s.error().message;
            });
        // Complete options come back with every default filled in.
        auto resolved = m->resolveOptions({});
        QVERIFY(resolved);
        QCOMPARE(int(resolved->size()), int(m->options().size()));
    }
    QVERIFY(withOptions >= 1);  // MetaAug
    auto r = RunSpec::fromJson(QJsonObject{{"model", "m.pt"}, {"method", "qdrop"}, {"method_options", QJsonObject{{"meta_iters", 3}}}});
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains("qdrop takes no options"), qPrintable(r.error().message));
}

void TestSpecFields::toJsonRoundTrips()
{
    RunSpec s;
    s.modelPath = "/m.pt";
    s.method = "metaaug";
    s.wbits = 3;
    s.abits = 5;
    s.setting = quant::BitSetting::Brecq;
    s.foldBatchNorm = false;
    s.calibSize = 77;
    s.evalLimit = 12;
    s.iterations = 9;
    s.batch = 8;
    s.seed = 9223372036854775807ULL;  // all 64-bit seeds survive (as text)
    s.threads = 2;
    s.probeEvery = 0;
    s.methodOptions = QJsonObject{{"meta_iters", 4}, {"t_init", "file:/t.maugt"}};
    const QJsonObject json = s.toJson();
    auto back = RunSpec::fromJson(json);
    QVERIFY2(back, back ? "" : qPrintable(back.error().message));
    QCOMPARE(back->toJson(), json);
    QCOMPARE(back->seed, s.seed);
    QCOMPARE(back->setting, quant::BitSetting::Brecq);
}

void TestSpecFields::unknownKeysRefused()
{
    QJsonObject json = minimalSpec();
    json["wbitz"] = 3;
    auto r = RunSpec::fromJson(json);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains("wbitz") && r.error().message.contains("wbits"), qPrintable(r.error().message));
    // What the engine adds to a stored spec reads back.
    json = minimalSpec();
    json["engine_version"] = "0.0.1";
    QVERIFY(RunSpec::fromJson(json));
}

void TestSpecFields::presetsApplyAndValidate()
{
    QCOMPARE(runPresetIds(), (QStringList{"quick", "default", "paper"}));
    for (const RunPreset &p : runPresets())
        for (const QString &method : methods::methodIds()) {
            QJsonObject given{{"method", method}};
            QJsonObject json = applyPreset(&p, given);
            json["model"] = "/m.pt";
            auto s = RunSpec::fromJson(json);
            QVERIFY2(s, qPrintable(p.id + "/" + method + ": " + (s ? QString() : s.error().message)));
            QCOMPARE(s->iterations, p.spec.value("iters").toInt());
        }
    // Given values win over the preset's, and method options merge.
    QJsonObject json = applyPreset(findRunPreset("paper"), {{"method", "metaaug"}, {"iters", 7},
                                                            {"method_options", QJsonObject{{"t_lr", 1e-3}}}});
    QCOMPARE(json.value("iters").toInt(), 7);
    const QJsonObject o = json.value("method_options").toObject();
    QCOMPARE(o.value("t_lr").toDouble(), 1e-3);
    QCOMPARE(o.value("meta_iters").toInt(), 500);
    QCOMPARE(o.value("t_init").toString(), QString("none"));
    // No preset: the tables' defaults.
    QCOMPARE(applyPreset(nullptr, {}).value("iters").toInt(), kDefaultIterations);
}

void TestSpecFields::schemaCoversEveryKey()
{
    const QJsonObject schema = runSpecSchema();
    QCOMPARE(schema.value("$schema").toString(), QString("https://json-schema.org/draft/2020-12/schema"));
    const QJsonObject props = schema.value("properties").toObject();
    for (const SpecField &f : specFields())
        QVERIFY2(props.contains(f.field.key), qPrintable(f.field.key));
    QStringList optionKeys;
    for (const QJsonValue &rule : schema.value("allOf").toArray())
        optionKeys += rule["then"]["properties"]["method_options"]["properties"].toObject().keys();
    for (const methods::Method *m : methods::allMethods())
        for (const Field &f : m->options())
            QVERIFY2(optionKeys.contains(f.key), qPrintable(m->id() + "." + f.key));
}

void TestSpecFields::defaultThreadsArePhysicalCores()
{
    const int cores = physicalCores();
    QVERIFY(cores >= 1);
    QVERIFY(cores <= QThread::idealThreadCount());
    // Without simultaneous multithreading (and without a CPU quota) every
    // CPU this process may use is a core of its own.
    QFile smt(QStringLiteral("/sys/devices/system/cpu/smt/active"));
    if (smt.open(QIODevice::ReadOnly) && smt.readAll().trimmed() == "0" && !QFile::exists(QStringLiteral("/sys/fs/cgroup/cpu.max")))
        QCOMPARE(cores, QThread::idealThreadCount());
    QCOMPARE(RunSpec{}.threads, cores);
    QCOMPARE(findSpecField(QStringLiteral("threads"))->field.defaultValue.toInt(), cores);
    // Recorded, so a stored spec replays with the count it ran with.
    QCOMPARE(RunSpec{}.toJson().value(QStringLiteral("threads")).toInt(), cores);
}

// A 64-bit bound is a double that rounds to 2^63; the message must still say
// the bound exactly (it printed -9223372036854775808 for `--seed abc`).
void TestSpecFields::seedBoundsPrintedExactly()
{
    const Field *seed = nullptr;
    for (const SpecField &f : specFields())
        if (f.field.key == QLatin1String("seed"))
            seed = &f.field;
    QVERIFY(seed);
    auto r = seed->parse(QStringLiteral("abc"));
    QVERIFY(!r);
    QCOMPARE(r.error().message, QStringLiteral("must be a whole number from 0 to 9223372036854775807 (got abc)"));
    QVERIFY(seed->describe().contains(QStringLiteral("0..9223372036854775807")));
    QVERIFY(!seed->parse(QStringLiteral("-1")));
    QVERIFY(seed->parse(QStringLiteral("9223372036854775807")));
}

QTEST_GUILESS_MAIN(TestSpecFields)
#include "tst_specfields.moc"
