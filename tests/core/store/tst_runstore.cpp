// SPDX-License-Identifier: GPL-3.0-or-later
// The run store: round trips, migrations, bad files, interrupted runs,
// bundles, cascading deletes and a reader beside a writer.
#include "run/runresult.h"
#include "store/runrecorder.h"
#include "store/runstore.h"
#include "store/sweepstore.h"
#include "store/schema.h"
#include "store/sqlite.h"

#include <QtCore/QCryptographicHash>
#include <opencv2/imgcodecs.hpp>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <mutex>
#include <thread>

#include <unistd.h>

using namespace metaaug;
using namespace metaaug::store;

namespace {

// A succeeded run's result with only its test top-1 set.
std::unique_ptr<RunResult> withTop1(double top1)
{
    auto r = std::make_unique<RunResult>();
    r->qTop1 = top1;
    return r;
}

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

std::unique_ptr<RunStore> mustOpen(const QString &path)
{
    auto s = RunStore::open(path);
    if (!s)
        qFatal("%s", qPrintable(s.error().message));
    return std::move(*s);
}

WriteBatch sampleBatch(int n)
{
    WriteBatch b;
    for (int i = 0; i < n; ++i)
        b.scalars.push_back({i % 3, QStringLiteral("reconstruction"), i, QStringLiteral("rec"), 1.0 / (i + 1)});
    b.layerMetrics.push_back({QStringLiteral("layer1.0.conv1"), QStringLiteral("output_sqnr_db"), 12.5});
    b.images.push_back({2, 25, QByteArray("\x89PNG-a", 6), QByteArray("\x89PNG-b", 6)});
    return b;
}

// Sets a column of a run directly (tests only: simulates another process).
void setOwner(const QString &path, int64_t run, int64_t pid)
{
    auto db = Database::open(path, Database::Mode::ReadWrite);
    QVERIFY(db);
    auto st = (*db)->prepare("UPDATE runs SET pid = ?1, pid_start = 0 WHERE id = ?2");
    QVERIFY(st);
    QVERIFY(st->bind(1, pid).bind(2, run).run());
}

}  // namespace

class TestRunStore : public QObject {
    Q_OBJECT
private slots:
    void roundTrip();
    void recorderBatchesEvents();
    void migratesFromVersion1();
    void notSqliteIsLeftAlone();
    void newerSchemaIsLeftAlone();
    void foreignSqliteIsLeftAlone();
    void readOnlyLocation();
    void lockedDatabase();
    void interruptedRuns();
    void exportImport();
    void exportKeepsTheSweepPoint();
    void deleteCascades();
    void readerBesideWriter();
    void concurrentFirstOpen();

private:
    QTemporaryDir m_dir;
};

void TestRunStore::roundTrip()
{
    const QString path = m_dir.filePath("round.sqlite");
    auto s = mustOpen(path);
    const QJsonObject spec{{"method", "geniem"}, {"wbits", 2}, {"abits", 4}, {"seed", "7"}};
    auto id = s->createRun(spec);
    QVERIFY(id);
    QVERIFY(s->setIdentity(*id, {{"model_sha256", "abc"}, {"calib_hash", "def"}}));
    QVERIFY(s->write(*id, sampleBatch(10)));
    QVERIFY(s->finishRun(*id, RunStatus::Succeeded, withTop1(93.5).get(), {}));
    auto id2 = s->createRun(spec);
    QVERIFY(s->finishRun(*id2, RunStatus::Failed, nullptr, "it broke"));

    auto s2 = mustOpen(path);  // a second connection sees it all
    auto runs = s2->listRuns();
    QVERIFY(runs);
    QCOMPARE(int(runs->size()), 2);
    const RunRow &r = runs->front();
    QCOMPARE(r.spec, spec);
    QCOMPARE(r.status, RunStatus::Succeeded);
    QCOMPARE(r.identity.value("calib_hash").toString(), QStringLiteral("def"));
    QCOMPARE(r.result.value("q_top1").toDouble(), 93.5);
    QVERIFY(!r.started.isEmpty() && !r.finished.isEmpty());
    QCOMPARE(r.pid, int64_t(::getpid()));
    QCOMPARE(runs->back().status, RunStatus::Failed);
    QCOMPARE(runs->back().error, QStringLiteral("it broke"));
    auto sc = s2->scalars(*id);
    QVERIFY(sc);
    QCOMPARE(int(sc->size()), 10);
    QCOMPARE((*sc)[3].value, 0.25);
    QCOMPARE((*sc)[3].step, 3);
    auto im = s2->images(*id);
    QVERIFY(im && im->size() == 1 && (*im)[0].transformedPng == QByteArray("\x89PNG-b", 6));
    QVERIFY(s2->integrityCheck() && *s2->integrityCheck() == QStringLiteral("ok"));
    QVERIFY(!s2->run(999));
    QCOMPARE(s2->run(999).error().code, ErrorCode::NotFound);
}

