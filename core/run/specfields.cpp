// SPDX-License-Identifier: GPL-3.0-or-later
#include "specfields.h"

#include "methods/method.h"
#include "quant/layerbits.h"
#include "recon/rowstore.h"
#include "runspec.h"

#include <limits>

namespace metaaug {

namespace {

Field field(const char *key, const char *flag, const char *label, const char *help, FieldType type, QJsonValue def,
            double lo = 0, double hi = 0)
{
    Field f;
    f.key = QLatin1String(key);
    f.flag = QLatin1String(flag);
    f.label = QString::fromUtf8(label);
    f.help = QString::fromUtf8(help);
    f.type = type;
    f.defaultValue = std::move(def);
    f.minimum = lo;
    f.maximum = hi;
    return f;
}

// Methods that learn by gradient steps: iterations, batch and probes apply to them.
QStringList reconstructing()
{
    QStringList ids;
    for (const methods::Method *m : methods::allMethods())
        if (m->reconstructs())
            ids << m->id();
    return ids;
}

std::vector<SpecField> build()
{
    using T = FieldType;
    const RunSpec d;  // the defaults, written once in runspec.h
    const QStringList learning = reconstructing();
    std::vector<SpecField> t{
        {[] {
             Field f = field("model", "", "Model", "The model file (TorchScript); the CLI's --model, the GUI's Model panel.", T::Text, QJsonValue());
             f.inForm = false;
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.modelPath); }, [](RunSpec &s, const QJsonValue &v) { s.modelPath = v.toString(); }},
        {[&] {
             Field f = field("method", "method", "Method", "Quantization method (docs/algorithms.md).", T::Choice, d.method);
             f.choices = methods::methodIds();
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.method); }, [](RunSpec &s, const QJsonValue &v) { s.method = v.toString(); }},
        {field("wbits", "wbits", "Weight bits", "Weight bits of the quantized layers; the first and last layer keep 8.", T::Integer, d.wbits,
               quant::kMinBits, quant::kMaxBits),
         {}, [](const RunSpec &s) { return QJsonValue(s.wbits); }, [](RunSpec &s, const QJsonValue &v) { s.wbits = v.toInt(); }},
        {field("abits", "abits", "Activation bits", "Activation bits of the quantized layers' inputs.", T::Integer, d.abits,
               quant::kMinBits, quant::kMaxBits),
         {}, [](const RunSpec &s) { return QJsonValue(s.abits); }, [](RunSpec &s, const QJsonValue &v) { s.abits = v.toInt(); }},
        {[&] {
             Field f = field("setting", "setting", "Bit policy",
                             "Bit policy: qdrop (first conv W8 with an FP image input, last linear W8A8) or brecq "
                             "(also the second layer's input at 8 bit).", T::Choice, QLatin1String(quant::bitSettingName(d.setting)));
             f.choices = quant::bitSettingNames();
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(QLatin1String(quant::bitSettingName(s.setting))); },
         [](RunSpec &s, const QJsonValue &v) { s.setting = quant::bitSettingFromName(v.toString()); }},
        {[&] {
             Field f = field("fold_bn", "fold-bn", "Fold BatchNorm", "Fold BatchNorm into the conv before quantizing; off keeps it in FP after the quantized conv.",
                             T::Boolean, d.foldBatchNorm);
             f.negatedFlag = true;
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.foldBatchNorm); }, [](RunSpec &s, const QJsonValue &v) { s.foldBatchNorm = v.toBool(); }},
        {[&] {
             Field f = field("calib", "calib", "Calibration data", "Calibration source: fashion-mnist:train|test, an image folder or an IDX pair.", T::Text, d.calibSource);
             f.inForm = false;
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.calibSource); }, [](RunSpec &s, const QJsonValue &v) { s.calibSource = v.toString(); }},
        {field("calib_size", "calib-size", "Calibration images", "Calibration images, chosen from the calibration data by the seed.", T::Integer,
               qint64(d.calibSize), 1, 1e8),
         {}, [](const RunSpec &s) { return QJsonValue(qint64(s.calibSize)); }, [](RunSpec &s, const QJsonValue &v) { s.calibSize = v.toInteger(); }},
        {[&] {
             Field f = field("eval", "eval", "Evaluation data", "Held-out evaluation source, as for the calibration data.", T::Text, d.evalSource);
             f.inForm = false;
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.evalSource); }, [](RunSpec &s, const QJsonValue &v) { s.evalSource = v.toString(); }},
        {field("eval_limit", "eval-limit", "Evaluation limit", "Evaluate on the first N images of the evaluation data (0 = all).", T::Integer,
               qint64(d.evalLimit), 0, 1e9),
         {}, [](const RunSpec &s) { return QJsonValue(qint64(s.evalLimit)); }, [](RunSpec &s, const QJsonValue &v) { s.evalLimit = v.toInteger(); }},
        {field("iters", "iters", "Iterations per unit", "Reconstruction iterations R per unit; the public code uses 20000.", T::Integer,
               d.iterations, 0, 1e7),
         learning, [](const RunSpec &s) { return QJsonValue(s.iterations); }, [](RunSpec &s, const QJsonValue &v) { s.iterations = v.toInt(); }},
        {field("batch", "batch", "Batch", "Reconstruction batch size.", T::Integer, d.batch, 1, 65536),
         learning, [](const RunSpec &s) { return QJsonValue(s.batch); }, [](RunSpec &s, const QJsonValue &v) { s.batch = v.toInt(); }},
        {[&] {
             Field f = field("seed", "seed", "Seed", "Seed of the calibration choice and of every random draw: the same inputs and seed give the same run.",
                             T::Integer, QString::number(d.seed), 0, double(std::numeric_limits<qint64>::max()));
             f.bigInteger = true;
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(QString::number(s.seed)); },
         [](RunSpec &s, const QJsonValue &v) { s.seed = v.isString() ? v.toString().toULongLong() : uint64_t(v.toInteger()); }},
        {field("threads", "threads", "Threads", "LibTorch threads of the run; the default is one per physical core of this machine. "
                                             "Results can depend on the count (summation order), so the spec records it.", T::Integer,
               d.threads, 1, 256),
         {}, [](const RunSpec &s) { return QJsonValue(s.threads); }, [](RunSpec &s, const QJsonValue &v) { s.threads = v.toInt(); }},
        {[&] {
             Field f = field("probe_every", "probe-every", "Layer probes every", "Per-layer probe samples (loss and SQNR per layer) every N iterations (0: off).",
                             T::Integer, d.probeEvery, 0, 1e7);
             f.inForm = false;
             return f;
         }(),
         learning, [](const RunSpec &s) { return QJsonValue(s.probeEvery); }, [](RunSpec &s, const QJsonValue &v) { s.probeEvery = v.toInt(); }},
        {[&] {
             Field f = field("layer_bits", "layer-bits", "Per-layer bits",
                             "Bits of named layers, overriding wbits, abits and the bit policy: name=W, or name=W/A where A is "
                             "the layer's input; comma-separated, names as `metaaug info` prints them. The CLI's --bits-file "
                             "FILE.json sets it.",
                             T::Text, d.layerBits);
             f.pattern = quant::layerBitsPattern();
             f.patternHelp = QStringLiteral("name=W or name=W/A, comma-separated");
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.layerBits); }, [](RunSpec &s, const QJsonValue &v) { s.layerBits = v.toString(); }},
        {[&] {
             Field f = field("bits", "bits", "Bit allocation",
                             "uniform: wbits for every layer (the policy and layer_bits apart); auto: per-layer weight bits "
                             "(and with bops_budget input bits) chosen from a sensitivity analysis to fit exactly one of "
                             "weight_budget, avg_wbits, bops_budget.",
                             T::Choice, d.bits);
             f.choices = QStringList{QStringLiteral("uniform"), QStringLiteral("auto")};
             return f;
         }(),
         {}, [](const RunSpec &s) { return QJsonValue(s.bits); }, [](RunSpec &s, const QJsonValue &v) { s.bits = v.toString(); }},
        {field("weight_budget", "weight-budget", "Weight budget (bytes)",
               "With bits auto: the packed weights' size in bytes (every conv/linear layer, first and last included; 0: not given).",
               T::Integer, qint64(d.weightBudget), 0, 1e15),
         {}, [](const RunSpec &s) { return QJsonValue(qint64(s.weightBudget)); }, [](RunSpec &s, const QJsonValue &v) { s.weightBudget = v.toInteger(); }},
        {field("avg_wbits", "avg-wbits", "Mean weight bits",
               "With bits auto: the parameter-weighted mean weight bits over every quantized layer (0: not given).",
               T::Number, d.avgWbits, 0, quant::kMaxBits),
         {}, [](const RunSpec &s) { return QJsonValue(s.avgWbits); }, [](RunSpec &s, const QJsonValue &v) { s.avgWbits = v.toDouble(); }},
        {field("bops_budget", "bops-budget", "BOPs budget",
               "With bits auto: bit-operations per image, MACs x weight bits x input bits (an FP input counts 32; 0: not given).",
               T::Number, d.bopsBudget, 0, 1e18),
         {}, [](const RunSpec &s) { return QJsonValue(s.bopsBudget); }, [](RunSpec &s, const QJsonValue &v) { s.bopsBudget = v.toDouble(); }},
        {[&] {
             Field f = field("cache_dtype", "cache-dtype", "Cache precision",
                             "Precision of the stored activation caches: float32, or float16/bfloat16 for half the memory "
                             "and disk (the reconstruction then reads rounded activations; results change slightly).",
                             T::Choice, d.cacheDtype);
             f.choices = recon::cacheDtypeNames();
             return f;
         }(),
         learning, [](const RunSpec &s) { return QJsonValue(s.cacheDtype); }, [](RunSpec &s, const QJsonValue &v) { s.cacheDtype = v.toString(); }},
    };
    return t;
}

}  // namespace

const std::vector<SpecField> &specFields()
{
    static const std::vector<SpecField> table = build();
    return table;
}

const SpecField *findSpecField(const QString &key)
{
    for (const SpecField &f : specFields())
        if (f.field.key == key)
            return &f;
    return nullptr;
}

const FieldTable &specFieldTable()
{
    static const FieldTable table = [] {
        FieldTable t;
        for (const SpecField &f : specFields())
            t.push_back(f.field);
        return t;
    }();
    return table;
}

const QStringList &specRecordKeys()
{
    static const QStringList keys{QStringLiteral("engine_version"), QStringLiteral("allocation")};
    return keys;
}

}  // namespace metaaug
