// The ONNX importer plugin on the bundled models as torch.onnx.export wrote
// them: the same units as the TorchScript import, the same logits as the
// TorchScript import and as ONNX Runtime (npm onnxruntime-node), and clear
// errors for an unsupported op and for a file that is not ONNX.
#include "plugin/pluginregistry.h"
#include "plugin/importer.h"
#include "model/model.h"
#include "common/paths.h"
#include "common/runtime.h"
#include "tolerances.h"

#include <QtCore/QProcess>
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
// (by name); with `names`, the units' names must agree too. Says what differs.
bool sameUnits(const Model &onnx, const Model &ts, bool names)
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
        if (la != lb || (names && ua[u].name != ub[u].name)) {
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

void TestOnnxImport::torchvisionExport_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("opset");
    for (const char *name : {"resnet18", "mobilenet_v3_small"})
        for (int opset : {13, 17})
            QTest::newRow(qPrintable(QStringLiteral("%1 opset %2").arg(name).arg(opset))) << QString(name) << opset;
}

// torch.onnx.export of an eager torchvision model with default options (as a
// PyTorch 2.x user hands a model over): it imports, partitions into the
// units of the TorchScript import of the same model, and its logits are
// ONNX Runtime's and TorchScript's.
void TestOnnxImport::torchvisionExport()
{
    QFETCH(QString, name);
    QFETCH(int, opset);
    const QString file = fixture(QStringLiteral("%1_op%2.onnx").arg(name).arg(opset));
    QVERIFY2(QFileInfo::exists(file), "run the make_fixtures CTest fixture first");
    auto onnx = Model::load(file);
    QVERIFY2(onnx, qPrintable(onnx ? QString() : onnx.error().message));
    ModelLoadOptions withCard;
    withCard.card = onnx->card();
    auto ts = Model::load(fixture(name + "_traced.pt"), withCard);
    QVERIFY2(ts, qPrintable(ts ? QString() : ts.error().message));
    // The same units: each unit's layers, by name (unit names may differ
    // where a stem's activation is scoped apart in the ONNX file).
    QVERIFY(sameUnits(*onnx, *ts, false));
    torch::manual_seed(0);
    const torch::Tensor x = torch::randn({1, 3, 224, 224});
    const torch::Tensor yOnnx = *onnx->forward(x), yTs = *ts->forward(x);
    QVERIFY2(relDiff(yOnnx, yTs) <= test::kEngineRelTolerance, qPrintable(QString::number(relDiff(yOnnx, yTs))));
    const torch::Tensor yOrt = onnxRuntime(file, x);
    QVERIFY(yOrt.defined());
    QCOMPARE(yOrt.numel(), yOnnx.numel());
    qInfo("%s opset %d: engine (ONNX import) vs ONNX Runtime max rel diff %.2g, vs TorchScript import %.2g", qPrintable(name),
          opset, relDiff(yOnnx, yOrt), relDiff(yOnnx, yTs));
    QVERIFY(relDiff(yOnnx, yOrt) <= test::kEngineRelTolerance);
}

void TestOnnxImport::unsupportedOpNamed()
{
    auto m = Model::load(fixture("gelu_cnn.onnx"));
    QVERIFY(!m);
    QCOMPARE(m.error().code, ErrorCode::Unsupported);
    QVERIFY2(m.error().message.contains("Erf") && m.error().message.contains("gelu_cnn.onnx") &&
                 m.error().message.contains("supported ONNX ops"),
             qPrintable(m.error().message));
}

void TestOnnxImport::notAnOnnxFile()
{
    QTemporaryDir dir;
    QFile f(dir.filePath("junk.onnx"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(1000, '\\x07'));
    f.close();
    QFile::copy(modelsDir() + "/resnet20_fmnist.json", dir.filePath("junk.json"));
    auto m = Model::load(f.fileName());
    QVERIFY(!m);
    QVERIFY2(m.error().message.contains("junk.onnx"), qPrintable(m.error().message));
}

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "tst_onnximport.moc"
