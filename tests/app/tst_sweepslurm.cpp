// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug sweep --executor slurm` round trip (issue 21) on a one-node Slurm
// cluster started by this test (tests/support/slurm-cluster.sh: munge with a
// fresh key, slurmctld + slurmd, all in a temporary folder): a 4-point sweep
// submitted as a job array, the tasks' run bundles collected into the
// database, a second collect importing nothing, and the matrix from the
// bundle folder; the jobs run in the sweep's folder (no slurm-*.out where
// the sweep was started). Under CI the test fails when the cluster cannot start;
// elsewhere (no root, no Slurm) it skips, saying why.
#include "store/runstore.h"
#include "store/sweepstore.h"
#include "testutil.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;
using metaaug::test::runCli;
using metaaug::test::runProcess;

namespace {
constexpr int kSlurmWaitMs = 600000;
const QString kCluster = QStringLiteral(METAAUG_SOURCE_DIR "/tests/support/slurm-cluster.sh");
}  // namespace

class TestSweepSlurm : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void roundTrip();
    void cleanupTestCase();

private:
    QTemporaryDir m_dir;
    bool m_up = false;
};

void TestSweepSlurm::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const auto started = runProcess(kCluster, {"start", m_dir.filePath("cluster")}, 60000);
    if (started.exitCode != 0) {
        const QString why = QStringLiteral("the local Slurm cluster did not start: %1").arg(started.err.trimmed());
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL(qPrintable(why));
        QSKIP(qPrintable(why));
    }
    m_up = true;
    qputenv("SLURM_CONF", m_dir.filePath("cluster/slurm.conf").toUtf8());
}

void TestSweepSlurm::cleanupTestCase()
{
    if (m_up)
        runProcess(kCluster, {"stop", m_dir.filePath("cluster")}, 60000);
}

void TestSweepSlurm::roundTrip()
{
    const QString file = m_dir.filePath("grid.json"), db = m_dir.filePath("runs.sqlite"), folder = m_dir.filePath("shared");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"name": "slurm grid", "base": {"method": "rtn", "calib_size": 64, "eval_limit": 300, "threads": 1},
                "axes": {"wbits": [3, 4], "seed": [0, 1]}})");
    f.close();

    QElapsedTimer timer;
    timer.start();
    const auto submitted = runCli({"sweep", file, "--executor", "slurm", "--db", db, "--folder", folder, "--slurm-opt=--job-name=metaaug-test"});
    QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.out + submitted.err));
    QVERIFY2(submitted.out.contains("4 points submitted as Slurm array job"), qPrintable(submitted.out));
    QFile script(folder + "/sweep.sbatch");
    QVERIFY(script.open(QIODevice::ReadOnly));
    // The jobs run in the sweep's folder: Slurm's own files never land where the sweep was started.
    QVERIFY(script.readAll().contains(QStringLiteral("#SBATCH --chdir=%1\n").arg(QFileInfo(folder).absoluteFilePath()).toUtf8()));
    const QStringList outsBefore = QDir::current().entryList({"slurm-*.out"}, QDir::Files);
    QVERIFY(QFile::exists(folder + "/points/point-3.json"));

    // Wait until Slurm lists no task of the array, then collect.
    for (;;) {
        const auto q = runProcess("squeue", {"-h"});
        QCOMPARE(q.exitCode, 0);
        if (q.out.trimmed().isEmpty())
            break;
        QVERIFY2(timer.elapsed() < kSlurmWaitMs, qPrintable(q.out));
        QTest::qWait(500);
    }
    const auto collected = runCli({"sweep", "collect", "1", "--db", db});
    QVERIFY2(collected.exitCode == 0, qPrintable(collected.out + collected.err));
    QVERIFY2(collected.out.contains("4 imported, 0 imported before, 0 failed, 0 still queued"), qPrintable(collected.out));
    qInfo("Slurm round trip of 4 points (submit, run, collect): %.1f s", timer.elapsed() / 1000.0);
    QCOMPARE(QDir::current().entryList({"slurm-*.out"}, QDir::Files), outsBefore);

    {
        auto store = store::RunStore::open(db);
        QVERIFY(store);
        auto points = store::SweepStore(**store).points(1);
        QVERIFY(points);
        QCOMPARE(points->size(), size_t(4));
        for (const auto &p : *points) {
            QCOMPARE(p.status, RunStatus::Succeeded);
            auto run = (*store)->run(p.run);
            QVERIFY(run);
            QCOMPARE(run->status, RunStatus::Succeeded);
            QCOMPARE(run->spec.value("wbits").toInt(), p.coords.value("wbits").toInt());
            QCOMPARE(run->spec.value("seed").toVariant().toString(), p.coords.value("seed").toVariant().toString());
        }
        QCOMPARE((*store)->listRuns()->size(), size_t(4));
        QCOMPARE(store::SweepStore(**store).sweep(1)->status, RunStatus::Succeeded);
    }
    // Collect is idempotent: nothing imported twice.
    const auto again = runCli({"sweep", "collect", "1", "--db", db});
    QVERIFY2(again.out.contains("0 imported, 4 imported before"), qPrintable(again.out));
    auto store = store::RunStore::open(db);
    QCOMPARE((*store)->listRuns()->size(), size_t(4));

    // The matrix from the folder of bundles, without the database.
    const auto show = runCli({"sweep", "show", folder + "/bundles", "--rows", "seed", "--cols", "wbits", "--json"});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QJsonObject m = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(m.value("columns").toArray().size(), 2);
    QCOMPARE(m.value("rows").toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TestSweepSlurm)
#include "tst_sweepslurm.moc"
