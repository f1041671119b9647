// SPDX-License-Identifier: GPL-3.0-or-later
// HTML reports of every method and every shape a stored run can have (T's
// warm-up image events at unit -1, a frozen T, the random-augment control,
// a cancelled run, a failed one, one without image events), and a
// comparison of them all: each is written, names its units as RunResult's
// unitLabel() does, plots the reconstruction loss "rec" its table shows,
// and judges deltas by the metric's direction. The runs are made through
// the RunStore API with events shaped as the engine records them; the
// charts' ticks and label room are checked on svgchart's functions.
#include "report/htmlreport.h"
#include "report/svgchart.h"
#include "run/runresult.h"
#include "store/runstore.h"

#include <opencv2/imgcodecs.hpp>

#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

using namespace metaaug;
using namespace metaaug::store;

namespace {

// The bundled ResNet-20's units (conv1, 9 blocks, fc): what a real run names.
const QStringList kUnits{"conv1", "layer1.0", "layer1.1", "layer1.2", "layer2.0", "layer2.1",
                         "layer2.2", "layer3.0", "layer3.1", "layer3.2", "fc"};
constexpr int kIters = 40;
// The reconstruction loss "rec" of the synthetic runs stays in [kRecLow, kRecHigh];
// the total "loss" (rec + AdaRound's rounding term) is ~1e4 early on.
constexpr double kRecLow = 0.01, kRecHigh = 0.2;

// A strip of `n` 8x8 gray tiles, PNG-encoded as RunRecorder stores them.
QByteArray stripPng(int n, int shade)
{
    cv::Mat m(8, 8 * n, CV_8UC1, cv::Scalar(shade));
    std::vector<uchar> buf;
    cv::imencode(".png", m, buf);
    return QByteArray(reinterpret_cast<const char *>(buf.data()), qsizetype(buf.size()));
}

struct Shape {
    QString method;
    QJsonObject options;            // method_options
    RunStatus status = RunStatus::Succeeded;
    QString error;
    bool reconstruction = true;     // rec / round / loss per unit and iteration
    bool warmupImages = false;      // T's warm-up: image events at unit -1
    std::vector<std::pair<int, int>> images;  // (unit, step) of further image events
    double qTop1 = 90, gap = 1.0, wall = 100;
    bool propagation = true;        // the error-propagation table (runs stored before it have none)
};

RunResult resultOf(const Shape &s)
{
    RunResult r;
    r.method = s.method;
    r.wbits = 4;
    r.abits = 4;
    r.fpTop1 = 91.7;
    r.qTop1 = s.qTop1;
    r.qCalibTop1 = s.qTop1 + s.gap;
    r.fpCalibTop1 = 93.0;
    r.gap = s.gap;
    r.agreement = 95.2;
    r.kl = 0.031;
    r.evalImages = 10000;
    r.seed = QStringLiteral("1");
    r.wallSeconds = s.wall;
    for (int u = 0; u < kUnits.size(); ++u) {
        UnitResult unit;
        unit.name = kUnits[u];
        unit.firstLoss = kRecHigh / (1 + u);
        unit.finalLoss = std::max(kRecLow, unit.firstLoss / 4);
        unit.seconds = 2.5;
        r.units.push_back(unit);
    }
    for (const char *layer : {"conv1", "layer1.0.conv1", "layer1.0.conv2", "layer3.2.conv2", "fc"})
        r.layers.push_back(LayerResult{QLatin1String(layer), 4, 4, 20.5, 18.25, 0.01});
    // The propagation table and a finding.
    if (s.propagation) {
        int k = 0;
        for (const char *layer : {"conv1", "layer1.0.conv1", "layer1.0.conv2", "layer3.2.conv2", "fc"}) {
            analysis::LayerPropagation l;
            l.layer = QLatin1String(layer);
            l.outputDb = 20.0 - k;
            l.inputDb = k ? std::optional<double>(21.0 - k) : std::nullopt;
            l.injectedDb = -30.0 + 7 * (k % 3);  // layer1.0.conv2 ranks first
            ++k;
            r.propagation.push_back(l);
        }
        r.findings.push_back({"outlier_channel", "layer1.0.conv1", 5, 48.5, "channel 5 of layer1.0.conv1 ranges 48.5x the median",
                              "keep layer1.0.conv2's input at 8 bits"});
    }
    r.spec = QJsonObject{{"method", s.method}, {"method_options", s.options}};
    return r;
}

// A run as the engine would have left it in the store.
int64_t storeRun(RunStore &db, const Shape &s)
{
    const QJsonObject spec{{"method", s.method}, {"wbits", 4}, {"abits", 4}, {"model", "/models/resnet20_cifar10.pt"},
                           {"calib_size", 256}, {"iters", kIters}, {"seed", 1}, {"method_options", s.options}};
    auto id = db.createRun(spec);
    if (!id)
        qFatal("%s", qPrintable(id.error().message));
    WriteBatch b;
    if (s.warmupImages)
        for (int step = 1; step <= 3; ++step) {
            for (const char *key : {"warmup_loss", "t_mse", "pkt"})
                b.scalars.push_back({-1, QStringLiteral("warmup"), step * 10, QLatin1String(key), 0.5 / step});
            b.images.push_back({-1, step * 10, stripPng(8, 100), stripPng(8, 110 + step)});
        }
    if (s.reconstruction)
        for (int u = 0; u < kUnits.size(); ++u)
            for (int t = 1; t <= kIters; ++t) {
                const double rec = kRecLow + (kRecHigh - kRecLow) * std::exp(-0.1 * t) / (1 + u);
                const double round = t < kIters / 4 ? 0.0 : 1e4 * (1.0 - double(t) / kIters);
                for (const auto &[key, value] : {std::pair{"rec", rec}, std::pair{"round", round}, std::pair{"loss", rec + round}})
                    b.scalars.push_back({u, QStringLiteral("reconstruction"), t, QLatin1String(key), value});
            }
    for (const auto &[unit, step] : s.images)
        b.images.push_back({unit, step, stripPng(8, 90), stripPng(8, 140)});
    if (auto w = db.write(*id, b); !w)
        qFatal("%s", qPrintable(w.error().message));
    const RunResult result = resultOf(s);
    if (auto f = db.finishRun(*id, s.status, s.status == RunStatus::Succeeded ? &result : nullptr, s.error); !f)
        qFatal("%s", qPrintable(f.error().message));
    return *id;
}

// The numbers an SVG chart labels its y axis with (its unrotated end-anchored texts).
QList<double> yTickValues(const QString &svg)
{
    QList<double> out;
    static const QRegularExpression tick(QStringLiteral("text-anchor=\"end\">([^<]+)</text>"));
    for (auto it = tick.globalMatch(svg); it.hasNext();)
        out << it.next().captured(1).toDouble();
    return out;
}

// The SVG chart of `html` with this title.
QString chartTitled(const QString &html, const QString &title)
{
    const qsizetype t = html.indexOf(QStringLiteral(">%1</text>").arg(title));
    if (t < 0)
        return {};
    const qsizetype start = html.lastIndexOf(QStringLiteral("<svg"), t), end = html.indexOf(QStringLiteral("</svg>"), t);
    return html.mid(start, end - start);
}

// Tick lists equal up to float rounding (3 * 0.01 is not 0.03).
bool sameTicks(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > 1e-12 * std::max(1.0, std::abs(b[i])))
            return false;
    return true;
}

