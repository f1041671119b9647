// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug sweep` with the local executor (issue 21), through the CLI: four
// points run as four processes at once into one database (no row lost, the
// file intact), one point that aborts ends only itself and is listed with
// its error, --retry-failed reruns it, and the matrix shows the grid; and
// threads the sweep file sets are not overridden.
#include "store/runstore.h"
#include "store/sweepstore.h"
#include "testutil.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;
using metaaug::test::runCli;

class TestSweepCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fourWritersAndACrash();
    void threadsTheFileSetsAreKept();

private:
    QTemporaryDir m_dir;
};

void TestSweepCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(qEnvironmentVariable("METAAUG_CLI")), "METAAUG_CLI must point to the metaaug binary");
}

void TestSweepCli::fourWritersAndACrash()
{
    const QString file = m_dir.filePath("grid.json"), db = m_dir.filePath("runs.sqlite");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"name": "grid", "base": {"method": "rtn", "calib_size": 64, "eval_limit": 300, "abits": 8},
                "axes": {"wbits": [3, 4], "seed": [0, 1]}})");
    f.close();

    // Point 1 aborts (SIGABRT) before its run; the other three finish.
    qputenv("METAAUG_TEST_ABORT_POINT", "1");
    const auto r = runCli({"sweep", file, "--db", db, "--jobs", "4"}, 600000);
    qunsetenv("METAAUG_TEST_ABORT_POINT");
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("3 succeeded, 1 failed"), qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains("4 workers"), qPrintable(r.out));

    {
        auto store = store::RunStore::open(db);
        QVERIFY(store);
        QCOMPARE(*(*store)->integrityCheck(), QString("ok"));
        store::SweepStore sweeps(**store);
        auto points = sweeps.points(1);
        QVERIFY(points);
        QCOMPARE(points->size(), size_t(4));
        for (const auto &p : *points) {
            if (p.index == 1) {
                QCOMPARE(p.status, RunStatus::Failed);
                QVERIFY2(p.error.contains("crashed (signal 6)"), qPrintable(p.error));
                QCOMPARE(p.run, int64_t(0));
                continue;
            }
            QCOMPARE(p.status, RunStatus::Succeeded);
            // Each of the concurrent writers' runs is complete: its result and a final SQNR row per layer.
            auto run = (*store)->run(p.run);
            QVERIFY(run);
            QCOMPARE(run->status, RunStatus::Succeeded);
            QCOMPARE(run->spec.value("wbits").toInt(), p.coords.value("wbits").toInt());
            QCOMPARE(run->spec.value("threads").toInt(), 1);  // 4 workers on this machine's cores: 1 thread each
            auto metrics = (*store)->layerMetrics(p.run);
            QVERIFY(metrics);
            QCOMPARE(metrics->size(), run->typedResult()->layers.size());
        }
    }
    const auto status = runCli({"sweep", "status", "1", "--db", db});
    QVERIFY2(status.out.contains("point 1 (seed=0 wbits=4)") && status.out.contains("signal 6"), qPrintable(status.out));

    const auto retry = runCli({"sweep", "run", "1", "--retry-failed", "--db", db, "--quiet"}, 600000);
    QCOMPARE(retry.exitCode, 0);
    QVERIFY2(retry.out.contains("1 succeeded, 0 failed"), qPrintable(retry.out + retry.err));

    const auto show = runCli({"sweep", "show", "1", "--db", db, "--rows", "seed", "--cols", "wbits", "--json"});
    QCOMPARE(show.exitCode, 0);
    const QJsonObject m = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(m.value("columns").toArray().size(), 2);
    for (const QJsonValue &row : m.value("cells").toArray())
        for (const QJsonValue &cell : row.toArray())
            QCOMPARE(cell.toObject().value("n").toInt(), 1);

    // The points' run bundles in a folder give the same matrix: each bundle
    // keeps its grid point (bench/sweeps/ holds the README tables' so).
    const QString folder = m_dir.filePath("bundles");
    QVERIFY(QDir().mkpath(folder));
    auto store = store::RunStore::open(db);
    QVERIFY(store);
    for (const auto &p : *store::SweepStore(**store).points(1))
        QCOMPARE(runCli({"runs", "export", QString::number(p.run), "--out", folder + QStringLiteral("/point-%1.sqlite").arg(p.index), "--db", db})
                     .exitCode, 0);
    const auto fromFolder = runCli({"sweep", "show", folder, "--rows", "seed", "--cols", "wbits", "--json"});
    QCOMPARE(fromFolder.exitCode, 0);
    const QJsonObject byFolder = QJsonDocument::fromJson(fromFolder.out.toUtf8()).object();
    QCOMPARE(byFolder.value("rows"), m.value("rows"));
    QCOMPARE(byFolder.value("columns"), m.value("columns"));
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
            QCOMPARE(byFolder.value("cells")[i][j].toObject().value("mean"), m.value("cells")[i][j].toObject().value("mean"));
}

// The executor picks threads per point only where the file sets none: a
// study's threads are part of its specs (results can depend on them).
void TestSweepCli::threadsTheFileSetsAreKept()
{
    const QString file = m_dir.filePath("threads.json"), db = m_dir.filePath("threads.sqlite");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // 3: neither the cores / jobs of this machine's default nor 1.
    f.write(R"({"name": "threads", "base": {"method": "rtn", "calib_size": 32, "eval_limit": 100, "threads": 3},
                "axes": {"wbits": [4]}})");
    f.close();
    const auto r = runCli({"sweep", file, "--db", db, "--jobs", "1"}, 600000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains("1 workers x 3 threads"), qPrintable(r.out));
    auto store = store::RunStore::open(db);
    QVERIFY(store);
    auto points = store::SweepStore(**store).points(1);
    QVERIFY(points && points->size() == 1);
    auto run = (*store)->run(points->front().run);
    QVERIFY(run);
    QCOMPARE(run->spec.value("threads").toInt(), 3);
}

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweepcli.moc"
