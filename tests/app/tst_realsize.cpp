// SPDX-License-Identifier: GPL-3.0-or-later
// A 224x224 run as a user with their own model brings it: a small RGB CNN
// without a card of its own (--card imagenet) on a folder of photos, its
// activation caches forced to disk ($METAAUG_CACHE_BUDGET_MB=0) and kept in
// memory: the same quantized weights either way, no file left in the
// temporary folder, a plan and progress lines on stderr when it is not a
// terminal (none with --quiet). And the messages for a folder given as the
// model and for an unknown card.
#include "testutil.h"

#include <QtCore/QDir>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using metaaug::test::ProcessResult;
using metaaug::test::runCli;

namespace {
QString fixture(const QString &name)
{
    return qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/" + name;
}

// The CLI with extra environment variables.
ProcessResult runWith(const QMap<QString, QString> &vars, const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto it = vars.begin(); it != vars.end(); ++it)
        env.insert(it.key(), it.value());
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("METAAUG_CLI"), args);
    ProcessResult r;
    if (!p.waitForFinished(300000))
        p.kill();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

QStringList quantizeArgs()
{
    return {"quantize", "--model", fixture("rgb_cnn.pt"), "--card", "imagenet", "--calib", fixture("photos224"),
            "--eval", fixture("photos224"), "--calib-size", "32", "--iters", "4", "--method", "qdrop",
            "--wbits", "4", "--abits", "4", "--no-store", "--json"};
}
}  // namespace

class TestRealSize : public QObject {
    Q_OBJECT
private slots:
    void diskCacheGivesTheSameRun();
    void quietIsQuiet();
    void folderAsModelIsAFolder();
    void unknownCardNamed();
};

void TestRealSize::diskCacheGivesTheSameRun()
{
    QTemporaryDir tmpDisk, tmpMemory;
    const ProcessResult disk = runWith({{"METAAUG_CACHE_BUDGET_MB", "0"}, {"TMPDIR", tmpDisk.path()}}, quantizeArgs());
    QVERIFY2(disk.exitCode == 0, qPrintable(disk.err));
    const ProcessResult memory = runWith({{"TMPDIR", tmpMemory.path()}}, quantizeArgs());
    QVERIFY2(memory.exitCode == 0, qPrintable(memory.err));
    QVERIFY2(disk.err.contains("activation caches") && disk.err.contains("on disk in " + tmpDisk.path()), qPrintable(disk.err));
    QVERIFY2(memory.err.contains("in memory"), qPrintable(memory.err));
    // Progress when stderr is not a terminal: a line per unit and phase.
    QVERIFY2(disk.err.contains(QRegularExpression(R"(\[ *[0-9.]+ s\] unit 1/3 conv1 · activation cache)")), qPrintable(disk.err));
    QVERIFY2(disk.err.contains("evaluation"), qPrintable(disk.err));
    const QJsonObject a = QJsonDocument::fromJson(disk.out.toUtf8()).object(), b = QJsonDocument::fromJson(memory.out.toUtf8()).object();
    QVERIFY(!a.value("qweights_sha256").toString().isEmpty());
    QCOMPARE(a.value("qweights_sha256").toString(), b.value("qweights_sha256").toString());
    QCOMPARE(a.value("q_top1").toDouble(), b.value("q_top1").toDouble());
    // The card is recorded as its values, with the preset it came from.
    QCOMPARE(a.value("spec").toObject().value("card").toObject().value("preset").toString(), QStringLiteral("imagenet"));
    // Cache files were unlinked at once and the run's folder removed.
    QVERIFY2(QDir(tmpDisk.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty(),
             qPrintable(QDir(tmpDisk.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).join(' ')));
}

void TestRealSize::quietIsQuiet()
{
    const ProcessResult r = runCli(quantizeArgs() << "--quiet");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(!r.err.contains("plan:") && !r.err.contains("unit 1/"), qPrintable(r.err));
}

void TestRealSize::folderAsModelIsAFolder()
{
    for (const char *command : {"info", "quantize"}) {
        const ProcessResult r = runCli({command, "--model", fixture("photos224")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(fixture("photos224")) && r.err.contains("is a folder") && !r.err.contains("card"), qPrintable(r.err));
    }
}

void TestRealSize::unknownCardNamed()
{
    const ProcessResult r = runCli({"info", "--model", fixture("rgb_cnn.pt"), "--card", "imagenet22k"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("imagenet22k") && r.err.contains("imagenet, fashion-mnist"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestRealSize)
#include "tst_realsize.moc"