void TestRunStore::recorderBatchesEvents()
{
    auto s = mustOpen(m_dir.filePath("recorder.sqlite"));
    auto id = s->createRun({{"method", "metaaug"}});
    RunRecorder rec(*s, *id);
    for (int i = 1; i <= 5000; ++i) {
        ProgressEvent e;
        e.phase = RunPhase::MetaLearning;
        e.unit = 1;
        e.iteration = i;
        e.values = {{"inner", 1.0}, {"kl", 2.0}};
        rec.progress(e);
    }
    ImageEvent img;
    img.unit = 1;
    img.iteration = 25;
    img.originals = cv::Mat(28, 224, CV_8UC1, cv::Scalar(10));
    img.transformed = cv::Mat(28, 224, CV_8UC1, cv::Scalar(200));
    rec.image(img);
    QVERIFY(rec.flush());
    QCOMPARE(rec.rowsWritten(), int64_t(10001));
    auto sc = s->scalars(*id);
    QCOMPARE(int(sc->size()), 10000);
    QCOMPARE(sc->back().phase, QStringLiteral("meta"));
    auto im = s->images(*id);
    QCOMPARE(int(im->size()), 1);
    const cv::Mat back = cv::imdecode(std::vector<uchar>((*im)[0].transformedPng.begin(), (*im)[0].transformedPng.end()),
                                      cv::IMREAD_UNCHANGED);
    QCOMPARE(back.cols, 224);
    QCOMPARE(int(back.at<uint8_t>(3, 100)), 200);
}

void TestRunStore::migratesFromVersion1()
{
    const QString path = m_dir.filePath("v1.sqlite");
    {
        auto db = Database::open(path, Database::Mode::ReadWrite);
        QVERIFY(db);
        QVERIFY((*db)->exec(schemaVersion1Sql()));
        QFile fixture(QFINDTESTDATA("fixtures/runs_v1.sql"));
        QVERIFY2(fixture.open(QIODevice::ReadOnly), "tests/fixtures/runs_v1.sql");
        QVERIFY((*db)->exec(fixture.readAll().constData()));
        QVERIFY((*db)->exec("PRAGMA user_version = 1"));
    }
    auto s = mustOpen(path);
    auto db = Database::open(path, Database::Mode::ReadOnly);
    QCOMPARE(*schemaVersion(**db), kSchemaVersion);
    auto runs = s->listRuns();
    QVERIFY(runs);
    QCOMPARE(int(runs->size()), 2);
    QCOMPARE((*runs)[0].spec.value("method").toString(), QStringLiteral("geniem"));
    QCOMPARE((*runs)[0].result.value("q_top1").toDouble(), 93.59);
    QCOMPARE((*runs)[1].status, RunStatus::Failed);
    QVERIFY((*runs)[1].error.contains("layer2.0"));
    QCOMPARE(int(s->scalars(1)->size()), 2);
    QCOMPARE(int(s->layerMetrics(1)->size()), 1);
    // The headline columns are filled from the old results.
    auto head = db->get()->prepare("SELECT q_top1, gap FROM runs ORDER BY id");
    QVERIFY(head && *head->step());
    QCOMPARE(head->real(0), 93.59);
    QCOMPARE(head->real(1), 1.14);
    QVERIFY(*head->step() && head->isNull(0));
    // New tables work on the migrated file.
    QVERIFY(s->write(1, sampleBatch(1)));
    QCOMPARE(int(s->images(1)->size()), 1);
}

void TestRunStore::notSqliteIsLeftAlone()
{
    const QString path = m_dir.filePath("notes.sqlite");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("these are my notes, not a database\n").repeated(200));
    f.close();
    const QByteArray before = fileHash(path);
    auto s = RunStore::open(path);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(path) && s.error().message.contains("not a run database"), qPrintable(s.error().message));
    QCOMPARE(fileHash(path), before);
}

void TestRunStore::newerSchemaIsLeftAlone()
{
    const QString path = m_dir.filePath("future.sqlite");
    {
        auto db = Database::open(path, Database::Mode::ReadWrite);
        QVERIFY((*db)->exec("CREATE TABLE runs (id INTEGER PRIMARY KEY); PRAGMA user_version = 99;"));
    }
    const QByteArray before = fileHash(path);
    auto s = RunStore::open(path);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(path) && s.error().message.contains("newer") && s.error().message.contains("99"),
             qPrintable(s.error().message));
    QCOMPARE(fileHash(path), before);
}