QString ticksText(const std::vector<double> &t)
{
    QStringList s;
    for (double v : t)
        s << QString::number(v, 'g', 17);
    return s.join(", ");
}

#define COMPARE_TICKS(actual, ...)                                                                                          \
    do {                                                                                                                    \
        const std::vector<double> a_ = (actual), e_ = __VA_ARGS__;                                                          \
        QVERIFY2(sameTicks(a_, e_), qPrintable(QStringLiteral("ticks %1, expected %2").arg(ticksText(a_), ticksText(e_)))); \
    } while (false)

// Whether `step` is 1, 2 or 5 times a power of ten.
bool niceStepValue(double step)
{
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-12));
    return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

}  // namespace

class TestReportKinds : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void unitLabels();
    void verdicts();
    void reportOfEveryShape_data();
    void reportOfEveryShape();
    void lossChartShowsRec();
    void comparisonOfAll();
    void niceTicks();
    void rotatedLabelsHaveRoom();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RunStore> m_db;
    std::map<QString, int64_t> m_runs;  // by shape name
};

void TestReportKinds::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto db = RunStore::open(m_dir.filePath("runs.sqlite"));
    QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
    m_db = std::move(*db);
    // rtn first: the comparison's reference (gap 1.00 pt, 100.0 s).
    m_runs["rtn"] = storeRun(*m_db, {"rtn", {}, RunStatus::Succeeded, {}, false});
    for (const char *m : {"adaround", "brecq", "qdrop", "geniem"})
        m_runs[m] = storeRun(*m_db, {m, {}, RunStatus::Succeeded, {}, true, false, {}, 90.5});
    // MetaAug as run by default: T's warm-up (unit -1), then meta iterations per middle unit.
    m_runs["metaaug"] = storeRun(*m_db, {"metaaug", {}, RunStatus::Succeeded, {}, true, true, {{1, 20}, {1, kIters}, {9, kIters}},
                                         90.2, 1.40, 59.5});
    // Frozen T (meta_iters 0): the warm-up's T, shown once per unit at iteration 0.
    m_runs["frozen"] = storeRun(*m_db, {"metaaug", {{"meta_iters", 0}}, RunStatus::Succeeded, {}, true, true, {{1, 0}, {2, 0}}});
    // The random-augment control: no T, its random copy per unit at iteration 0.
    m_runs["random"] = storeRun(*m_db, {"metaaug", {{"augment", "random"}}, RunStatus::Succeeded, {}, true, false, {{1, 0}, {2, 0}}});
    // Cancelled during unit 3's meta phase: events, no result (so no unit names).
    m_runs["cancelled"] = storeRun(*m_db, {"metaaug", {}, RunStatus::Cancelled, QStringLiteral("cancelled in unit layer1.1's meta phase"),
                                           true, true, {{1, kIters}, {2, 10}}});
    m_runs["failed"] = storeRun(*m_db, {"metaaug", {}, RunStatus::Failed, QStringLiteral("cannot read the T file /no/t.pt (--t-init): <missing>"),
                                        false});
    {
        Shape old{"metaaug", {{"image_every", 1000000}}, RunStatus::Succeeded, {}, true, false};
        old.propagation = false;  // and stored before the propagation table
        m_runs["noimages"] = storeRun(*m_db, old);
    }
}

