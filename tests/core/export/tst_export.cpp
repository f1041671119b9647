// SPDX-License-Identifier: GPL-3.0-or-later
// Exports through the plugin registry: the captured state reproduces the
// engine's quantized model exactly, the encodings rebuild its weights bit
// for bit, the TorchScript file loads in C++ and computes the same logits,
// and bad targets fail with a message and no file left behind.
#include "common/paths.h"
#include "common/runtime.h"
#include "data/datasource.h"
#include "eval/comparison.h"
#include "jobs/exportjob.h"
#include "plugin/pluginregistry.h"
#include "export/quantizedstate.h"
#include "model/model.h"
#include "jobs/runjob.h"
#include "run/runspec.h"
#include "tolerances.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/script.h>

using namespace metaaug;
using namespace metaaug::exporting;

namespace {
constexpr int64_t kEvalImages = 500;

QString weightsSha(const QuantizedState &s)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const LayerEncoding &l : s.layers) {
        const torch::Tensor w = l.dequantized().contiguous();
        h.addData(QByteArrayView(reinterpret_cast<const char *>(w.data_ptr<float>()), w.numel() * qsizetype(sizeof(float))));
    }
    return QString::fromLatin1(h.result().toHex());
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
}
}  // namespace

class TestExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void registryListsThePlugins();
    void brokenPluginIsReportedAndSkipped();
    void builtinExporterSharesTheRegistry();
    void capturedStateIsTheEngine();
    void encodingsRebuildTheWeights();
    void corruptEncodingsAreRefused();
    void torchscriptLoadsInCpp();
    void badTargets();

private:
    JobOutcome m_run;
    torch::Tensor m_inputs;
    QTemporaryDir m_dir;
};

void TestExport::initTestCase()
{
    configureRuntime();
    RunSpec s;
    s.modelPath = defaultModelPath();
    s.method = QStringLiteral("geniem");
    s.iterations = 20;
    s.calibSize = 64;
    s.evalLimit = kEvalImages;
    RunSink sink;
    m_run = runJob(s, nullptr, sink);
    QVERIFY2(!m_run.error, qPrintable(m_run.error ? m_run.error->message : QString()));
    QVERIFY(m_run.model && m_run.state);
    auto data = openDataSource(QStringLiteral("fashion-mnist:test"), m_run.model->card().preprocess);
    QVERIFY(data);
    auto inputs = data->input(0, kEvalImages);
    QVERIFY2(inputs, qPrintable(inputs ? QString() : inputs.error().message));
    m_inputs = *inputs;
}

void TestExport::registryListsThePlugins()
{
    const QStringList ids = PluginRegistry::instance().exporterIds();
    for (const char *id : {"encodings", "torchscript"})
        QVERIFY2(ids.contains(id), qPrintable(ids.join(", ")));
    const auto &failures = PluginRegistry::instance().failures();
    QVERIFY2(failures.empty(), failures.empty() ? "" : qPrintable(failures.front().file + ": " + failures.front().reason));
}

void TestExport::brokenPluginIsReportedAndSkipped()
{
    QTemporaryDir dir;
    QFile bogus(dir.filePath("libmetaaug-bogus.so"));
    QVERIFY(bogus.open(QIODevice::WriteOnly));
    bogus.write("this is not a shared library");
    bogus.close();
    const size_t before = PluginRegistry::instance().failures().size();
    const QStringList ids = PluginRegistry::instance().exporterIds();
    PluginRegistry::instance().loadDirectory(dir.path());
    QCOMPARE(PluginRegistry::instance().failures().size(), before + 1);
    QVERIFY(PluginRegistry::instance().failures().back().file.endsWith("libmetaaug-bogus.so"));
    QVERIFY(!PluginRegistry::instance().failures().back().reason.isEmpty());
    QCOMPARE(PluginRegistry::instance().exporterIds(), ids);
}

namespace {
// A format registered in code: one line per layer with its bits.
class BitsListExporter : public Exporter {
public:
    QString id() const override { return QStringLiteral("bits-list"); }
    QString title() const override { return QStringLiteral("Bits per layer (.txt)"); }
    QString fileSuffix() const override { return QStringLiteral("txt"); }
    Result<void> write(const ExportInput &in, const QString &path, OutputFiles &files) const override
    {
        QFile f(files.create(path));
        if (!f.open(QIODevice::WriteOnly))
            return makeError(ErrorCode::OutOfResources, path);
        for (const LayerEncoding &l : in.state.layers)
            f.write(QByteArray::fromStdString(l.name) + ' ' + QByteArray::number(l.bits) + '\n');
        return {};
    }
};
}  // namespace

