// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep files and the sweep matrix (issue 21): the grid expanded against the
// run contract (arms x axes, method options merged, every point a valid spec,
// a bad point or axis refused naming its field), and the matrix's means,
// standard deviations and best cells on known numbers, unfinished cells
// named by what their runs are doing; records (one JSON line per run) give
// the same tables as the run bundles they are made of, without changing the
// bundles; the sweep files in bench/sweeps/ still expand, and each committed
// record sits at the grid point its file gives that index (the tables of
// docs/results.md are printed from them).
#include "common/paths.h"
#include "store/runstore.h"
#include "store/sweepstore.h"
#include "sweep/sweepfile.h"
#include "sweep/sweepmatrix.h"
#include "sweep/sweeprecords.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QTemporaryDir>

#include <QtTest/QtTest>

#include <map>
#include <set>

using namespace metaaug;
using namespace metaaug::sweep;

class TestSweepFile : public QObject {
    Q_OBJECT
private slots:
    void expandsArmsTimesAxes();
    void badPointsAndAxesNameTheField();
    void matrixMeansStdsAndBest();
    void matrixFromSpecsFindsTheVaryingAxes();
    void matrixNamesModelsByTheirFileName();
    void unfinishedCellsSayWhy();
    void recordsGiveTheFolderTables();
    void storedSweepShowsPendingAndRunning();
    void badRecordsNameTheLine();
    void committedSweepsMatchTheirRecords();
};