void TestReportKinds::unitLabels()
{
    const RunResult r = resultOf({"metaaug"});
    QCOMPARE(r.unitLabel(-1), QString("T's warm-up"));
    QCOMPARE(r.unitLabel(0), QString("conv1"));
    QCOMPARE(r.unitLabel(10), QString("fc"));
    QCOMPARE(r.unitLabel(11), QString("unit 12"));  // one past the end: counted from 1, as the workbench counts
    QCOMPARE(r.unitLabel(-7), QString("unit index -7"));
    QCOMPARE(RunResult{}.unitLabel(2), QString("unit 3"));  // a run without a result names no unit
}

void TestReportKinds::verdicts()
{
    const ResultMetric *gap = findResultMetric("gap"), *wall = findResultMetric("wall_s"), *top1 = findResultMetric("q_top1"),
                       *fp = findResultMetric("fp_top1"), *kl = findResultMetric("kl");
    QCOMPARE(gap->verdict(+0.40), Verdict::Worse);   // a larger gap is worse although positive
    QCOMPARE(wall->verdict(-40.5), Verdict::Better);  // a shorter wall time is better although negative
    QCOMPARE(top1->verdict(+0.30), Verdict::Better);
    QCOMPARE(top1->verdict(-0.004), Verdict::Same);   // shown as 0.00
    QCOMPARE(top1->verdict(-0.006), Verdict::Worse);  // shown as -0.01
    QCOMPARE(kl->verdict(1e-6), Verdict::Worse);      // 'g' precision: any change counts
    QCOMPARE(fp->verdict(1.0), Verdict::Unranked);    // the FP reference has no better direction
    QCOMPARE(gap->verdict(std::nan("")), Verdict::Unranked);
    QCOMPARE(gap->formatDelta(0.4), QString("+0.40"));
    QCOMPARE(wall->formatDelta(-40.5), QString("-40.5"));
    QCOMPARE(top1->formatDelta(-0.004), QString("0.00"));
    QCOMPARE(verdictName(Verdict::Worse), QString("worse"));
    QCOMPARE(top1->deltaUnit(), QString("pt"));  // a difference of percentages
    QCOMPARE(wall->deltaUnit(), QString("s"));
    QCOMPARE(verdictName(Verdict::Unranked), QString());
}