void TestExport::builtinExporterSharesTheRegistry()
{
    PluginRegistry::instance().registerBuiltin(std::make_shared<BitsListExporter>());
    QVERIFY(PluginRegistry::instance().exporterIds().contains("bits-list"));
    QVERIFY(PluginRegistry::instance().exporterIds().contains("torchscript"));  // loaded plugins stay
    QTemporaryDir dir;
    auto rows = exportModel(*m_run.model, *m_run.state, {}, "bits-list", dir.filePath("bits.txt"));
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().message));
    QFile f(dir.filePath("bits.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 22);
    QCOMPARE(lines.first(), QByteArray("conv1 8"));
    QCOMPARE(lines[1], QByteArray("layer1.0.conv1 2"));
    QCOMPARE(rows->front().kind, QString("export:bits-list"));
}

void TestExport::capturedStateIsTheEngine()
{
    // Same weights as the engine's quantized model (its fingerprint) and the same top-1.
    QCOMPARE(weightsSha(*m_run.state), m_run.result.qweightsSha256);
    StateHooks hooks(*m_run.state, m_run.model->executor());
    auto data = openDataSource(QStringLiteral("fashion-mnist:test"), m_run.model->card().preprocess);
    auto cmp = compareFpAndQuantized(m_run.model->executor(), hooks, *data, torch::arange(kEvalImages));
    QVERIFY(cmp);
    QCOMPARE(cmp->qTop1, m_run.result.qTop1);
    QCOMPARE(cmp->agreement, m_run.result.agreement);
}

void TestExport::encodingsRebuildTheWeights()
{
    const QString json = m_dir.filePath("resnet20-w2a4.json");
    auto rows = exportModel(*m_run.model, *m_run.state, {}, "encodings", json);
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().message));
    QCOMPARE(int(rows->size()), 2);
    QCOMPARE(entries(m_dir.path()), (QStringList{"resnet20-w2a4.bin", "resnet20-w2a4.json"}));
    QFile j(json), b(m_dir.filePath("resnet20-w2a4.bin"));
    QVERIFY(j.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QJsonObject doc = QJsonDocument::fromJson(j.readAll()).object();
    const QByteArray codes = b.readAll();
    QCOMPARE(doc.value("codes_sha256").toString(), QString::fromLatin1(QCryptographicHash::hash(codes, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(doc.value("layers").toArray().size(), 22);
    QCOMPARE(doc.value("layers").toArray()[1].toObject().value("bits").toInt(), 2);   // layer1.0.conv1
    QCOMPARE(doc.value("layers").toArray()[0].toObject().value("bits").toInt(), 8);   // first conv
    auto back = fromEncodings(Encodings{doc, codes}, m_run.model->graph(), m_run.model->executor());
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(weightsSha(*back), m_run.result.qweightsSha256);
    for (size_t i = 0; i < back->activations.size(); ++i) {
        QCOMPARE(back->activations[i].bits, m_run.state->activations[i].bits);
        QCOMPARE(back->activations[i].step, m_run.state->activations[i].step);
        QCOMPARE(back->activations[i].isSigned, m_run.state->activations[i].isSigned);
    }
}

void TestExport::corruptEncodingsAreRefused()
{
    const Encodings good = toEncodings(*m_run.state, m_run.model->graph());
    auto layerEdit = [&](const char *key, const QJsonValue &v) {
        Encodings e = good;
        QJsonArray layers = e.json["layers"].toArray();
        QJsonObject l = layers[3].toObject();
        l[key] = v;
        layers[3] = l;
        e.json["layers"] = layers;
        return e;
    };
    const QString layer3 = good.json["layers"].toArray()[3].toObject().value("name").toString();
    for (const Encodings &bad : {layerEdit("bits", 9), layerEdit("name", "conv9"), layerEdit("offset", 1e9),
                                 layerEdit("scale", QJsonArray{1.0})}) {
        auto r = fromEncodings(bad, m_run.model->graph(), m_run.model->executor());
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(layer3) || r.error().message.contains("conv9"), qPrintable(r.error().message));
    }
    Encodings truncated = good;
    truncated.codes.chop(100);
    auto r = fromEncodings(truncated, m_run.model->graph(), m_run.model->executor());
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains("fc"), qPrintable(r.error().message));  // the last layer's codes are cut
}

void TestExport::torchscriptLoadsInCpp()
{
    const QString file = m_dir.filePath("resnet20-w2a4.pt");
    auto rows = exportModel(*m_run.model, *m_run.state, QJsonObject{{"run_id", 7}}, "torchscript", file);
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().message));
    torch::jit::ExtraFilesMap extra{{"metaaug.json", ""}};
    torch::jit::Module m = torch::jit::load(file.toStdString(), c10::nullopt, extra);
    QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(extra["metaaug.json"])).object().value("run_id").toInt(), 7);
    torch::NoGradGuard ng;
    const torch::Tensor exported = m.forward({m_inputs}).toTensor();
    StateHooks hooks(*m_run.state, m_run.model->executor());
    const torch::Tensor engine = m_run.model->executor().run(m_inputs, &hooks);
    const double maxDiff = (exported - engine).abs().max().item<double>();
    qInfo("TorchScript export vs engine: max |logit diff| %.3g over %lld images", maxDiff, static_cast<long long>(kEvalImages));
    QVERIFY(maxDiff <= test::kExportLogitTolerance * std::max(1.0, engine.abs().max().item<double>()));
    QCOMPARE(exported.argmax(1).eq(engine.argmax(1)).sum().item<int64_t>(), kEvalImages);
}

void TestExport::badTargets()
{
    QTemporaryDir dir;
    auto unknown = exportModel(*m_run.model, *m_run.state, {}, "onnx-fp64", dir.filePath("x.onnx"));
    QVERIFY(!unknown);
    QVERIFY(unknown.error().message.contains("onnx-fp64") && unknown.error().message.contains("torchscript"));
    auto missing = exportModel(*m_run.model, *m_run.state, {}, "torchscript", dir.filePath("no/such/x.pt"));
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains(dir.filePath("no/such")), qPrintable(missing.error().message));
    auto folder = exportModel(*m_run.model, *m_run.state, {}, "encodings", dir.path());
    QVERIFY(!folder);
    QVERIFY(entries(dir.path()).isEmpty());  // nothing half-written
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