namespace {
QJsonObject parse(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

// Coordinates with every path reduced to its file name: a bundle records the
// absolute model path of the checkout it ran in.
QJsonObject withFileNames(QJsonObject coords)
{
    for (auto it = coords.begin(); it != coords.end(); ++it)
        if (it->isString() && it->toString().contains(QLatin1Char('/')))
            *it = QFileInfo(it->toString()).fileName();
    return coords;
}
}  // namespace

void TestSweepFile::expandsArmsTimesAxes()
{
    auto file = SweepFile::fromJson(parse(R"({"name": "t", "base": {"calib_size": 64, "method_options": {"tau": 0.5}},
        "axes": {"wbits": [2, 4], "seed": [0, 1, 2]},
        "arms": [{"label": "q", "method": "qdrop"}, {"label": "m", "method": "metaaug", "method_options": {"t_width": 8}}]})"));
    QVERIFY2(file, file ? "" : qPrintable(file.error().message));
    // tau is no option of qdrop: the base must stay valid for every arm.
    QVERIFY(!expandSweep(*file));
    file->base.remove("method_options");
    auto points = expandSweep(*file);
    QVERIFY2(points, points ? "" : qPrintable(points.error().message));
    QCOMPARE(points->size(), size_t(2 * 2 * 3));
    // Arms outermost, then the axes in key order (seed, wbits), the last fastest.
    QCOMPARE((*points)[0].coords, parse(R"({"arm": "q", "seed": 0, "wbits": 2})"));
    QCOMPARE((*points)[1].coords, parse(R"({"arm": "q", "seed": 0, "wbits": 4})"));
    QCOMPARE((*points)[2].coords, parse(R"({"arm": "q", "seed": 1, "wbits": 2})"));
    QCOMPARE((*points)[6].coords.value("arm").toString(), QString("m"));
    for (const SweepPoint &p : *points) {
        QCOMPARE(p.spec.value("model").toString(), defaultModelPath());
        QCOMPARE(p.spec.value("calib_size").toInt(), 64);
        QCOMPARE(p.spec.value("wbits").toInt(), p.coords.value("wbits").toInt());
    }
    QCOMPARE((*points)[6].spec.value("method").toString(), QString("metaaug"));
    QCOMPARE((*points)[6].spec.value("method_options").toObject().value("t_width").toInt(), 8);
    // An axis over a method option sets that option only.
    auto opt = SweepFile::fromJson(parse(R"({"base": {"method": "metaaug"}, "axes": {"method_options.t_width": [4, 12]}})"));
    auto optPoints = expandSweep(*opt);
    QVERIFY2(optPoints, optPoints ? "" : qPrintable(optPoints.error().message));
    QCOMPARE((*optPoints)[1].spec.value("method_options").toObject().value("t_width").toInt(), 12);
    // Round trip of the file itself.
    auto again = SweepFile::fromJson(file->toJson());
    QVERIFY(again);
    QCOMPARE(expandSweep(*again)->size(), points->size());
}

void TestSweepFile::badPointsAndAxesNameTheField()
{
    struct Case {
        const char *json, *names;
    };
    const Case cases[] = {
        {R"({"axes": {"wbits": [3, 9]}})", "\"wbits\""},
        {R"({"axes": {"wbit": [3]}})", "\"wbit\""},
        {R"({"axes": {"wbits": []}})", "axes.wbits"},
        {R"({"axes": {"wbits": 3}})", "axes.wbits"},
        {R"({"base": {"method": "rtn"}, "axes": {"method_options.inner": [3]}})", "inner"},
        {R"({"arms": [{"method": "nosuch"}]})", "nosuch"},
        {R"({"arms": [3]})", "arms[0]"},
        {R"({"axis": {}})", "axis"},
    };
    for (const Case &c : cases) {
        auto file = SweepFile::fromJson(parse(c.json));
        const QString message = file ? (expandSweep(*file) ? QString() : expandSweep(*file).error().message) : file.error().message;
        QVERIFY2(message.contains(QLatin1String(c.names)), qPrintable(QStringLiteral("%1 -> '%2'").arg(QLatin1String(c.json), message)));
    }
    QJsonArray many;
    for (int i = 0; i < 200; ++i)
        many.append(i);
    auto big = SweepFile::fromJson(QJsonObject{{"axes", QJsonObject{{"seed", many}, {"batch", many}}}});
    QVERIFY(big);
    QVERIFY(expandSweep(*big).error().message.contains(QString::number(kMaxSweepPoints)));
}

void TestSweepFile::matrixMeansStdsAndBest()
{
    auto run = [](const char *method, int wbits, int seed, std::optional<double> top1) {
        MatrixRun r;
        r.coords = QJsonObject{{"method", method}, {"wbits", wbits}, {"seed", seed}};
        if (top1) {
            RunResult res;
            res.qTop1 = *top1;
            res.wallSeconds = 10.0 * wbits;
            r.result = res;
        }
        r.runId = wbits * 10 + seed;
        return r;
    };
    const std::vector<MatrixRun> runs{run("rtn", 4, 0, 90), run("rtn", 4, 1, 92), run("rtn", 2, 0, 50), run("rtn", 2, 1, std::nullopt),
                                      run("qdrop", 4, 0, 93), run("qdrop", 4, 1, 93), run("qdrop", 2, 0, 70), run("qdrop", 2, 1, 74)};
    auto m = buildMatrix(runs, {}, {}, "q_top1");
    QVERIFY(m);
    QCOMPARE(m->rowAxes, QStringList{"method"});
    QCOMPARE(m->columnAxes, QStringList{"wbits"});
    QCOMPARE(m->columnLabels, (QStringList{"2", "4"}));  // numeric order
    QCOMPARE(m->rowLabels, (QStringList{"rtn", "qdrop"}));
    const MatrixCell &rtn4 = m->cells[0][1], &rtn2 = m->cells[0][0], &qdrop2 = m->cells[1][0], &qdrop4 = m->cells[1][1];
    QCOMPARE(rtn4.mean, 91.0);
    QCOMPARE(rtn4.std, std::sqrt(2.0));
    QCOMPARE(rtn4.n, 2);
    QCOMPARE(rtn2.n, 1);
    QCOMPARE(rtn2.missing, 1);
    QCOMPARE(qdrop2.mean, 72.0);
    QVERIFY(qdrop2.best && qdrop4.best && !rtn4.best && !rtn2.best);
    QVERIFY(m->text().contains("91.00 ± 1.41 (n=2)"));
    QVERIFY(m->markdown().contains("**72.00 ± 2.83 (n=2)**"));
    QVERIFY(m->csv().contains("rtn,4,91,"));
    // Wall time: lower is better.
    auto t = buildMatrix(runs, {"wbits"}, {"method"}, "wall_s");
    QVERIFY(t);
    QVERIFY(t->cells[0][0].best && !t->cells[1][0].best);
    QVERIFY(t->pooled.isEmpty());
    QVERIFY(!buildMatrix(runs, {"nosuch"}, {}, "q_top1"));
    QVERIFY(buildMatrix(runs, {}, {}, "top1").error().message.contains("q_top1"));
    // Metrics side by side, each column's best by its own direction.
    auto both = buildMetricMatrix(runs, {"method"}, {"q_top1", "wall_s"});
    QVERIFY(both);
    QCOMPARE(both->columnLabels, (QStringList{"q_top1", "wall_s"}));
    QCOMPARE(both->rowLabels, (QStringList{"rtn", "qdrop"}));
    QCOMPARE(both->cells[0][0].n, 3);  // rtn: 90, 92, 50; one failed
    QCOMPARE(both->cells[0][0].missing, 1);
    QVERIFY(std::abs(both->cells[0][0].mean - 232.0 / 3) < 1e-9);
    QCOMPARE(both->cells[1][0].mean, 82.5);
    QCOMPARE(both->cells[1][1].mean, 30.0);  // qdrop: 40, 40, 20, 20 s
    QVERIFY(both->cells[1][0].best && both->cells[1][1].best && !both->cells[0][1].best);
    QVERIFY(both->markdown().contains("| rtn | 77.33 ± 23.69 (n=3) +1 failed | 33.3 ± 11.5 (n=3) +1 failed |"));
    QVERIFY(!buildMetricMatrix(runs, {"method"}, {"q_top1", "nosuch"}));
    // Succeeded runs without the metric (no T here) are not failures.
    auto noT = buildMatrix(runs, {}, {}, "t_mse_final");
    QVERIFY(noT);
    QCOMPARE(noT->cells[1][1].without, 2);
    QCOMPARE(noT->cells[1][1].missing, 0);
    QCOMPARE(noT->cellText(1, 1), QStringLiteral("–"));
    QCOMPARE(noT->cellText(0, 0), QStringLiteral("failed"));  // rtn W2: one run failed
}

void TestSweepFile::matrixFromSpecsFindsTheVaryingAxes()
{
    std::vector<MatrixRun> runs;
    for (int inner : {2, 5})
        for (int seed : {0, 1})
            runs.push_back({coordsOfSpec(QJsonObject{{"method", "metaaug"}, {"seed", QString::number(seed)}, {"wbits", 2},
                                                     {"method_options", QJsonObject{{"inner", inner}, {"tau", 0.5}}}}),
                            std::nullopt, 0});
    QCOMPARE(varyingAxes(runs), (QStringList{"method_options.inner", "seed"}));
    auto m = buildMatrix(runs, {}, {}, "q_top1");
    QVERIFY(m);
    QCOMPARE(m->columnAxes, QStringList{"method_options.inner"});
    QVERIFY(m->rowAxes.isEmpty());
}

void TestSweepFile::matrixNamesModelsByTheirFileName()
{
    auto run = [](const char *model) {
        return MatrixRun{QJsonObject{{"model", model}, {"method", "rtn"}}, std::nullopt, 0};
    };
    // Two models of one file name in different folders keep their paths.
    const std::vector<MatrixRun> runs{run("/m/a/resnet.pt"), run("/m/mobilenet.pt"), run("/m/b/resnet.pt")};
    auto m = buildMatrix(runs, {"model"}, {"method"}, "q_top1");
    QVERIFY(m);
    QCOMPARE(m->rowLabels, (QStringList{"/m/a/resnet.pt", "mobilenet.pt", "/m/b/resnet.pt"}));
    QCOMPARE(m->cells.size(), size_t(3));
    // Filters match a path or a file name that names one model.
    auto mobile = filterRuns(runs, {"model=mobilenet.pt", "method=rtn"});
    QVERIFY(mobile);
    QCOMPARE(int(mobile->size()), 1);
    QCOMPARE(int(filterRuns(runs, {"model=/m/a/resnet.pt"})->size()), 1);
    QCOMPARE(filterRuns(runs, {"method=qdrop"}).error().message, QStringLiteral("no run has method = qdrop"));
    QVERIFY(filterRuns(runs, {"method"}).error().message.contains("not axis=value"));
}

void TestSweepFile::unfinishedCellsSayWhy()
{
    auto run = [](int wbits, int seed, RunStatus status, std::optional<double> top1 = std::nullopt) {
        MatrixRun r{QJsonObject{{"method", "rtn"}, {"wbits", wbits}, {"seed", seed}}, std::nullopt, 0, status};
        if (top1) {
            RunResult res;
            res.qTop1 = *top1;
            r.result = res;
        }
        return r;
    };
    const std::vector<MatrixRun> runs{run(2, 0, RunStatus::Queued),  run(2, 1, RunStatus::Queued),      // all pending
                                      run(3, 0, RunStatus::Running), run(3, 1, RunStatus::Queued),      // mixed
                                      run(4, 0, RunStatus::Running), run(4, 1, RunStatus::Succeeded, 90),  // one value, one running
                                      run(5, 0, RunStatus::Failed),  run(5, 1, RunStatus::Cancelled),
                                      run(6, 0, RunStatus::Interrupted)};
    auto m = buildMatrix(runs, {"method"}, {"wbits"}, "q_top1");
    QVERIFY(m);
    QCOMPARE(m->columnLabels, (QStringList{"2", "3", "4", "5", "6"}));
    QCOMPARE(m->cellText(0, 0), QStringLiteral("pending"));
    QCOMPARE(m->cellText(0, 1), QStringLiteral("1 running, 1 pending"));
    QCOMPARE(m->cellText(0, 2), QStringLiteral("90.00 (n=1) +1 running"));
    QCOMPARE(m->cellText(0, 3), QStringLiteral("1 cancelled, 1 failed"));
    QCOMPARE(m->cellText(0, 4), QStringLiteral("interrupted"));
    QCOMPARE(m->cells[0][1].missing, 2);
    // The same words in every form: the text table, Markdown and JSON.
    QVERIFY2(m->text().contains("1 running, 1 pending"), qPrintable(m->text()));
    QVERIFY(m->markdown().contains("| rtn | pending | 1 running, 1 pending | 90.00 (n=1) +1 running |"));
    const QJsonObject cell = m->toJson().value("cells")[0][1].toObject();
    QCOMPARE(cell.value("unfinished").toObject(), (QJsonObject{{"running", 1}, {"pending", 1}}));
}

namespace {

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// A sweep of 2 arms x 2 seeds in `db`: three runs succeeded (top-1 given),
// arm b's seed 1 failed; each run exported as a bundle into `folder`.
void makeSweepAndBundles(const QString &db, const QString &folder)
{
    auto store = store::RunStore::open(db);
    QVERIFY(store);
    std::vector<store::SweepPointRow> rows;
    for (const char *arm : {"a", "b"})
        for (int seed : {0, 1}) {
            const QJsonObject spec{{"method", QString(arm) == "a" ? "rtn" : "qdrop"}, {"seed", QString::number(seed)}, {"wbits", 4},
                                   {"model", "/models/resnet20.pt"}};
            rows.push_back({0, int(rows.size()), spec, QJsonObject{{"arm", arm}, {"seed", seed}}});
        }
    store::SweepStore sweeps(**store);
    auto id = sweeps.createSweep("grid", QJsonObject{{"name", "grid"}}, "local", {}, rows);
    QVERIFY(id);
    const double top1[] = {90.5, 91.25, 93.0, 0};
    for (const auto &p : rows) {
        auto run = (*store)->createRun(p.spec);
        QVERIFY(run);
        RunResult res;
        res.method = p.spec.value("method").toString();
        res.wbits = 4;
        res.qTop1 = top1[p.index];
        res.wallSeconds = 10 + p.index;
        res.seed = p.spec.value("seed").toString();
        res.modelSha256 = QStringLiteral("ab12");
        res.qweightsSha256 = QStringLiteral("cd%1").arg(p.index);
        res.layers.push_back(LayerResult{"conv1", 4, 8, 20.5, 18.25, 0.01});
        const bool ok = p.index != 3;
        QVERIFY((*store)->finishRun(*run, ok ? RunStatus::Succeeded : RunStatus::Failed, ok ? &res : nullptr, ok ? QString() : "it broke"));
        QVERIFY(sweeps.setPoint(*id, p.index, ok ? RunStatus::Succeeded : RunStatus::Failed, *run, ok ? QString() : "it broke"));
        QVERIFY((*store)->exportRun(*run, QStringLiteral("%1/point-%2.sqlite").arg(folder).arg(p.index)));
    }
}

QString tablesOf(const std::vector<MatrixRun> &runs)
{
    auto m = buildMatrix(runs, {}, {}, "q_top1");
    auto both = buildMetricMatrix(runs, {"arm"}, {"q_top1", "wall_s"});
    if (!m || !both)
        return QStringLiteral("no matrix");
    return m->text() + m->markdown() + m->csv() + QJsonDocument(m->toJson()).toJson() + both->text();
}

}  // namespace

void TestSweepFile::recordsGiveTheFolderTables()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath("bundles");
    QVERIFY(QDir().mkpath(folder));
    makeSweepAndBundles(dir.filePath("runs.sqlite"), folder);
    if (QTest::currentTestFailed())
        return;
    const QStringList names = QDir(folder).entryList(QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 4);
    std::map<QString, QByteArray> before;
    for (const QString &n : names)
        before[n] = sha256Of(folder + "/" + n);

