// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep files and the sweep matrix (issue 21): the grid expanded against the
// run contract (arms x axes, method options merged, every point a valid spec,
// a bad point or axis refused naming its field), and the matrix's means,
// standard deviations and best cells on known numbers; the sweep files in
// bench/sweeps/ still expand, and each committed run bundle sits at the grid
// point its file gives that index (the README's tables are rebuilt from them).
#include "common/paths.h"
#include "store/runstore.h"
#include "store/sweepstore.h"
#include "sweep/sweepfile.h"
#include "sweep/sweepmatrix.h"

#include <QtTest/QtTest>

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
    void committedSweepsMatchTheirBundles();
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

void TestSweepFile::committedSweepsMatchTheirBundles()
{
    const QDir dir(QStringLiteral(METAAUG_SOURCE_DIR "/bench/sweeps"));
    const QFileInfoList files = dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 2, qPrintable(dir.path()));
    int bundles = 0;
    for (const QFileInfo &f : files) {
        auto file = SweepFile::load(f.filePath());
        if (!file)
            QFAIL(qPrintable(f.fileName() + QStringLiteral(": ") + file.error().message));
        auto points = expandSweep(*file);
        if (!points)
            QFAIL(qPrintable(f.fileName() + QStringLiteral(": ") + points.error().message));
        const QDir folder(dir.filePath(f.completeBaseName()));
        for (const QFileInfo &b : folder.entryInfoList({QStringLiteral("point-*.sqlite")}, QDir::Files, QDir::Name)) {
            const QString where = f.fileName() + QStringLiteral(" / ") + b.fileName();
            auto store = store::RunStore::open(b.filePath());
            QVERIFY2(store, qPrintable(where));
            auto runs = (*store)->listRuns();
            QVERIFY2(runs && runs->size() == 1, qPrintable(where));
            QCOMPARE(runs->front().status, RunStatus::Succeeded);
            auto point = store::SweepStore(**store).pointOfRun(runs->front().id);
            QVERIFY2(point && *point, qPrintable(where + QStringLiteral(": no grid point")));
            const int index = (*point)->second.index;
            QCOMPARE(b.fileName(), QStringLiteral("point-%1.sqlite").arg(index));
            QVERIFY2(index < int(points->size()), qPrintable(where));
            QCOMPARE(withFileNames((*point)->second.coords), withFileNames((*points)[size_t(index)].coords));
            ++bundles;
        }
    }
    QVERIFY(bundles >= 40);  // results_table's alone
}

QTEST_GUILESS_MAIN(TestSweepFile)
#include "tst_sweepfile.moc"
