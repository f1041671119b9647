// SPDX-License-Identifier: GPL-3.0-or-later
// The ONNX importer plugin on the bundled models as torch.onnx.export wrote
// them: the same units as the TorchScript import, the same logits as the
// TorchScript import and as ONNX Runtime (npm onnxruntime-node), and clear
// errors for an unsupported op and for a file that is not ONNX.
#include "export/quantizedstate.h"
#include "jobs/exportjob.h"
#include "plugin/pluginregistry.h"
#include "quant/bitpolicy.h"
#include "quant/quantizedmodel.h"
#include "plugin/importer.h"
#include "model/model.h"
#include "common/paths.h"
#include "common/runtime.h"
#include "tolerances.h"

#include <QtCore/QDir>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;

namespace {
QString fixture(const QString &file)
{
    return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + file;
}

double relDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>() / std::max(1.0, b.abs().max().item<double>());
}

// Whether both models partition into the same units with the same layers
// (by name, or with `layerNames` false by count); with `names`, the units'
// names must agree too. Says what differs.
bool sameUnits(const Model &onnx, const Model &ts, bool names, bool layerNames = true)
{
    const auto &ua = onnx.partition().units, &ub = ts.partition().units;
    if (ua.size() != ub.size()) {
        qWarning("%zu units vs %zu", ua.size(), ub.size());
        return false;
    }
    for (size_t u = 0; u < ub.size(); ++u) {
        std::vector<std::string> la, lb;
        for (int l : ua[u].layers)
            la.push_back(onnx.graph().nodes[l].name);
        for (int l : ub[u].layers)
            lb.push_back(ts.graph().nodes[l].name);
        const bool layersAgree = layerNames ? la == lb : la.size() == lb.size();
        if (!layersAgree || (names && ua[u].name != ub[u].name)) {
            qWarning("unit %zu: %s vs %s", u, ua[u].name.c_str(), ub[u].name.c_str());
            return false;
        }
    }
    return true;
}

// The logits ONNX Runtime (npm onnxruntime-node) computes for `x` on `file`;
// undefined (with a warning) when it cannot run.
torch::Tensor onnxRuntime(const QString &file, const torch::Tensor &x)
{
    const QString ort = qEnvironmentVariable("METAAUG_ORT_DIR") + "/node_modules";
    if (!QFileInfo::exists(ort + "/onnxruntime-node")) {
        qWarning("onnxruntime-node is missing: run scripts/setup-node.sh");
        return {};
    }
    QTemporaryDir dir;
    QFile in(dir.filePath("x.bin"));
    if (!in.open(QIODevice::WriteOnly))
        return {};
    in.write(reinterpret_cast<const char *>(x.contiguous().data_ptr<float>()), x.numel() * 4);
    in.close();
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("NODE_PATH", ort);
    node.setProcessEnvironment(env);
    QStringList args{qEnvironmentVariable("METAAUG_TESTS_DIR") + "/export/onnx_logits.js", file, in.fileName()};
    for (int64_t d : x.sizes())
        args << QString::number(d);
    args << dir.filePath("y.bin");
    node.start("node", args);
    if (!node.waitForFinished(120000) || node.exitCode() != 0) {
        qWarning("onnx_logits.js failed: %s", node.readAllStandardError().constData());
        return {};
    }
    QFile out(dir.filePath("y.bin"));
    if (!out.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = out.readAll();
    const int64_t n = bytes.size() / 4;
    return torch::from_blob(const_cast<char *>(bytes.constData()), {x.size(0), n / x.size(0)}, torch::kFloat).clone();
}
}  // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { configureRuntime(); }
    void bundledModel_data();
    void bundledModel();
    void torchvisionExport_data();
    void torchvisionExport();
    void quantizedModernOpsInOnnxRuntime();
    void unsupportedOpNamed();
    void notAnOnnxFile();
};

void TestOnnxImport::bundledModel_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("resnet20") << "resnet20_fmnist";
    QTest::newRow("mobilenetv2s") << "mobilenetv2s_fmnist";
}