void TestReportKinds::reportOfEveryShape_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<QStringList>("expect");
    QTest::addColumn<QStringList>("absent");
    const QString strips = "MetaAug: originals and T(x)", layers = "<h2>Layers</h2>", propagation = "<h2>Error propagation</h2>";
    // Ranked: layer1.0.conv2 (-16 dB) before layer1.0.conv1 (-23 dB); the finding with its experiment.
    const QString ranked = "<tr><td>layer1.0.conv2</td><td class=\"num\">-16.00</td>",
                  finding = "<td>outlier_channel</td><td>layer1.0.conv1</td>";
    QTest::newRow("rtn") << "rtn" << QStringList{"No reconstruction loss recorded", layers, propagation, ranked, finding}
                         << QStringList{strips, "<polyline"};
    for (const char *m : {"adaround", "brecq", "qdrop", "geniem"})
        QTest::newRow(m) << m << QStringList{"Reconstruction loss per unit", "<title>layer2.1</title>", "first reconstruction loss", layers,
                                             propagation, ranked}
                         << QStringList{strips};
    QTest::newRow("metaaug warm-up") << "metaaug"
                                     << QStringList{strips, "data-unit=\"-1\"", "<figcaption>T's warm-up, step 30</figcaption>",
                                                    "alt=\"T(x), T's warm-up\"", "<figcaption>layer1.0, meta iteration 40</figcaption>",
                                                    "<figcaption>layer3.2, meta iteration 40</figcaption>"}
                                     << QStringList{"unit 0", "random copy"};
    QTest::newRow("frozen T") << "frozen"
                              << QStringList{"<figcaption>T's warm-up, step 30</figcaption>",
                                             "<figcaption>layer1.0: the copy phase B trains on</figcaption>",
                                             "<figcaption>layer1.1: the copy phase B trains on</figcaption>"}
                              << QStringList{"meta iteration"};
    QTest::newRow("random augment") << "random"
                                    << QStringList{"originals and their random copies", "alt=\"random copy, layer1.0\"",
                                                   "<figcaption>layer1.1: the copy phase B trains on</figcaption>"}
                                    << QStringList{strips, "T's warm-up"};
    // No result: units are "unit N" (counted from 1), the curves and strips recorded before the cancel stay.
    QTest::newRow("cancelled") << "cancelled"
                               << QStringList{"Status: <b>cancelled</b>", "<figcaption>T's warm-up, step 30</figcaption>",
                                              "<figcaption>unit 2, meta iteration 40</figcaption>", "<figcaption>unit 3, meta iteration 10</figcaption>",
                                              "<title>unit 11</title>", "Reconstruction loss per unit"}
                               << QStringList{layers, "unit 0", propagation};
    QTest::newRow("failed") << "failed"
                            << QStringList{"Status: <b>failed</b>", "/no/t.pt (--t-init): &lt;missing&gt;", "No reconstruction loss recorded"}
                            << QStringList{layers, strips, "<missing>"};
    QTest::newRow("no image events") << "noimages" << QStringList{"Reconstruction loss per unit", layers}
                                     << QStringList{strips, "<img", propagation};
}

