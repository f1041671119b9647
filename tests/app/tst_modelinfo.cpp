// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug info` and the model-facing flags as a user meets them: a model
// with a softmax head, an ONNX file verified against ONNX Runtime (or
// plainly "not verified" without it), card flags honoured by bench --recon,
// and out-of-range values named with their exact bounds.
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include "testutil.h"
#include "tolerances.h"

using metaaug::test::runCli;

namespace {

QString fixture(const QString &name) { return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + name; }

const QStringList kTinyCard{"--input-shape", "3,32,32", "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25"};

}  // namespace

class TestModelInfo : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void softmaxHead();
    void verifyOnnxAgainstOnnxRuntime();
    void onnxNotVerifiedWithoutRuntime();
    void benchReconTakesCardFlags();
    void seedBoundsExact();

private:
    QTemporaryDir m_dir;
    QString m_softmaxModel;
};

void TestModelInfo::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(fixture("tiny_modern_op17.onnx")), "run the make_fixtures CTest fixture first");
    // A traced module whose forward ends in softmax, as the user's was.
    m_softmaxModel = m_dir.filePath("softmax_head.pt");
    QProcess py;
    py.start("/usr/bin/python3", {"-c", QStringLiteral(
        "import torch\n"
        "class M(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.f = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(4 * 26 * 26, 10))\n"
        "    def forward(self, x):\n"
        "        return torch.softmax(self.f(x), 1)\n"
        "torch.manual_seed(0)\n"
        "torch.jit.trace(M().eval(), torch.zeros(1, 1, 28, 28)).save('%1')\n").arg(m_softmaxModel)});
    QVERIFY(py.waitForFinished(120000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
}

void TestModelInfo::softmaxHead()
{
    const QStringList card{"--input-shape", "1,28,28", "--mean", "0.286", "--std", "0.353"};
    const auto info = runCli(QStringList{"info", "--model", m_softmaxModel} + card);
    QVERIFY2(info.exitCode == 0, qPrintable(info.err));
    QVERIFY2(info.out.contains("head   softmax (the engine reads the logits before it"), qPrintable(info.out));
    const auto q = runCli(QStringList{"quantize", "--model", m_softmaxModel, "--method", "rtn", "--calib-size", "16", "--eval-limit", "32",
                                      "--no-store", "--threads", "1"} + card, 300000);
    QVERIFY2(q.exitCode == 0, qPrintable(q.err));
    QVERIFY2(q.err.contains("model ends in softmax: top-1, KL and agreement are computed on the logits before it"), qPrintable(q.err));
}

void TestModelInfo::verifyOnnxAgainstOnnxRuntime()
{
    const QString ort = QDir::cleanPath(QFileInfo(qEnvironmentVariable("METAAUG_CLI")).absolutePath() + "/../ort");
    if (!QFileInfo::exists(ort + "/node_modules/onnxruntime-node/package.json"))
        QSKIP("ONNX Runtime is not installed in build/ort (scripts/setup-node.sh)");
    const auto r = runCli(QStringList{"info", "--model", fixture("tiny_modern_op17.onnx"), "--verify", "--json"} + kTinyCard);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j.value("reference").toString(), QStringLiteral("onnxruntime"));
    QVERIFY(j.value("verified").toBool());
    QVERIFY2(j.value("relative_diff").toDouble(1) <= metaaug::test::kEngineRelTolerance, qPrintable(r.out));
}

void TestModelInfo::onnxNotVerifiedWithoutRuntime()
{
    qputenv("METAAUG_ORT_DIR", m_dir.filePath("no-ort").toUtf8());
    const auto r = runCli(QStringList{"info", "--model", fixture("tiny_modern_op17.onnx"), "--verify"} + kTinyCard);
    qunsetenv("METAAUG_ORT_DIR");
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("verify: not verified: ONNX Runtime (npm onnxruntime-node) is not in"), qPrintable(r.out));
    QVERIFY(r.out.contains("scripts/setup-node.sh"));
    QVERIFY(!(r.out + r.err).contains("PytorchStreamReader"));
    const auto help = runCli({"info", "--help"});
    QVERIFY(help.out.contains("TorchScript (.pt) or ONNX (.onnx)"));
}

void TestModelInfo::benchReconTakesCardFlags()
{
    // A card-less TorchScript file: the flags are the card.
    const auto r = runCli(QStringList{"bench", "--recon", "--no-meta", "--model", m_softmaxModel, "--images", "64", "--repeat", "1", "--json",
                                      "--input-shape", "1,28,28", "--mean", "0.286", "--std", "0.353"},
                          300000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!r.err.contains("has no model card"));
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY2(!j.value("recon_iteration_median_ms").toArray().isEmpty(), qPrintable(r.out));
}

void TestModelInfo::seedBoundsExact()
{
    const auto r = runCli({"quantize", "--seed", "abc", "--no-store"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("must be a whole number from 0 to 9223372036854775807 (got abc)"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestModelInfo)
#include "tst_modelinfo.moc"