void TestOnnxImport::bundledModel()
{
    QFETCH(QString, name);
    QVERIFY2(exporting::PluginRegistry::instance().importerFor("x.onnx"), "the onnx importer plugin is not loaded");
    QVERIFY2(QFileInfo::exists(fixture(name + ".onnx")), "run the make_fixtures CTest fixture first");
    auto onnx = Model::load(fixture(name + ".onnx"));
    QVERIFY2(onnx, qPrintable(onnx ? QString() : onnx.error().message));
    auto ts = Model::load(modelsDir() + "/" + name + ".pt");
    QVERIFY(ts);
    // Same partition: unit names and their layers' names.
    QVERIFY(sameUnits(*onnx, *ts, true));
    torch::manual_seed(0);
    const torch::Tensor x = torch::randn({8, 1, 28, 28});
    const torch::Tensor yOnnx = *onnx->forward(x), yTs = *ts->forward(x);
    QVERIFY2(relDiff(yOnnx, yTs) <= test::kEngineRelTolerance, qPrintable(QString::number(relDiff(yOnnx, yTs))));

    const torch::Tensor yOrt = onnxRuntime(fixture(name + ".onnx"), x);
    QVERIFY(yOrt.defined());
    QCOMPARE(yOrt.numel(), yOnnx.numel());
    qInfo("%s: engine (ONNX import) vs ONNX Runtime max rel diff %.2g, vs TorchScript import %.2g", qPrintable(name),
          relDiff(yOnnx, yOrt), relDiff(yOnnx, yTs));
    QVERIFY(relDiff(yOnnx, yOrt) <= test::kEngineRelTolerance);
}

// The folder of torch.onnx.export files: the CI fixtures, or with
// METAAUG_ONNX_ZOO every family and opset of bench/onnx_zoo.py. Each
// NAME_opK.onnx sits beside NAME_traced.pt (the same weights, traced).
QString zooDir()
{
    const QString zoo = qEnvironmentVariable("METAAUG_ONNX_ZOO");
    return zoo.isEmpty() ? qEnvironmentVariable("METAAUG_FIXTURES_DIR") : zoo;
}

void TestOnnxImport::torchvisionExport_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("traced");
    QTest::addColumn<bool>("named");
    // NAME[_nonames]_opK.onnx beside NAME_traced.pt
    static const QRegularExpression pattern(QStringLiteral("^(.+?)(_nonames)?_op([0-9]+)\\.onnx$"));
    const QDir dir(zooDir());
    for (const QString &f : dir.entryList({QStringLiteral("*_op*.onnx")}, QDir::Files, QDir::Name)) {
        const auto m = pattern.match(f);
        if (m.hasMatch())
            QTest::newRow(qPrintable(QStringLiteral("%1%2 opset %3").arg(m.captured(1), m.captured(2), m.captured(3))))
                << dir.filePath(f) << dir.filePath(m.captured(1) + "_traced.pt") << m.captured(2).isEmpty();
    }
}

// torch.onnx.export of an eager torchvision model with default options (as a
// PyTorch 2.x user hands a model over): it imports, partitions into the
// units of the TorchScript import of the same model, and its logits are
// ONNX Runtime's and TorchScript's, also for a batch of two where the file
// was written for one.
void TestOnnxImport::torchvisionExport()
{
    QFETCH(QString, file);
    QFETCH(QString, traced);
    QFETCH(bool, named);
    auto onnx = Model::load(file);
    QVERIFY2(onnx, qPrintable(onnx ? QString() : onnx.error().message));
    ModelLoadOptions withCard;
    withCard.card = onnx->card();
    // Without node names there are no module paths: both sides by the cut-point rule.
    // RegNet's stages are Sequential subclasses, which the TorchScript import
    // sees by class and an ONNX file cannot tell from a Sequential: each block
    // is a unit there, as the cut points give.
    const bool regnet = QFileInfo(file).fileName().startsWith(QLatin1String("regnet"));
    if (!named || regnet)
        withCard.partition = graph::PartitionRule::CutPoints;
    auto ts = Model::load(traced, withCard);
    QVERIFY2(ts, qPrintable(ts ? QString() : ts.error().message));
    if (!named)
        QCOMPARE(onnx->partition().ruleUsed, graph::PartitionRule::CutPoints);
    // The same units: each unit's layers, by name where the file has names
    // (unit names may differ where a stem's activation is scoped apart).
    QVERIFY(sameUnits(*onnx, *ts, false, named));
    const PreprocessSpec &in = onnx->card().preprocess;
    torch::manual_seed(0);
    const torch::Tensor x = torch::randn({2, in.channels, in.height, in.width});
    const torch::Tensor yOnnx = *onnx->forward(x), yTs = *ts->forward(x);
    QVERIFY2(relDiff(yOnnx, yTs) <= test::kEngineRelTolerance, qPrintable(QString::number(relDiff(yOnnx, yTs))));
    const torch::Tensor yOrt = onnxRuntime(file, x.narrow(0, 1, 1));  // the file's fixed batch of one
    QVERIFY(yOrt.defined());
    QCOMPARE(yOrt.numel(), yOnnx[1].numel());
    const double vsOrt = relDiff(onnx->applyHead(yOnnx.narrow(0, 1, 1)), yOrt);
    qInfo("%s: %zu units; engine (ONNX import) vs ONNX Runtime max rel diff %.2g, vs TorchScript import %.2g",
          qPrintable(QFileInfo(file).fileName()), onnx->partition().units.size(), vsOrt, relDiff(yOnnx, yTs));
    QVERIFY(vsOrt <= test::kEngineRelTolerance);
}

