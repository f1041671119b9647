// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug sweep` with the local executor (issue 21), through the CLI: four
// points run as four processes at once into one database (no row lost, the
// file intact), one point that aborts ends only itself and is listed with
// its error, --retry-failed reruns it, and the matrix shows the grid; the
// same tables from the points' bundles, from their records (sweep export)
// and from the sweep's; threads the sweep file sets are not overridden;
// and a killed sweep's points are told from live ones and reclaimed.
#include "store/runstore.h"
#include "store/sweepstore.h"
#include "testutil.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

using namespace metaaug;
using metaaug::test::runCli;

class TestSweepCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void fourWritersAndACrash();
    void threadsTheFileSetsAreKept();
    void killedSweepSaysProcessGone();

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
    // keeps its grid point (bench/sweeps/ holds those of docs/results.md's tables).
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

    // Records: from the folder and from the sweep, the tables byte for byte as from the bundles and the database.
    const QString fromBundles = m_dir.filePath("bundles.jsonl"), fromSweep = m_dir.filePath("sweep.jsonl");
    const auto exported = runCli({"sweep", "export", folder, "--out", fromBundles});
    QVERIFY2(exported.exitCode == 0 && exported.out.contains("4 records written"), qPrintable(exported.out + exported.err));
    QCOMPARE(runCli({"sweep", "export", "1", "--out", fromSweep, "--db", db}).exitCode, 0);
    QFile lines(fromBundles);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    const QList<QByteArray> records = lines.readAll().trimmed().split('\n');
    QCOMPARE(records.size(), 4);
    const QJsonObject record = QJsonDocument::fromJson(records.front()).object();
    QCOMPARE(record.value("index").toInt(), 0);
    QCOMPARE(record.value("result")["qweights_sha256"].toString().size(), 64);
    QVERIFY(!record.value("result")["layers"].toArray().isEmpty());
    QVERIFY(!record.contains("scalars") && !record.contains("images"));
    // (tst_sweepfile compares every form in process; here the CLI's way to them.)
    for (const QStringList &form : {QStringList{"--json"}, QStringList{"--metric", "q_top1,wall_s", "--rows", "seed", "--markdown"}}) {
        const auto byBundles = runCli(QStringList{"sweep", "show", folder} + form);
        const auto byRecords = runCli(QStringList{"sweep", "show", fromBundles} + form);
        QVERIFY2(byBundles.exitCode == 0 && byRecords.exitCode == 0, qPrintable(byBundles.err + byRecords.err));
        QCOMPARE(byRecords.out, byBundles.out);
    }
    QCOMPARE(runCli({"sweep", "show", fromSweep, "--json"}).out, runCli({"sweep", "show", "1", "--db", db, "--json"}).out);
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

// A sweep killed with its point's process (SIGKILL: nothing recorded on the
// way out) leaves the point "running"; status tells it from a live one by
// its recorded process, the matrix calls it interrupted, and `sweep run`
// reclaims it.
void TestSweepCli::killedSweepSaysProcessGone()
{
    // Orphaned point processes become this process's children: they can be reaped, not left as zombies that look alive.
    QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const QString file = m_dir.filePath("slow.json"), db = m_dir.filePath("killed.sqlite");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // A point long enough (minutes) to be killed while it runs; one at a time, the other queued behind it.
    f.write(R"({"name": "slow", "base": {"method": "qdrop", "iters": 200000, "calib_size": 32, "eval_limit": 100, "threads": 1},
                "axes": {"wbits": [3, 4]}})");
    f.close();

    // Waits until point 0 runs with its process recorded (attempt `attempt`); returns its pid.
    auto runningPid = [&db](int attempt) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000) {
            if (auto store = store::RunStore::open(db))
                if (auto points = store::SweepStore(**store).points(1); points && !points->empty())
                    if (const auto &p = points->front(); p.status == RunStatus::Running && p.owner.pid > 0 && p.attempts == attempt)
                        return p.owner.pid;
            QTest::qWait(100);
        }
        return int64_t(0);
    };
    // SIGKILL to the executor, then to its orphaned point, which is reaped here.
    auto killBoth = [](QProcess &executor, int64_t point) {
        executor.kill();
        QVERIFY(executor.waitForFinished());
        QCOMPARE(::kill(pid_t(point), SIGKILL), 0);
        QCOMPARE(::waitpid(pid_t(point), nullptr, 0), pid_t(point));
    };
    const QString cli = qEnvironmentVariable("METAAUG_CLI");
    QProcess sweep;
    sweep.start(cli, {"sweep", file, "--db", db, "--jobs", "1", "--quiet"});
    QVERIFY(sweep.waitForStarted());
    const int64_t pid = runningPid(1);
    QVERIFY(pid > 0);

    const auto live = runCli({"sweep", "status", "1", "--db", db});
    QVERIFY2(live.out.contains("): running; 2 points: 1 queued; 1 running") && !live.out.contains("process gone"), qPrintable(live.out));

    killBoth(sweep, pid);
    if (QTest::currentTestFailed())
        return;
    const auto dead = runCli({"sweep", "status", "1", "--db", db});
    QVERIFY2(dead.out.contains("): running, process gone; 2 points: 1 queued; 1 running, process gone"), qPrintable(dead.out));
    QVERIFY2(dead.out.contains(QStringLiteral("point 0 (wbits=3): process %1 on").arg(pid)), qPrintable(dead.out));
    QVERIFY2(dead.out.contains("`metaaug sweep run 1` reclaims them"), qPrintable(dead.out));
    const QJsonObject json = QJsonDocument::fromJson(runCli({"sweep", "status", "1", "--db", db, "--json"}).out.toUtf8()).object();
    QCOMPARE(json.value("process_gone").toBool(), true);
    QCOMPARE(json.value("points")[0]["process"]["gone"].toBool(), true);
    // The matrix does not call it running either.
    const auto show = runCli({"sweep", "show", "1", "--db", db, "--json"});
    const QJsonArray cells = QJsonDocument::fromJson(show.out.toUtf8()).object().value("cells")[0].toArray();
    QCOMPARE(cells.size(), 2);
    QCOMPARE(cells[0]["unfinished"].toObject(), (QJsonObject{{"interrupted", 1}}));
    QCOMPARE(cells[1]["unfinished"].toObject(), (QJsonObject{{"pending", 1}}));

    // `sweep run` takes it up again: a second attempt in a new process.
    QProcess again;
    again.start(cli, {"sweep", "run", "1", "--db", db, "--jobs", "1", "--quiet"});
    QVERIFY(again.waitForStarted());
    const int64_t reclaimed = runningPid(2);
    QVERIFY(reclaimed > 0 && reclaimed != pid);
    killBoth(again, reclaimed);
    // No point process outlives the test (each runs for minutes).
    if (auto store = store::RunStore::open(db))
        if (auto points = store::SweepStore(**store).points(1))
            for (const auto &p : *points)
                if (p.status == RunStatus::Running && p.owner.pid > 0 && p.owner.pid != pid && p.owner.pid != reclaimed &&
                    ::kill(pid_t(p.owner.pid), SIGKILL) == 0)
                    ::waitpid(pid_t(p.owner.pid), nullptr, 0);
}

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweepcli.moc"
