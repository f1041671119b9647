// The CLI as a user meets it: exit codes, messages, --json output.
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run runCli(const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(qEnvironmentVariable("METAAUG_CLI"), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAllStandardOutput()),
            QString::fromLocal8Bit(p.readAllStandardError())};
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void help_data();
    void help();
    void unknownCommand();
    void missingModelNamesFile();
    void corruptModelNamesFile();
    void badDataSource();
    void evalJson();
    void badOptionValues_data();
    void badOptionValues();
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo::exists(qEnvironmentVariable("METAAUG_CLI")), "METAAUG_CLI must point to the metaaug binary");
}

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expect");
    QTest::newRow("top") << QStringList{"--help"} << "eval";
    QTest::newRow("eval") << QStringList{"eval", "--help"} << "--limit";
    QTest::newRow("bench") << QStringList{"bench", "--help"} << "matmul";
}

void TestCli::help()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expect);
    const Run r = runCli(args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(expect), qPrintable(r.out));
}

void TestCli::unknownCommand()
{
    const Run r = runCli({"frobnicate"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("unknown command 'frobnicate'"));
}

void TestCli::missingModelNamesFile()
{
    const Run r = runCli({"eval", "--model", "/no/such/model.pt"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("/no/such/model.pt"), qPrintable(r.err));
}

void TestCli::corruptModelNamesFile()
{
    QTemporaryDir dir;
    const QString model = dir.filePath("broken.pt");
    QFile f(model);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a zip archive");
    f.close();
    const Run r = runCli({"eval", "--model", model, "--input-shape", "1,28,28", "--limit", "10"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(model) && r.err.contains("TorchScript"), qPrintable(r.err));
}

void TestCli::badDataSource()
{
    const Run r = runCli({"eval", "--data", "fashion-mnist:validation"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("fashion-mnist:validation"), qPrintable(r.err));
}

void TestCli::evalJson()
{
    const Run r = runCli({"eval", "--limit", "500", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QJsonParseError e;
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &e).object();
    QCOMPARE(e.error, QJsonParseError::NoError);
    QCOMPARE(o.value("n").toInt(), 500);
    const double top1 = o.value("top1").toDouble(-1);
    QCOMPARE(top1, 100.0 * o.value("correct").toInt() / 500.0);
    QVERIFY2(top1 > 85.0, qPrintable(r.out));  // the bundled ResNet-20 is > 91 % on the full test set
    QVERIFY(!r.err.contains("\r"));  // no progress bar when stderr is not a terminal
}

void TestCli::badOptionValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("limit") << QStringList{"eval", "--limit", "-3"} << "--limit '-3'";
    QTest::newRow("threads") << QStringList{"eval", "--threads", "zero"} << "--threads 'zero'";
    QTest::newRow("shape") << QStringList{"eval", "--input-shape", "1,28"} << "--input-shape '1,28'";
    QTest::newRow("mean") << QStringList{"eval", "--mean", "a,b"} << "--mean 'a,b'";
}

void TestCli::badOptionValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    const Run r = runCli(args);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains(named), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