// LayerNorm, GELU, permutes, slices, zero padding and a softmax head, read
// from ONNX, quantized (W4A4) and written back as ONNX QDQ at opset 14,
// where LayerNorm and GELU are spelled in primitive ops: ONNX Runtime
// computes what the engine computes.
void TestOnnxImport::quantizedModernOpsInOnnxRuntime()
{
    auto model = Model::load(fixture("tiny_modern_op17.onnx"));
    QVERIFY2(model, qPrintable(model ? QString() : model.error().message));
    QStringList ops;
    for (const auto &n : model->graph().nodes)
        ops << graph::opKindName(n.op);
    for (const char *op : {"layer_norm", "gelu", "permute", "slice", "pad", "softmax"})
        QVERIFY2(ops.contains(op), op);
    torch::manual_seed(0);
    const torch::Tensor images = torch::randn({8, 3, 32, 32});
    quant::QuantizedModel q(model->sharedExecutor(), quant::planBits(model->executor(), 4, 4, quant::BitSetting::QDrop));
    q.initializeActivations(images);
    auto state = exporting::captureState(q, model->graph());
    QVERIFY(state);
    QTemporaryDir dir;
    const QString path = dir.filePath("tiny_modern_w4a4.onnx");
    auto written = exporting::exportModel(*model, *state, QJsonObject{}, QStringLiteral("onnx-qdq"), path);
    QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
    torch::NoGradGuard noGrad;
    QCOMPARE(QString(model->softmaxHead()), QStringLiteral("softmax"));
    const torch::Tensor engine = model->applyHead(model->executor().run(images, &q));
    const torch::Tensor ort = onnxRuntime(path, images);
    QVERIFY(ort.defined());
    const double diff = relDiff(ort.view_as(engine), engine);
    qInfo("quantized tiny_modern: ONNX Runtime vs engine max rel diff %.2g, top-1 agreement %lld/8", diff,
          (long long)(ort.view_as(engine).argmax(1) == engine.argmax(1)).sum().item<int64_t>());
    QVERIFY(diff <= test::kQdqRuntimeRelTolerance);
}

void TestOnnxImport::unsupportedOpNamed()
{
    auto m = Model::load(fixture("elu_cnn.onnx"));
    QVERIFY(!m);
    QCOMPARE(m.error().code, ErrorCode::Unsupported);
    QVERIFY2(m.error().message.contains("Elu") && m.error().message.contains("elu_cnn.onnx") &&
                 m.error().message.contains("supported ONNX ops"),
             qPrintable(m.error().message));
}

void TestOnnxImport::notAnOnnxFile()
{
    QTemporaryDir dir;
    QFile f(dir.filePath("junk.onnx"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(1000, '\x07'));
    f.close();
    QFile::copy(modelsDir() + "/resnet20_fmnist.json", dir.filePath("junk.json"));
    auto m = Model::load(f.fileName());
    QVERIFY(!m);
    QVERIFY2(m.error().message.contains("junk.onnx"), qPrintable(m.error().message));
}

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "tst_onnximport.moc"
