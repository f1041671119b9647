// SPDX-License-Identifier: GPL-3.0-or-later
// The CLI as a user meets it: exit codes, messages, --json output.
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include "store/runstore.h"
#include "testutil.h"

namespace {

using Run = metaaug::test::ProcessResult;
using metaaug::test::runCli;

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
    void infoJson();
    void infoUnsupportedModel();
    void quantizeJson();
    void refusesCacheThatDoesNotFit();
    void badOptionValues_data();
    void badOptionValues();
    void runsCommands();
    void runsCompareVerdicts();
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

void TestCli::infoJson()
{
    const Run r = runCli({"info", "--verify", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonArray units = o.value("units").toArray();
    QCOMPARE(units.size(), 11);  // bundled ResNet-20: stem conv, 9 blocks, fc
    QCOMPARE(units.first().toObject().value("name").toString(), QString("conv1"));
    QCOMPARE(units[4].toObject().value("layers").toArray().size(), 3);  // layer2.0 with its projection
    QCOMPARE(o.value("layers").toArray().size(), 22);
    QVERIFY(o.contains("max_abs_diff"));
    QVERIFY(o.value("relative_diff").toDouble(1) <= 1e-4);
}

void TestCli::infoUnsupportedModel()
{
    const QString model = qEnvironmentVariable("METAAUG_FIXTURES_DIR") + "/elu_cnn_traced.pt";
    const Run r = runCli({"info", "--model", model, "--input-shape", "1,28,28"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("aten::elu") && r.err.contains(model), qPrintable(r.err));
}

void TestCli::quantizeJson()
{
    const Run r = runCli({"quantize", "--method", "rtn", "--wbits", "8", "--abits", "8", "--calib-size", "64",
                          "--eval-limit", "300", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    for (const char *key : {"method", "wbits", "abits", "fp_top1", "q_top1", "fp_calib_top1", "q_calib_top1", "gap",
                            "agreement", "kl", "seed", "calib_hash", "wall_s", "phases", "units", "layers"})
        QVERIFY2(o.contains(key), key);
    QCOMPARE(o.value("method").toString(), QString("rtn"));
    QCOMPARE(o.value("units").toArray().size(), 11);
    QCOMPARE(o.value("layers").toArray().size(), 22);
    QCOMPARE(o.value("gap").toDouble(), o.value("q_calib_top1").toDouble() - o.value("q_top1").toDouble());
    QCOMPARE(o.value("layers").toArray().first().toObject().value("abits").toInt(), 0);  // image input stays FP
}

void TestCli::refusesCacheThatDoesNotFit()
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // 60000 images take 179 MiB as float32; the caches would go to disk, but
    // the process (libraries and model, ~250 MiB), the images and a batch of
    // working memory do not fit 400 MiB: fewer images would.
    env.insert("METAAUG_MEMORY_LIMIT_MB", "400");
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("METAAUG_CLI"), {"quantize", "--method", "qdrop", "--calib-size", "60000"});
    QVERIFY(p.waitForFinished(120000));
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains("60000 calibration images") && err.contains("400 MiB are available") && err.contains("--calib-size"),
             qPrintable(err));
}

void TestCli::badOptionValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("limit") << QStringList{"eval", "--limit", "-3"} << "--limit '-3'";
    QTest::newRow("threads") << QStringList{"eval", "--threads", "zero"} << "--threads 'zero'";
    QTest::newRow("shape") << QStringList{"eval", "--input-shape", "1,28"} << "--input-shape '1,28'";
    QTest::newRow("mean") << QStringList{"eval", "--mean", "a,b"} << "--mean 'a,b'";
    QTest::newRow("wbits 1") << QStringList{"quantize", "--wbits", "1"} << "--wbits '1'";
    QTest::newRow("wbits 9") << QStringList{"quantize", "--wbits", "9"} << "--wbits '9'";
    QTest::newRow("method") << QStringList{"quantize", "--method", "magic"} << "--method 'magic'";
    QTest::newRow("calib size") << QStringList{"quantize", "--method", "rtn", "--calib-size", "70000"} << "calibration size 70000";
}

void TestCli::badOptionValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    const Run r = runCli(args);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains(named), qPrintable(r.err));
}