    auto records = recordsOfFolder(folder);
    QVERIFY2(records, records ? "" : qPrintable(records.error().message));
    QCOMPARE(records->size(), size_t(4));
    // Reading the folder changed none of its files and left nothing beside them (no journal, no migration).
    QCOMPARE(QDir(folder).entryList(QDir::Files, QDir::Name), names);
    for (const QString &n : names)
        QCOMPARE(sha256Of(folder + "/" + n), before[n]);

    const QJsonObject first = records->front();
    QCOMPARE(first.value("format").toString(), QString(kRecordFormat));
    QCOMPARE(first.value("index").toInt(), 0);
    QCOMPARE(first.value("sweep").toString(), QString("grid"));
    QCOMPARE(first.value("coords").toObject(), (QJsonObject{{"arm", "a"}, {"seed", 0}}));
    QCOMPARE(first.value("status").toString(), QString("succeeded"));
    QCOMPARE(first.value("result")["q_top1"].toDouble(), 90.5);
    QCOMPARE(first.value("result")["qweights_sha256"].toString(), QString("cd0"));
    QCOMPARE(first.value("result")["layers"][0]["name"].toString(), QString("conv1"));
    QCOMPARE((*records)[3].value("status").toString(), QString("failed"));
    QCOMPARE((*records)[3].value("error").toString(), QString("it broke"));
    QVERIFY(!first.contains("scalars") && !first.contains("images"));