void TestRunStore::foreignSqliteIsLeftAlone()
{
    const QString path = m_dir.filePath("other-app.sqlite");
    {
        auto db = Database::open(path, Database::Mode::ReadWrite);
        QVERIFY((*db)->exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');"));
    }
    const QByteArray before = fileHash(path);
    auto s = RunStore::open(path);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(path) && s.error().message.contains("not a run database"), qPrintable(s.error().message));
    QCOMPARE(fileHash(path), before);
}

void TestRunStore::readOnlyLocation()
{
    // /proc refuses new files even to root.
    auto s = RunStore::open(QStringLiteral("/proc/metaaug-test/runs.sqlite"));
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains("/proc/metaaug-test"), qPrintable(s.error().message));
    if (::geteuid() == 0)
        return;  // root writes through file permissions: the rest needs a normal user
    const QString dir = m_dir.filePath("ro");
    QVERIFY(QDir().mkpath(dir));
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner);
    auto t = RunStore::open(dir + "/runs.sqlite");
    QVERIFY(!t);
    QVERIFY2(t.error().message.contains(dir), qPrintable(t.error().message));
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void TestRunStore::lockedDatabase()
{
    const QString path = m_dir.filePath("locked.sqlite");
    mustOpen(path);  // created, then closed
    auto holder = Database::open(path, Database::Mode::ReadWrite);
    QVERIFY((*holder)->exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE runs SET error = error;"));
    QElapsedTimer t;
    t.start();
    auto s = RunStore::open(path);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(path) && s.error().message.contains("another process"), qPrintable(s.error().message));
    qInfo("locked database refused after %lld ms", t.elapsed());
    QVERIFY((*holder)->exec("COMMIT"));
}

void TestRunStore::interruptedRuns()
{
    const QString path = m_dir.filePath("interrupted.sqlite");
    int64_t dead = 0, alive = 0;
    {
        auto s = mustOpen(path);
        dead = *s->createRun({{"method", "qdrop"}});
        alive = *s->createRun({{"method", "geniem"}});
        QVERIFY(s->write(dead, sampleBatch(5)));
    }
    // A process that has exited: its pid names nobody (or somebody started later).
    QProcess p;
    p.start("true", {});
    QVERIFY(p.waitForFinished());
    setOwner(path, dead, p.processId() ? p.processId() : 999999);
    auto s = mustOpen(path);
    QCOMPARE(s->interruptedOnOpen(), std::vector<int64_t>{dead});
    QCOMPARE(s->run(dead)->status, RunStatus::Interrupted);
    QVERIFY(s->run(dead)->error.contains("ended without finishing"));
    QCOMPARE(int(s->scalars(dead)->size()), 5);  // its data so far is kept
    QCOMPARE(s->run(alive)->status, RunStatus::Running);  // this process is alive
}

void TestRunStore::exportImport()
{
    auto src = mustOpen(m_dir.filePath("src.sqlite"));
    const int64_t id = *src->createRun({{"method", "metaaug"}, {"wbits", 2}});
    QVERIFY(src->write(id, sampleBatch(50)));
    QVERIFY(src->addArtefact(id, {"onnx", "/tmp/x.onnx", "00ff", {}, 1234}));
    QVERIFY(src->finishRun(id, RunStatus::Succeeded, withTop1(91.25).get(), {}));
    const QString bundle = m_dir.filePath("run.maug");
    QVERIFY(src->exportRun(id, bundle));
    QVERIFY(!QFile::exists(bundle + ".partial"));
    const QByteArray before = fileHash(bundle);

    auto dst = mustOpen(m_dir.filePath("dst.sqlite"));
    (void)dst->createRun({{"method", "rtn"}});  // ids differ between the databases
    auto imported = dst->importRun(bundle);
    QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
    QCOMPARE(*imported, int64_t(2));
    const RunRow r = *dst->run(*imported);
    QCOMPARE(r.spec.value("method").toString(), QStringLiteral("metaaug"));
    QCOMPARE(r.result.value("q_top1").toDouble(), 91.25);
    QCOMPARE(r.status, RunStatus::Succeeded);
    QCOMPARE(int(dst->scalars(*imported)->size()), 50);
    QCOMPARE(int(dst->images(*imported)->size()), 1);
    QCOMPARE(int(dst->artefacts(*imported)->size()), 1);
    QCOMPARE(fileHash(bundle), before);  // the bundle is read, not changed

    auto bad = dst->importRun(m_dir.filePath("src.sqlite") + "-missing");
    QVERIFY(!bad && bad.error().message.contains("does not exist"));
    auto notBundle = dst->importRun(m_dir.filePath("dst.sqlite"));
    QVERIFY(!notBundle);
    QVERIFY2(notBundle.error().message.contains("not a run bundle"), qPrintable(notBundle.error().message));
}