void TestReportKinds::reportOfEveryShape()
{
    QFETCH(QString, shape);
    QFETCH(QStringList, expect);
    QFETCH(QStringList, absent);
    auto html = report::runReport(*m_db, m_runs.at(shape));
    QVERIFY2(html, qPrintable(html ? QString() : html.error().message));
    QVERIFY(html->startsWith("<!DOCTYPE html>") && html->trimmed().endsWith("</html>"));
    for (const QString &e : expect)
        QVERIFY2(html->contains(e), qPrintable(QStringLiteral("%1 lacks '%2'").arg(shape, e)));
    for (const QString &a : absent)
        QVERIFY2(!html->contains(a), qPrintable(QStringLiteral("%1 has '%2'").arg(shape, a)));
    const QString file = m_dir.filePath(shape + ".html");
    QVERIFY(report::writeReport(*html, file));
    QCOMPARE(QFileInfo(file).size(), qint64(html->toUtf8().size()));
}

void TestReportKinds::lossChartShowsRec()
{
    auto html = report::runReport(*m_db, m_runs.at("qdrop"));
    QVERIFY(html);
    const QString chart = chartTitled(*html, "Reconstruction loss per unit");
    QVERIFY(!chart.isEmpty());
    // Named as the table names it; its axis spans rec (<= 0.2), not the total loss (~1e4).
    QVERIFY(chart.contains(">reconstruction loss</text>"));
    QVERIFY(html->contains("<th>first reconstruction loss</th><th>final reconstruction loss</th>"));
    const QList<double> ticks = yTickValues(chart);
    QVERIFY2(ticks.size() >= 2, qPrintable(chart.left(2000)));
    for (double t : ticks)
        QVERIFY2(t > 0 && t <= kRecHigh * 1.5, qPrintable(QString::number(t)));
}

void TestReportKinds::comparisonOfAll()
{
    std::vector<int64_t> ids;
    for (const auto &[shape, id] : m_runs)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());  // rtn (gap 1.00 pt, 100.0 s) first
    auto html = report::compareReport(*m_db, ids);
    QVERIFY2(html, qPrintable(html ? QString() : html.error().message));
    QVERIFY(html->contains("<h2>What differs</h2>"));
    QCOMPARE(html->count("<th>run "), int(ids.size()) * 2);  // headline and spec tables
    // MetaAug against rtn: gap 1.40 vs 1.00 is worse, 59.5 s vs 100.0 s is better, in words and colour.
    QVERIFY(html->contains("<span class=\"delta worse\" data-verdict=\"worse\">+0.40 pt worse</span>"));
    QVERIFY(html->contains("<span class=\"delta better\" data-verdict=\"better\">-40.5 s better</span>"));
    QVERIFY(html->contains("<span class=\"delta better\" data-verdict=\"better\">+0.50 pt better</span>"));  // q_top1 90.5 % vs 90.0 %
    QVERIFY(html->contains("<span class=\"delta\" data-verdict=\"\">"));  // a metric without direction: no verdict
    QVERIFY(!html->contains("-0.00"));
    const QString file = m_dir.filePath("compare.html");
    QVERIFY(report::writeReport(*html, file));
}