    const QString file = dir.filePath("grid.jsonl");
    QVERIFY(writeRecords(*records, file));
    auto read = readRecords(file);
    QVERIFY2(read, read ? "" : qPrintable(read.error().message));
    QCOMPARE(read->size(), records->size());
    for (size_t i = 0; i < read->size(); ++i)
        QCOMPARE((*read)[i], (*records)[i]);

    auto fromFolder = matrixRunsOfPath(folder);
    auto fromRecords = matrixRunsOfPath(file);
    QVERIFY(fromFolder && fromRecords);
    const QString tables = tablesOf(*fromFolder);
    QCOMPARE(tablesOf(*fromRecords), tables);
    QVERIFY2(tables.contains("± 0.53 (n=2)"), qPrintable(tables));  // arm a: 90.5 and 91.25
    QVERIFY2(tables.contains("93.00 (n=1) +1 failed"), qPrintable(tables));
    // Records hold a few kB per run, not the bundles' MB.
    qint64 bundleBytes = 0;
    for (const QString &n : names)
        bundleBytes += QFileInfo(folder + "/" + n).size();
    qInfo("4 runs: records %lld bytes, bundles %lld bytes", QFileInfo(file).size(), bundleBytes);
    QVERIFY(QFileInfo(file).size() < bundleBytes);
}

