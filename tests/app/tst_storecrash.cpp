// SPDX-License-Identifier: GPL-3.0-or-later
// The run store under a killed CLI: SIGKILL at 20 random moments of real
// runs must leave an intact database, intact finished runs and the killed
// run marked interrupted; SIGINT/SIGTERM end a run as cancelled. (A full
// disk during a run is a case of the bad-input catalogue, tst_badinput.)
#include "store/runstore.h"

#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>
#include <random>

using namespace metaaug;
using namespace metaaug::store;

namespace {

QStringList runArgs(const QString &db, int seed, int iters)
{
    return {"quantize", "--db", db, "--iters", QString::number(iters), "--calib-size", "64", "--eval-limit", "100",
            "--seed", QString::number(seed), "--json"};
}

struct Snapshot {
    QJsonObject result;
    size_t scalars = 0;
};

}  // namespace

class TestStoreCrash : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(QFileInfo::exists(qEnvironmentVariable("METAAUG_CLI"))); }
    void killedAtRandomMoments();
    void signalCancels_data();
    void signalCancels();
};

void TestStoreCrash::killedAtRandomMoments()
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const QString cli = qEnvironmentVariable("METAAUG_CLI");
    QElapsedTimer t;
    qint64 fullMs = 0;
    for (int seed = 0; seed < 2; ++seed) {
        QProcess p;
        t.start();
        p.start(cli, runArgs(db, seed, 20));
        QVERIFY(p.waitForFinished(120000));
        fullMs = std::max(fullMs, t.elapsed());
        QCOMPARE(p.exitCode(), 0);
    }
    std::map<int64_t, Snapshot> finished;
    auto snapshot = [&](RunStore &s) {
        for (const RunRow &r : *s.listRuns())
            if (r.status == RunStatus::Succeeded && !finished.count(r.id))
                finished[r.id] = {r.result, s.scalars(r.id)->size()};
    };
    {
        auto s = RunStore::open(db);
        QVERIFY(s);
        snapshot(**s);
        QCOMPARE(int(finished.size()), 2);
    }
    std::mt19937 rng(20261122);
    std::uniform_int_distribution<qint64> moment(50, fullMs);
    int interrupted = 0;
    for (int k = 0; k < 20; ++k) {
        const qint64 at = moment(rng);
        QProcess p;
        p.start(cli, runArgs(db, 10 + k, 20));
        QVERIFY(p.waitForStarted());
        QThread::msleep(at);
        p.kill();  // SIGKILL
        QVERIFY(p.waitForFinished(30000));

        auto s = RunStore::open(db);
        QVERIFY2(s, s ? "" : qPrintable(s.error().message));
        QCOMPARE(*(*s)->integrityCheck(), QStringLiteral("ok"));
        for (const auto &[id, snap] : finished) {
            auto r = (*s)->run(id);
            QVERIFY2(r, qPrintable(QStringLiteral("finished run %1 is gone after kill %2").arg(id).arg(k)));
            QCOMPARE(r->status, RunStatus::Succeeded);
            QCOMPARE(r->result, snap.result);
            QCOMPARE((*s)->scalars(id)->size(), snap.scalars);
        }
        for (const RunRow &r : *(*s)->listRuns()) {
            QVERIFY2(r.status != RunStatus::Running, qPrintable(QStringLiteral("run %1 still 'running' after kill %2").arg(r.id).arg(k)));
            if (r.status == RunStatus::Interrupted && std::count((*s)->interruptedOnOpen().begin(), (*s)->interruptedOnOpen().end(), r.id))
                ++interrupted;
        }
        snapshot(**s);  // a run that finished before its kill is protected from now on
    }
    qInfo("20 kills: %d runs interrupted, %zu finished runs intact (full run %lld ms)", interrupted, finished.size(), fullMs);
    QVERIFY(interrupted >= 10);  // most kills land inside a run
}

void TestStoreCrash::signalCancels_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

void TestStoreCrash::signalCancels()
{
    QFETCH(int, signal);
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    QProcess p;
    p.start(qEnvironmentVariable("METAAUG_CLI"), runArgs(db, 0, 2000));
    QVERIFY(p.waitForStarted());
    // Wait until the run has recorded some reconstruction progress.
    QElapsedTimer t;
    t.start();
    size_t rows = 0;
    while (rows == 0 && t.elapsed() < 60000) {
        QThread::msleep(300);
        auto s = RunStore::open(db);
        if (s && !(*s)->listRuns()->empty())
            rows = (*s)->scalars((*s)->listRuns()->front().id)->size();
    }
    QVERIFY(rows > 0);
    ::kill(pid_t(p.processId()), signal);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 3);
    QVERIFY(p.readAllStandardError().contains("cancelled"));
    auto s = RunStore::open(db);
    QVERIFY(s);
    const RunRow r = (*s)->listRuns()->front();
    QCOMPARE(r.status, RunStatus::Cancelled);
    QVERIFY(r.error.contains("cancelled"));
    QVERIFY((*s)->scalars(r.id)->size() >= rows);
    QVERIFY(!r.finished.isEmpty());
}

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_storecrash.moc"
