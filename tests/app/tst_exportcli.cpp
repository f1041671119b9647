// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug export` and `metaaug quantize --export` as a user meets them:
// files and artefact rows for a succeeded run, and for every bad target
// (unknown format, missing or unwritable folder, a full disk, a run that
// did not succeed) a message naming it, a non-zero exit and no file left.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include "testutil.h"

namespace {

using Run = metaaug::test::ProcessResult;

Run cli(const QStringList &args)
{
    return metaaug::test::runCli(args, 300000);
}

QStringList files(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
}

}  // namespace

class TestExportCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void exportStoredRun_data();
    void exportStoredRun();
    void quantizeWithExport();
    void unknownFormat();
    void missingFolder();
    void unwritableTarget();
    void fullDisk();
    void runThatDidNotSucceed();
    void bitsFileThroughStoreAndExport();

private:
    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_run = 0;
};

void TestExportCli::initTestCase()
{
    m_db = m_dir.filePath("runs.sqlite");
    const Run r = cli({"quantize", "--method", "rtn", "--calib-size", "64", "--eval-limit", "200", "--db", m_db, "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    m_run = QJsonDocument::fromJson(r.out.toUtf8()).object().value("run_id").toInteger();
    QVERIFY(m_run > 0);
}

void TestExportCli::exportStoredRun_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("torchscript") << "torchscript" << QStringList{"m.pt"};
    QTest::newRow("onnx-qdq") << "onnx-qdq" << QStringList{"m.onnx"};
    QTest::newRow("encodings") << "encodings" << QStringList{"m.bin", "m.json"};
}

void TestExportCli::exportStoredRun()
{
    QFETCH(QString, format);
    QFETCH(QStringList, expected);
    QTemporaryDir out;
    const QString suffix = expected.last().section('.', -1);
    const Run r = cli({"export", "--run", QString::number(m_run), "--format", format, "--out", out.filePath("m." + suffix),
                       "--db", m_db, "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(files(out.path()), expected);
    const QJsonArray written = QJsonDocument::fromJson(r.out.toUtf8()).object().value("files").toArray();
    QCOMPARE(written.size(), expected.size());
    // The artefacts are recorded with the run.
    const Run show = cli({"runs", "show", QString::number(m_run), "--db", m_db, "--json"});
    QVERIFY(show.out.contains(out.filePath(expected.first())));
}

void TestExportCli::quantizeWithExport()
{
    QTemporaryDir out;
    const Run r = cli({"quantize", "--method", "rtn", "--calib-size", "64", "--eval-limit", "200", "--no-store", "--json",
                       "--export", "torchscript:" + out.filePath("a.pt"), "--export", "onnx-qdq:" + out.filePath("a.onnx")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(files(out.path()), (QStringList{"a.onnx", "a.pt"}));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("exports").toArray().size(), 2);
}

// Per-layer bits from a file: recorded in the stored spec, used by the run,
// and written per layer by an export of the stored run.
void TestExportCli::bitsFileThroughStoreAndExport()
{
    QTemporaryDir dir;
    QFile f(dir.filePath("bits.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"layer1.0.conv1": 2, "layer2.0.conv1": {"w": 3, "a": 5}, "fc": 6})");
    f.close();
    const Run r = cli({"quantize", "--method", "rtn", "--calib-size", "64", "--eval-limit", "200", "--db", m_db, "--json",
                       "--bits-file", f.fileName()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const qint64 run = QJsonDocument::fromJson(r.out.toUtf8()).object().value("run_id").toInteger();
    const Run show = cli({"runs", "show", QString::number(run), "--db", m_db, "--json"});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QJsonObject stored = QJsonDocument::fromJson(show.out.toUtf8()).object();
    const QString expected = QStringLiteral("fc=6,layer1.0.conv1=2,layer2.0.conv1=3/5");
    QCOMPARE(stored.value("spec").toObject().value("layer_bits").toString(), expected);
    QCOMPARE(stored.value("result").toObject().value("spec").toObject().value("layer_bits").toString(), expected);
    // Compared with the uniform run, the layers whose bits differ are listed side by side.
    const Run cmp = cli({"runs", "compare", QString::number(m_run), QString::number(run), "--db", m_db});
    QVERIFY2(cmp.exitCode == 0, qPrintable(cmp.err));
    QVERIFY2(cmp.out.contains("bits per layer") && QRegularExpression("layer2\\.0\\.conv1\\s+2/4\\s+3/5").match(cmp.out).hasMatch() &&
                 !cmp.out.contains("layer3.1.conv1"),
             qPrintable(cmp.out));
    QTemporaryDir out;
    const Run e = cli({"export", "--run", QString::number(run), "--format", "encodings", "--out", out.filePath("m.json"), "--db", m_db});
    QVERIFY2(e.exitCode == 0, qPrintable(e.err));
    QFile enc(out.filePath("m.json"));
    QVERIFY(enc.open(QIODevice::ReadOnly));
    const QJsonObject j = QJsonDocument::fromJson(enc.readAll()).object();
    QMap<QString, int> wbits, abits;
    for (const QJsonValue &l : j.value("layers").toArray())
        wbits[l["name"].toString()] = l["bits"].toInt();
    for (const QJsonValue &a : j.value("activations").toArray())
        for (const QJsonValue &c : a["layers"].toArray())
            abits[c.toString()] = a["bits"].toInt();
    QCOMPARE(wbits.value("layer1.0.conv1"), 2);
    QCOMPARE(wbits.value("layer2.0.conv1"), 3);
    QCOMPARE(wbits.value("fc"), 6);
    QCOMPARE(wbits.value("layer1.0.conv2"), 2);  // the default --wbits
    QCOMPARE(abits.value("layer2.0.conv1"), 5);
    QCOMPARE(abits.value("layer2.0.downsample.0"), 5);  // it reads the same input
    QCOMPARE(abits.value("layer1.0.conv2"), 4);
}

void TestExportCli::unknownFormat()
{
    QTemporaryDir out;
    const Run a = cli({"export", "--run", QString::number(m_run), "--format", "tflite", "--out", out.filePath("m.tflite"), "--db", m_db});
    QCOMPARE(a.exitCode, 2);
    QVERIFY2(a.err.contains("tflite") && a.err.contains("onnx-qdq"), qPrintable(a.err));
    const Run b = cli({"quantize", "--method", "rtn", "--no-store", "--export", "tflite:" + out.filePath("m")});
    QCOMPARE(b.exitCode, 2);
    QVERIFY2(b.err.contains("tflite"), qPrintable(b.err));
    QVERIFY(files(out.path()).isEmpty());
}

void TestExportCli::missingFolder()
{
    const QString target = m_dir.filePath("no/such/folder/m.pt");
    const Run a = cli({"export", "--run", QString::number(m_run), "--format", "torchscript", "--out", target, "--db", m_db});
    QCOMPARE(a.exitCode, 1);
    QVERIFY2(a.err.contains(m_dir.filePath("no/such/folder")) && a.err.contains("does not exist"), qPrintable(a.err));
    // quantize refuses before it spends minutes on the run.
    const Run b = cli({"quantize", "--method", "rtn", "--no-store", "--export", "onnx-qdq:" + target});
    QCOMPARE(b.exitCode, 2);
    QVERIFY2(b.err.contains("does not exist"), qPrintable(b.err));
}

void TestExportCli::unwritableTarget()
{
    // /proc accepts no new files, not even from root.
    const Run a = cli({"export", "--run", QString::number(m_run), "--format", "onnx-qdq", "--out", "/proc/metaaug-export.onnx", "--db", m_db});
    QCOMPARE(a.exitCode, 1);
    QVERIFY2(a.err.contains("/proc/metaaug-export.onnx"), qPrintable(a.err));
    QVERIFY(!QFileInfo::exists("/proc/metaaug-export.onnx"));
}

void TestExportCli::fullDisk()
{
    // A file-size limit of 64 KiB stands in for a full disk: the ~300 KB
    // export cannot be written, the database write of its artefact never happens.
    QTemporaryDir out;
    for (const QString &format : {"onnx-qdq", "torchscript", "encodings"}) {
        const Run r = metaaug::test::runCliWithFileLimit(64, {"export", "--run", QString::number(m_run), "--format", format,
                                                              "--out", out.filePath("m.x"), "--db", m_db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(out.filePath("m.x")), qPrintable(r.err));
        QVERIFY2(files(out.path()).isEmpty(), qPrintable(files(out.path()).join(", ")));
    }
}

void TestExportCli::runThatDidNotSucceed()
{
    QTemporaryDir out;
    const Run failed = cli({"quantize", "--method", "rtn", "--calib", m_dir.filePath("empty"), "--db", m_db});
    QCOMPARE(failed.exitCode, 1);
    const QString id = failed.err.section("(run ", 1).section(')', 0, 0);
    QVERIFY2(id.toLongLong() > m_run, qPrintable(failed.err));
    const Run r = cli({"export", "--run", id, "--format", "torchscript", "--out", out.filePath("m.pt"), "--db", m_db});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("failed") && r.err.contains("only a succeeded run"), qPrintable(r.err));
    QVERIFY(files(out.path()).isEmpty());
    const Run missing = cli({"export", "--run", "999", "--format", "torchscript", "--out", out.filePath("m.pt"), "--db", m_db});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("999"), qPrintable(missing.err));
}

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_exportcli.moc"