void TestSweepFile::storedSweepShowsPendingAndRunning()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath("runs.sqlite");
    auto store = store::RunStore::open(db);
    QVERIFY(store);
    std::vector<store::SweepPointRow> rows;
    for (int seed : {0, 1, 2})
        rows.push_back({0, seed, QJsonObject{{"method", "rtn"}, {"seed", QString::number(seed)}}, QJsonObject{{"method", "rtn"}, {"seed", seed}}});
    store::SweepStore sweeps(**store);
    auto id = sweeps.createSweep("grid", QJsonObject{{"name", "grid"}}, "local", {}, rows);
    QVERIFY(id);
    // Point 1 runs in this (live) process; point 2's process is gone (no such pid); point 0 is queued.
    QVERIFY(sweeps.setPoint(*id, 1, RunStatus::Running, 0, {}, true, store::currentProcess()));
    QVERIFY(sweeps.setPoint(*id, 2, RunStatus::Running, 0, {}, true, store::ProcessIdentity{1 << 30, 12345, store::currentProcess().host}));
    auto points = sweeps.points(*id);
    QVERIFY(points && points->size() == 3);
    QCOMPARE((*points)[1].owner.pid, store::currentProcess().pid);
    QVERIFY(!store::pointProcessGone((*points)[1]));
    QVERIFY(store::pointProcessGone((*points)[2]));
    QVERIFY(!store::pointProcessGone((*points)[0]));
    // Ending a point forgets its process.
    QVERIFY(sweeps.setPoint(*id, 0, RunStatus::Queued, 0, {}));
    QCOMPARE(sweeps.points(*id)->front().owner.pid, int64_t(0));

    const std::vector<MatrixRun> runs = matrixRunsOf(**store, *points);
    auto m = buildMatrix(runs, {"seed"}, {"method"}, "q_top1");
    QVERIFY(m);
    QCOMPARE(m->cellText(0, 0), QStringLiteral("pending"));
    QCOMPARE(m->cellText(1, 0), QStringLiteral("running"));
    QCOMPARE(m->cellText(2, 0), QStringLiteral("interrupted"));
    // Its records say the same.
    auto records = recordsOfSweep(**store, *id);
    QVERIFY(records);
    auto fromRecords = matrixRunsOfRecords(*records);
    QVERIFY(fromRecords);
    auto again = buildMatrix(*fromRecords, {"seed"}, {"method"}, "q_top1");
    QVERIFY(again);
    QCOMPARE(again->text(), m->text());
    QCOMPARE((*records)[0].value("spec").toObject(), rows[0].spec);
}