void TestCli::runsCommands()
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    QList<qint64> ids;
    for (const char *method : {"rtn", "geniem"}) {
        const Run r = runCli({"quantize", "--db", db, "--method", method, "--iters", "5", "--calib-size", "64", "--eval-limit", "200", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        ids << QJsonDocument::fromJson(r.out.toUtf8()).object().value("run_id").toInteger();
    }
    QCOMPARE(ids, (QList<qint64>{1, 2}));
    // A failing run is recorded too.
    const Run bad = runCli({"quantize", "--db", db, "--calib", "/nonexistent/folder", "--iters", "5"});
    QVERIFY(bad.exitCode != 0);

    const Run list = runCli({"runs", "list", "--db", db, "--json"});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    const QJsonArray runs = QJsonDocument::fromJson(list.out.toUtf8()).object().value("runs").toArray();
    QCOMPARE(runs.size(), 3);
    QCOMPARE(runs[0].toObject().value("status").toString(), QString("succeeded"));
    QCOMPARE(runs[1].toObject().value("method").toString(), QString("geniem"));
    QCOMPARE(runs[2].toObject().value("status").toString(), QString("failed"));
    QVERIFY(runs[2].toObject().value("error").toString().contains("/nonexistent/folder"));

    const Run show = runCli({"runs", "show", "2", "--db", db, "--json"});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QJsonObject shown = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(shown.value("result").toObject().value("units").toArray().size(), 11);
    QVERIFY(shown.value("scalar_rows").toInteger() >= 9 * 5 * 3);  // rec, round, loss per iteration
    QCOMPARE(shown.value("identity").toObject().value("calib_hash").toString(),
             shown.value("result").toObject().value("calib_hash").toString());

    // inspect: the propagation table of each succeeded run (every quantized
    // layer, ranked by injected dB), one layer, and clear refusals.
    for (const char *id : {"1", "2"}) {
        const Run ins = runCli({"inspect", "--run", id, "--db", db, "--json"});
        QVERIFY2(ins.exitCode == 0, qPrintable(ins.err));
        const QJsonArray rows = QJsonDocument::fromJson(ins.out.toUtf8()).object().value("propagation").toArray();
        QCOMPARE(rows.size(), 22);  // ResNet-20's convs and fc
        double previous = INFINITY;
        for (const QJsonValue &row : rows) {
            const QJsonValue injected = row.toObject().value("injected_db");
            if (injected.isDouble()) {
                QVERIFY(injected.toDouble() <= previous);
                previous = injected.toDouble();
            }
        }
        QVERIFY(rows.last().toObject().value("output_db").isDouble());
    }
    const Run one = runCli({"inspect", "--run", "2", "--layer", "layer2.1.conv2", "--db", db});
    QVERIFY2(one.exitCode == 0 && one.out.contains("layer2.1.conv2") && !one.out.contains("layer2.1.conv1"), qPrintable(one.out + one.err));
    const Run noLayer = runCli({"inspect", "--run", "2", "--layer", "layer9.conv", "--db", db});
    QVERIFY(noLayer.exitCode != 0 && noLayer.err.contains("no quantized layer 'layer9.conv'") && noLayer.err.contains("layer1.0.conv1"));
    const Run failed = runCli({"inspect", "--run", "3", "--db", db});
    QVERIFY2(failed.exitCode != 0 && failed.err.contains("run 3 has no quantization result"), qPrintable(failed.err));

    const Run cmp = runCli({"runs", "compare", "1", "2", "--db", db});
    QVERIFY2(cmp.exitCode == 0 && cmp.out.contains("q_top1") && cmp.out.contains("geniem"), qPrintable(cmp.out + cmp.err));

    const QString bundle = dir.filePath("run2.maug");
    QCOMPARE(runCli({"runs", "export", "2", "--out", bundle, "--db", db}).exitCode, 0);
    const QString other = dir.filePath("other.sqlite");
    const Run imp = runCli({"runs", "import", bundle, "--db", other, "--json"});
    QVERIFY2(imp.exitCode == 0, qPrintable(imp.err));
    const Run show2 = runCli({"runs", "show", "1", "--db", other, "--json"});
    QCOMPARE(QJsonDocument::fromJson(show2.out.toUtf8()).object().value("result"), shown.value("result"));

    QCOMPARE(runCli({"runs", "delete", "1", "--db", db}).exitCode, 0);
    const Run gone = runCli({"runs", "show", "1", "--db", db});
    QCOMPARE(gone.exitCode, 1);
    QVERIFY2(gone.err.contains("no run 1") && gone.err.contains(db), qPrintable(gone.err));
    QCOMPARE(runCli({"runs", "show", "abc", "--db", db}).exitCode, 2);
    QCOMPARE(runCli({"runs", "frobnicate", "--db", db}).exitCode, 2);
    const Run notDb = runCli({"runs", "list", "--db", bundle + ".txt"});
    QCOMPARE(notDb.exitCode, 0);  // a new, empty database
    QFile junk(dir.filePath("junk.sqlite"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(4096, 'x'));
    junk.close();
    const Run j = runCli({"runs", "list", "--db", junk.fileName()});
    QCOMPARE(j.exitCode, 1);
    QVERIFY2(j.err.contains(junk.fileName()) && j.err.contains("not a run database"), qPrintable(j.err));
}

// `runs compare` judges each delta by the metric's direction (core's
// ResultMetric::verdict), not by its sign: a larger gap is worse, a
// shorter wall time better, in the text and in --json.
void TestCli::runsCompareVerdicts()
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    {
        auto store = metaaug::store::RunStore::open(db);
        QVERIFY(store);
        for (const auto &[gap, wall, top1] : {std::tuple{1.0, 100.0, 90.0}, std::tuple{1.4, 59.5, 90.0}}) {
            auto id = (*store)->createRun(QJsonObject{{"method", "qdrop"}, {"wbits", 4}, {"abits", 4}});
            QVERIFY(id);
            metaaug::RunResult r;
            r.method = "qdrop";
            r.gap = gap;
            r.wallSeconds = wall;
            r.qTop1 = top1;
            r.fpTop1 = 91.7;
            QVERIFY((*store)->finishRun(*id, metaaug::RunStatus::Succeeded, &r, {}));
        }
    }
    const Run text = runCli({"runs", "compare", "1", "2", "--db", db});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(QRegularExpression("\\ngap\\s+1\\.00\\s+1\\.40 \\(\\+0\\.40 worse\\)").match(text.out).hasMatch(), qPrintable(text.out));
    QVERIFY2(QRegularExpression("\\nwall_s\\s+100\\.0\\s+59\\.5 \\(-40\\.5 better\\)").match(text.out).hasMatch(), qPrintable(text.out));
    QVERIFY2(QRegularExpression("\\nq_top1\\s+90\\.00\\s+90\\.00 \\(0\\.00 same\\)").match(text.out).hasMatch(), qPrintable(text.out));
    QVERIFY2(QRegularExpression("\\nfp_top1\\s+91\\.70\\s+91\\.70 \\(0\\.00\\)").match(text.out).hasMatch(), qPrintable(text.out));
    const Run json = runCli({"runs", "compare", "1", "2", "--db", db, "--json"});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject second = QJsonDocument::fromJson(json.out.toUtf8()).object().value("runs").toArray().at(1).toObject();
    const QJsonObject verdicts = second.value("verdict_vs_first").toObject();
    QCOMPARE(verdicts.value("gap").toString(), QString("worse"));
    QCOMPARE(verdicts.value("wall_s").toString(), QString("better"));
    QCOMPARE(verdicts.value("q_top1").toString(), QString("same"));
    QVERIFY(verdicts.value("fp_top1").isNull());  // no better direction
    QVERIFY(verdicts.value("fp_calib_top1").isNull());  // no value
    QCOMPARE(second.value("delta_vs_first").toObject().value("wall_s").toDouble(), -40.5);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
