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
}  // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { configureRuntime(); }
    void bundledModel_data();
    void bundledModel();
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
    QCOMPARE(onnx->partition().units.size(), ts->partition().units.size());
    for (size_t u = 0; u < ts->partition().units.size(); ++u) {
        const auto &a = onnx->partition().units[u], &b = ts->partition().units[u];
        QCOMPARE(QString::fromStdString(a.name), QString::fromStdString(b.name));
        QCOMPARE(a.layers.size(), b.layers.size());
        for (size_t l = 0; l < a.layers.size(); ++l)
            QCOMPARE(QString::fromStdString(onnx->graph().nodes[a.layers[l]].name),
                     QString::fromStdString(ts->graph().nodes[b.layers[l]].name));
    }
    torch::manual_seed(0);
    const torch::Tensor x = torch::randn({8, 1, 28, 28});
    const torch::Tensor yOnnx = *onnx->forward(x), yTs = *ts->forward(x);
    QVERIFY2(relDiff(yOnnx, yTs) <= test::kEngineRelTolerance, qPrintable(QString::number(relDiff(yOnnx, yTs))));

    // ONNX Runtime on the same batch.
    const QString ort = qEnvironmentVariable("METAAUG_ORT_DIR") + "/node_modules";
    QVERIFY2(QFileInfo::exists(ort + "/onnxruntime-node"), "onnxruntime-node is missing: run scripts/setup-node.sh");
    QTemporaryDir dir;
    QFile in(dir.filePath("x.bin"));
    QVERIFY(in.open(QIODevice::WriteOnly));
    in.write(reinterpret_cast<const char *>(x.contiguous().data_ptr<float>()), x.numel() * 4);
    in.close();
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("NODE_PATH", ort);
    node.setProcessEnvironment(env);
    node.start("node", {qEnvironmentVariable("METAAUG_TESTS_DIR") + "/export/onnx_logits.js", fixture(name + ".onnx"),
                        in.fileName(), "8", "1", "28", "28", dir.filePath("y.bin")});
    QVERIFY(node.waitForFinished(120000));
    QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
    QFile out(dir.filePath("y.bin"));
    QVERIFY(out.open(QIODevice::ReadOnly));
    const QByteArray bytes = out.readAll();
    QCOMPARE(bytes.size(), qsizetype(yOnnx.numel() * 4));
    const torch::Tensor yOrt = torch::from_blob(const_cast<char *>(bytes.constData()), yOnnx.sizes(), torch::kFloat).clone();
    qInfo("%s: engine (ONNX import) vs ONNX Runtime max rel diff %.2g, vs TorchScript import %.2g", qPrintable(name),
          relDiff(yOnnx, yOrt), relDiff(yOnnx, yTs));
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
