// SPDX-License-Identifier: GPL-3.0-or-later
// The run view's progress during a long step: the bar follows the step,
// the label has core's words for it, and the clock (elapsed, ETA) moves
// between events.
#include "runview.h"

#include <QtTest/QtTest>
#include <QtWidgets/QProgressBar>

using namespace metaaug;
using namespace metaaug::ui;

namespace {
ProgressUpdate warmup(int step, double elapsed)
{
    ProgressUpdate u;
    u.phase = QStringLiteral("warmup");
    u.unitCount = 11;
    u.iteration = step;
    u.iterations = 50;
    u.elapsedSeconds = elapsed;
    return u;
}
}  // namespace

class TestRunProgressView : public QObject {
    Q_OBJECT
private slots:
    void warmupStepAndTickingClock();
    void stepWithoutCountIsBusy();
};

void TestRunProgressView::warmupStepAndTickingClock()
{
    RunView view;
    view.startLive(QJsonObject{{"method", "metaaug"}});
    // 0.5 s a step from 10 s: at step 12, 38 steps (19 s) are left.
    view.onProgress(warmup(0, 10.0));
    view.onProgress(warmup(12, 16.0));
    QTRY_VERIFY(view.progressText().startsWith("warm-up step 12/50"));
    const QString first = view.progressText();
    QVERIFY2(first.startsWith("warm-up step 12/50 · ETA ~0:19 (at most) · elapsed 0:16"), qPrintable(first));
    QCOMPARE(view.progressBar()->value(), 1000 * 12 / 50);
    // No event for over two seconds: the clock and the ETA still move.
    QTRY_VERIFY_WITH_TIMEOUT(view.progressText().contains("elapsed 0:18"), 4000);
    QVERIFY2(view.progressText().contains("ETA ~0:17"), qPrintable(view.progressText()));
    view.onFinished(RunFinished{0, RunStatus::Cancelled, std::nullopt, QStringLiteral("cancelled"), {}});
    const QString stopped = view.progressText();
    QVERIFY2(stopped.startsWith("cancelled · warm-up step 12/50"), qPrintable(stopped));
    QTest::qWait(1200);  // a finished run's clock stands still
    QCOMPARE(view.progressText(), stopped);
}

void TestRunProgressView::stepWithoutCountIsBusy()
{
    RunView view;
    view.startLive(QJsonObject{{"method", "rtn"}});
    ProgressUpdate u;
    u.phase = QStringLiteral("setup");
    u.iteration = 0;
    u.iterations = 0;
    u.detail = QStringLiteral("metaaug: FP logits of 64 calibration images");
    view.onProgress(u);
    QTRY_VERIFY(view.progressText().startsWith("setup: metaaug: FP logits of 64 calibration images · elapsed"));
    QCOMPARE(view.progressBar()->maximum(), 0);  // a busy bar
    ProgressUpdate e;
    e.phase = QStringLiteral("evaluation");
    e.detail = QStringLiteral("test set");
    e.iteration = 256;
    e.iterations = 1024;
    e.elapsedSeconds = 3;
    view.onProgress(e);
    QTRY_VERIFY(view.progressText().startsWith("evaluation: test set 256/1024 images · ETA ~"));
    QCOMPARE(view.progressBar()->maximum(), 1000);
    QCOMPARE(view.progressBar()->value(), 250);
}

QTEST_MAIN(TestRunProgressView)
#include "tst_runprogressview.moc"