void TestSweepFile::badRecordsNameTheLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    struct Case {
        QByteArray line;
        const char *names;
    };
    const QByteArray ok = R"({"format": "metaaug-sweep-record/1", "coords": {"seed": 0}, "status": "succeeded", "result": {"q_top1": 90}})";
    const Case cases[] = {
        {"{not json", "f.jsonl:2"},
        {R"({"format": "other/1", "coords": {}, "status": "succeeded", "result": {}})", "\"format\""},
        {R"({"format": "metaaug-sweep-record/1", "coords": 3, "status": "succeeded", "result": {}})", "\"coords\""},
        {R"({"format": "metaaug-sweep-record/1", "coords": {}, "status": "done", "result": {}})", "'done'"},
        {R"({"format": "metaaug-sweep-record/1", "coords": {}, "status": "succeeded", "result": {"q_top1": "high"}})", "q_top1"},
    };
    const QString file = dir.filePath("f.jsonl");
    for (const Case &c : cases) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(ok + "\n" + c.line + "\n");
        f.close();
        auto r = readRecords(file);
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(file + ":2") && r.error().message.contains(QLatin1String(c.names)), qPrintable(r.error().message));
    }
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(ok + "\n\n");
    f.close();
    QCOMPARE(readRecords(file)->size(), size_t(1));
    // A missing records file is said to be missing (not taken for a folder or a sweep id).
    auto missing = matrixRunsOfPath(dir.filePath("none.jsonl"));
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains("cannot read the records " + dir.filePath("none.jsonl")), qPrintable(missing.error().message));
}

void TestSweepFile::committedSweepsMatchTheirRecords()
{
    const QDir dir(QStringLiteral(METAAUG_SOURCE_DIR "/bench/sweeps"));
    const QFileInfoList files = dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 2, qPrintable(dir.path()));
    int records = 0;
    for (const QFileInfo &f : files) {
        auto file = SweepFile::load(f.filePath());
        if (!file)
            QFAIL(qPrintable(f.fileName() + QStringLiteral(": ") + file.error().message));
        auto points = expandSweep(*file);
        if (!points)
            QFAIL(qPrintable(f.fileName() + QStringLiteral(": ") + points.error().message));
        const QString recordsFile = dir.filePath(f.completeBaseName() + QStringLiteral(".jsonl"));
        if (!QFileInfo::exists(recordsFile))
            continue;  // a sweep without results (timing12)
        auto read = readRecords(recordsFile);
        QVERIFY2(read, read ? "" : qPrintable(read.error().message));
        std::set<int> seen;
        for (const QJsonObject &r : *read) {
            const int index = r.value("index").toInt(-1);
            const QString where = QStringLiteral("%1 / point %2").arg(QFileInfo(recordsFile).fileName()).arg(index);
            QVERIFY2(index >= 0 && index < int(points->size()), qPrintable(where));
            QVERIFY2(seen.insert(index).second, qPrintable(where + ": twice"));
            QCOMPARE(r.value("status").toString(), QString("succeeded"));
            QCOMPARE(withFileNames(r.value("coords").toObject()), withFileNames((*points)[size_t(index)].coords));
            auto result = RunResult::fromJson(r.value("result").toObject());
            QVERIFY2(result && result->qweightsSha256.size() == 64 && !result->layers.empty(), qPrintable(where));
            ++records;
        }
    }
    QVERIFY(records >= 225);  // every committed run bundle's
}

QTEST_GUILESS_MAIN(TestSweepFile)
#include "tst_sweepfile.moc"