void TestReportKinds::niceTicks()
{
    // What the report used to draw: 0, 11.36, 22.72, ... over 0..45.44.
    QCOMPARE(report::niceStep(0, 45.44), 10.0);
    COMPARE_TICKS(report::niceTicks(0, 45.44), {0, 10, 20, 30, 40});
    COMPARE_TICKS(report::niceTicks(1, 500), {100, 200, 300, 400, 500});
    COMPARE_TICKS(report::niceTicks(-3.2, 7.9), {-2, 0, 2, 4, 6});
    for (const auto &[lo, hi] : {std::pair{0.0, 1.0}, {0.013, 0.087}, {-17.3, 48.2}, {1.0, 12345.0}, {0.2, 0.2000003}}) {
        const double step = report::niceStep(lo, hi);
        QVERIFY2(niceStepValue(step), qPrintable(QString::number(step)));
        const std::vector<double> t = report::niceTicks(lo, hi);
        QVERIFY2(t.size() >= 2 && t.size() <= 11, qPrintable(QStringLiteral("%1..%2: %3 ticks").arg(lo).arg(hi).arg(t.size())));
        for (double v : t)
            QVERIFY(v >= lo - 1e-9 * step && v <= hi + 1e-9 * step && std::abs(v / step - std::round(v / step)) < 1e-6);
    }
    QCOMPARE(report::tickLabel(3 * 0.1, 0.1), QString("0.3"));  // not 0.30000000000000004
    QCOMPARE(report::tickLabel(1500, 500), QString("1500"));
    QCOMPARE(report::tickLabel(1e-5, 1e-5), QString("1e-05"));
    // Log axis: its decades; every third over 17 decades; linear nice ticks when one decade or none falls inside.
    COMPARE_TICKS(report::logTicks(1e-3, 50), {1e-3, 1e-2, 1e-1, 1, 10});
    COMPARE_TICKS(report::logTicks(1e-8, 1e8), {1e-6, 1e-3, 1, 1e3, 1e6});
    COMPARE_TICKS(report::logTicks(0.021, 0.079), {0.03, 0.04, 0.05, 0.06, 0.07});
    COMPARE_TICKS(report::logTicks(0.05, 0.5), {0.1, 0.2, 0.3, 0.4, 0.5});
    // The bar chart's y axis: only nice values, the frame ending on ticks.
    const QString bars = report::svgBarChart("SQNR", {"a", "b", "c"}, {{"run", {{0, 12.0}, {1, 45.44}, {2, 30.1}}}}, "dB");
    QCOMPARE(yTickValues(bars), (QList<double>{0, 10, 20, 30, 40, 50}));
}

void TestReportKinds::rotatedLabelsHaveRoom()
{
    // A DenseNet-length layer name: the old chart's 48 px below the frame clipped it.
    const QString longName = "features.denseblock4.denselayer16.conv2";
    const QStringList labels{longName, "b", "fc"};
    const QString svg = report::svgBarChart("SQNR", labels, {{"run", {{0, 12.0}, {1, 20.0}, {2, 30.0}}}}, "dB", 720, 320);
    const QRegularExpressionMatch size = QRegularExpression("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\"").match(svg);
    QVERIFY(size.hasMatch());
    const int height = size.captured(2).toInt();
    QVERIFY(height > 320);  // grown for the label, the plot area kept
    const QRegularExpressionMatch label =
        QRegularExpression(QStringLiteral("<text x=\"([\\d.]+)\" y=\"([\\d.]+)\"[^>]*rotate\\(-40[^>]*>%1</text>").arg(QRegularExpression::escape(longName)))
            .match(svg);
    QVERIFY2(label.hasMatch(), qPrintable(svg.right(1500)));
    // A 9 px sans-serif character is about 5 px wide: the label's far end must lie in the picture.
    const double w = longName.size() * 9 * 0.55, a = 40 * M_PI / 180;
    QVERIFY2(label.captured(2).toDouble() + std::sin(a) * w <= height,
             qPrintable(QStringLiteral("label ends at y %1, chart height %2").arg(label.captured(2).toDouble() + std::sin(a) * w).arg(height)));
    QVERIFY2(label.captured(1).toDouble() - std::cos(a) * w >= 0, qPrintable(label.captured(1)));
    QVERIFY(report::rotatedLabelRoom(int(longName.size())) > report::rotatedLabelRoom(4));
}

QTEST_GUILESS_MAIN(TestReportKinds)
#include "tst_reportkinds.moc"