void TestRunStore::exportKeepsTheSweepPoint()
{
    auto src = mustOpen(m_dir.filePath("sweepsrc.sqlite"));
    SweepStore sweeps(*src);
    SweepPointRow a, b;
    a.index = 0;
    a.coords = {{"arm", "W2A2"}, {"method", "rtn"}};
    b.index = 1;
    b.coords = {{"arm", "W4A4"}, {"method", "rtn"}};
    const int64_t sweep = *sweeps.createSweep("grid", {{"name", "grid"}}, "local", {}, {a, b});
    (void)src->createRun({{"method", "brecq"}});  // not the sweep's: its bundle has no point
    const int64_t id = *src->createRun({{"method", "rtn"}, {"wbits", 4}});
    QVERIFY(src->finishRun(id, RunStatus::Succeeded, withTop1(90.5).get(), {}));
    QVERIFY(sweeps.setPoint(sweep, 1, RunStatus::Succeeded, id, {}));

    const QString bundle = m_dir.filePath("point.maug");
    QVERIFY(src->exportRun(id, bundle));
    auto in = mustOpen(bundle);
    const int64_t inId = in->listRuns()->front().id;
    auto point = SweepStore(*in).pointOfRun(inId);
    QVERIFY2(point && *point, "the bundle lost its sweep point");
    QCOMPARE((*point)->second.coords.value("arm").toString(), QStringLiteral("W4A4"));
    QCOMPARE((*point)->second.index, 1);
    QCOMPARE(int(SweepStore(*in).points((*point)->first.id)->size()), 1);  // only its own point

    const QString plain = m_dir.filePath("plain.maug");
    QVERIFY(src->exportRun(1, plain));
    auto plainIn = mustOpen(plain);
    QVERIFY(!*SweepStore(*plainIn).pointOfRun(plainIn->listRuns()->front().id));
    // Importing such a bundle takes its run only.
    auto dst = mustOpen(m_dir.filePath("sweepdst.sqlite"));
    QVERIFY(dst->importRun(bundle));
    QVERIFY(SweepStore(*dst).listSweeps()->empty());
}

void TestRunStore::deleteCascades()
{
    auto s = mustOpen(m_dir.filePath("delete.sqlite"));
    const int64_t id = *s->createRun({{"method", "brecq"}});
    QVERIFY(s->write(id, sampleBatch(20)));
    QVERIFY(s->deleteRun(id));
    QVERIFY(!s->run(id));
    QCOMPARE(int(s->scalars(id)->size()), 0);
    QCOMPARE(int(s->images(id)->size()), 0);
    QVERIFY(!s->deleteRun(id));
}

void TestRunStore::readerBesideWriter()
{
    const QString path = m_dir.filePath("concurrent.sqlite");
    mustOpen(path);
    std::atomic<bool> done{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        auto s = mustOpen(path);
        for (int r = 0; r < 20; ++r) {
            const int64_t id = *s->createRun({{"method", "geniem"}, {"n", r}});
            for (int b = 0; b < 5; ++b)
                (void)s->write(id, sampleBatch(2000));
            (void)s->finishRun(id, RunStatus::Succeeded, withTop1(90.0 + r).get(), {});
            written = r + 1;
        }
        done = true;
    });
    auto reader = mustOpen(path);
    int reads = 0;
    size_t lastCount = 0;
    while (!done) {
        auto runs = reader->listRuns();
        QVERIFY2(runs, runs ? "" : qPrintable(runs.error().message));
        QVERIFY(runs->size() >= lastCount);  // never goes back
        lastCount = runs->size();
        for (const RunRow &r : *runs)
            if (r.status == RunStatus::Succeeded) {
                // a finished run is complete: all its rows committed before its status
                QCOMPARE(int(reader->scalars(r.id)->size()), 10000);
                QCOMPARE(r.result.value("q_top1").toDouble(), 90.0 + r.spec.value("n").toInt());
            }
        ++reads;
    }
    writer.join();
    QCOMPARE(written.load(), 20);
    QVERIFY(reads > 0);
}

// Two processes starting runs at once on a database that does not exist yet
// (found by running two `metaaug quantize` side by side).
void TestRunStore::concurrentFirstOpen()
{
    for (int k = 0; k < 50; ++k) {
        const QString path = m_dir.filePath(QStringLiteral("race%1.sqlite").arg(k));
        std::atomic<int> ok{0};
        QString failure;
        std::mutex m;
        auto open = [&] {
            auto s = RunStore::open(path);
            if (s && (*s)->createRun({{"method", "rtn"}}))
                ++ok;
            else if (!s) {
                std::lock_guard<std::mutex> lock(m);
                failure = s.error().message;
            }
        };
        std::thread a(open), b(open);
        a.join();
        b.join();
        QVERIFY2(ok == 2, qPrintable(failure));
        QCOMPARE(int(mustOpen(path)->listRuns()->size()), 2);
    }
}

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
