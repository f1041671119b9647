// SPDX-License-Identifier: GPL-3.0-or-later
// `metaaug report` (issue 21) rendered in headless Chromium (Debian's
// chromium): the run report, a comparison and a sweep report load with no
// console message (the console is read from --enable-logging=stderr, and a
// page with a script error shows that the check sees one), the headline
// numbers of the stored result are in the DOM, the page is self-contained
// (no http, no script), and a screenshot is drawn.
#include "store/runstore.h"
#include "testutil.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace metaaug;
using metaaug::test::runCli;
using metaaug::test::runProcess;

class TestReport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void consoleCheckSeesAnError();
    void runCompareAndSweepReports();

private:
    // Chromium's DOM (stdout) and its console lines (stderr) for `file`; a screenshot when `png` is set.
    struct Page {
        QString dom;
        QStringList console;
    };
    Page render(const QString &file, const QString &png = {});
    QTemporaryDir m_dir;
    int m_profile = 0;
};

void TestReport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists("/usr/bin/chromium"), "Debian's chromium is needed (scripts/setup-deps.sh installs it)");
}

TestReport::Page TestReport::render(const QString &file, const QString &png)
{
    QStringList args{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     QStringLiteral("--user-data-dir=%1").arg(m_dir.filePath(QStringLiteral("profile-%1").arg(m_profile++))),
                     "--enable-logging=stderr", "--v=0", "--window-size=1000,2000"};
    args << (png.isEmpty() ? QStringLiteral("--dump-dom") : QStringLiteral("--screenshot=%1").arg(png));
    args << QUrl::fromLocalFile(file).toString();
    const auto r = runProcess("/usr/bin/chromium", args, 120000);
    Page p{r.out, {}};
    for (const QString &line : r.err.split('\n'))
        if (line.contains(":CONSOLE"))
            p.console << line;
    return p;
}

void TestReport::consoleCheckSeesAnError()
{
    const QString bad = m_dir.filePath("bad.html");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("<!DOCTYPE html><html><body><p>x</p><script>notDefinedAnywhere();</script></body></html>");
    f.close();
    const Page p = render(bad);
    QVERIFY2(!p.console.isEmpty() && p.console.first().contains("notDefinedAnywhere"), "the console check must see a script error");
}

void TestReport::runCompareAndSweepReports()
{
    const QString db = m_dir.filePath("runs.sqlite"), grid = m_dir.filePath("grid.json");
    QFile f(grid);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"name": "report grid", "base": {"method": "qdrop", "calib_size": 64, "iters": 20, "eval_limit": 300, "threads": 1},
                "axes": {"wbits": [2, 4]}})");
    f.close();
    const auto swept = runCli({"sweep", grid, "--db", db, "--quiet", "--jobs", "2"}, 600000);
    QVERIFY2(swept.exitCode == 0, qPrintable(swept.out + swept.err));
    auto store = store::RunStore::open(db);
    QVERIFY(store);
    auto run = (*store)->run(1);
    QVERIFY(run);
    const std::optional<RunResult> result = run->typedResult();
    QVERIFY(result);

    struct Case {
        QStringList args;
        QString file;
        QStringList expect;
    };
    const QString top1 = findResultMetric("q_top1")->format(*result), gap = findResultMetric("gap")->format(*result);
    const Case cases[] = {
        {{"--run", "1"}, "run.html", {top1, gap, result->calibHash, result->modelSha256, "Reconstruction loss per unit", "Per-layer output SQNR"}},
        {{"--compare", "1,2"}, "compare.html", {top1, "What differs", "wbits"}},
        {{"--sweep", "1"}, "sweep.html", {"report grid", "quantized test top-1"}},
    };
    for (const Case &c : cases) {
        const QString html = m_dir.filePath(c.file);
        const auto written = runCli(QStringList{"report"} + c.args + QStringList{"--out", html, "--db", db});
        QVERIFY2(written.exitCode == 0, qPrintable(written.out + written.err));
        QFile file(html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(file.readAll());
        QVERIFY2(!source.contains("<script") && !source.contains("http://") && !source.contains("https://"), qPrintable(c.file));
        const Page p = render(html);
        QVERIFY2(p.console.isEmpty(), qPrintable(c.file + ": " + p.console.join('\n')));
        for (const QString &e : c.expect)
            QVERIFY2(p.dom.contains(e), qPrintable(QStringLiteral("%1 lacks '%2'").arg(c.file, e)));
    }
    const QString png = m_dir.filePath("run.png");
    render(m_dir.filePath("run.html"), png);
    QVERIFY2(QFileInfo(png).size() > 10000, "the screenshot of the run report is missing or blank");
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
