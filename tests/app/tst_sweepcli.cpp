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
    for (const QStringList &form : {QStringList{}, QStringList{"--markdown"}, QStringList{"--csv"}, QStringList{"--json"},
                                    QStringList{"--metric", "q_top1,wall_s", "--rows", "seed"}}) {
        const auto byBundles = runCli(QStringList{"sweep", "show", folder} + form);
        const auto byRecords = runCli(QStringList{"sweep", "show", fromBundles} + form);
        QVERIFY2(byBundles.exitCode == 0 && byRecords.exitCode == 0, qPrintable(byBundles.err + byRecords.err));
        QCOMPARE(byRecords.out, byBundles.out);
        QCOMPARE(runCli(QStringList{"sweep", "show", fromSweep} + form).out, runCli(QStringList{"sweep", "show", "1", "--db", db} + form).out);
    }
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

// A sweep killed with its points' processes (SIGKILL: nothing recorded on
// the way out) leaves its points "running"; status tells them from live
// ones by their recorded process, and `sweep run` reclaims them.
void TestSweepCli::killedSweepSaysProcessGone()
{
    // Orphaned point processes become this process's children: they can be reaped, not left as zombies that look alive.
    QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const QString file = m_dir.filePath("slow.json"), db = m_dir.filePath("killed.sqlite");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    // Long enough (minutes) to be killed while running; killed within seconds.
    f.write(R"({"name": "slow", "base": {"method": "qdrop", "iters": 200000, "calib_size": 32, "eval_limit": 100, "threads": 1},
                "axes": {"wbits": [3, 4]}})");
    f.close();

    // Waits until both points run with their process recorded; returns their pids (attempt `attempt`).
    auto runningPids = [&db](int attempt) {
        std::vector<int64_t> pids;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000 && pids.size() < 2) {
            pids.clear();
            if (auto store = store::RunStore::open(db))
                if (auto points = store::SweepStore(**store).points(1))
                    for (const auto &p : *points)
                        if (p.status == RunStatus::Running && p.owner.pid > 0 && p.attempts == attempt)
                            pids.push_back(p.owner.pid);
            if (pids.size() < 2)
                QTest::qWait(100);
        }
        return pids;
    };
    QProcess sweep;
    sweep.start(qEnvironmentVariable("METAAUG_CLI"), {"sweep", file, "--db", db, "--jobs", "2", "--quiet"});
    QVERIFY(sweep.waitForStarted());
    const std::vector<int64_t> pids = runningPids(1);
    QCOMPARE(pids.size(), size_t(2));

    const auto live = runCli({"sweep", "status", "1", "--db", db});
    QVERIFY2(live.out.contains("running; 2 points: 2 running") && !live.out.contains("process gone"), qPrintable(live.out));

    sweep.kill();  // SIGKILL: the executor records nothing more
    QVERIFY(sweep.waitForFinished());
    for (int64_t pid : pids) {
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QCOMPARE(::waitpid(pid_t(pid), nullptr, 0), pid_t(pid));  // reaped: gone from /proc
    }
    const auto dead = runCli({"sweep", "status", "1", "--db", db});
    QVERIFY2(dead.out.contains("): running, process gone; 2 points: 2 running, process gone"), qPrintable(dead.out));
    QVERIFY2(dead.out.contains(QStringLiteral("point 0 (wbits=3): process %1 on").arg(pids[0])), qPrintable(dead.out));
    QVERIFY2(dead.out.contains("`metaaug sweep run 1` reclaims them"), qPrintable(dead.out));
    const QJsonObject json = QJsonDocument::fromJson(runCli({"sweep", "status", "1", "--db", db, "--json"}).out.toUtf8()).object();
    QCOMPARE(json.value("process_gone").toBool(), true);
    QCOMPARE(json.value("points")[1]["process"]["gone"].toBool(), true);
    // The matrix does not call them running either.
    const auto show = runCli({"sweep", "show", "1", "--db", db});
    QVERIFY2(show.out.contains("interrupted") && !show.out.contains("running"), qPrintable(show.out));

    // `sweep run` takes them up again (second attempt, new processes); then cancelled, not waited for.
    QProcess again;
    again.start(qEnvironmentVariable("METAAUG_CLI"), {"sweep", "run", "1", "--db", db, "--quiet"});
    QVERIFY(again.waitForStarted());
    const std::vector<int64_t> reclaimed = runningPids(2);
    QCOMPARE(reclaimed.size(), size_t(2));
    QVERIFY(reclaimed != pids);
    const auto now = runCli({"sweep", "status", "1", "--db", db});
    QVERIFY2(now.out.contains("2 points: 2 running") && !now.out.contains("process gone"), qPrintable(now.out));
    QCOMPARE(runCli({"sweep", "cancel", "1", "--db", db}).exitCode, 0);
    QVERIFY(again.waitForFinished(60000));
    QVERIFY2(again.exitCode() == 3, qPrintable(again.readAllStandardOutput() + again.readAllStandardError()));
}

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweepcli.moc"
