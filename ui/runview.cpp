// SPDX-License-Identifier: GPL-3.0-or-later
#include "runview.h"

#include "imagegrid.h"
#include "propagationpanel.h"
#include "resultspanel.h"
#include "runcharts.h"

#include <QtCore/QTimer>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QVBoxLayout>

#include <cmath>

namespace metaaug::ui {

namespace {
constexpr int kRedrawMs = 66;  // ~15 Hz
}

QString durationText(double s)
{
    return formatDuration(s);
}

RunView::RunView(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progressLabel = new QLabel(tr("Idle"), this);
    m_progressLabel->setObjectName(QStringLiteral("progressLabel"));
    top->addWidget(m_progress, 1);
    top->addWidget(m_progressLabel, 2);
    l->addLayout(top);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_charts = new RunCharts(split);
    auto *side = new QTabWidget(split);
    side->setObjectName(QStringLiteral("runSideTabs"));
    m_images = new ImageGrid(side);
    m_results = new ResultsPanel(side);
    m_log = new QPlainTextEdit(side);
    m_log->setObjectName(QStringLiteral("runLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    side->addTab(m_images, tr("Images x / T(x)"));
    side->addTab(m_results, tr("Results"));
    m_propagation = new PropagationPanel(side);
    side->addTab(m_propagation, tr("Why"));
    side->setTabToolTip(side->indexOf(m_propagation), tr("Where the run loses accuracy: error propagation per layer and the diagnosis"));
    side->addTab(m_log, tr("Log"));
    split->addWidget(m_charts);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    l->addWidget(split, 1);
    // A result widens the side so its metrics and table fit, leaving the
    // charts at least a third (no minimum width: the docks keep theirs).
    connect(m_results, &ResultsPanel::widthNeeded, this, [split, side](int needed) {
        const QList<int> sizes = split->sizes();
        const int total = sizes.value(0) + sizes.value(1);
        const auto *pages = side->findChild<QStackedWidget *>();  // every tab's page has its size
        const int frame = side->width() - (pages ? pages->contentsRect().width() : side->width());  // the tab widget's own frame
        const int want = std::min(needed + frame, total * 2 / 3);
        if (total > 0 && sizes.value(1) < want)
            split->setSizes({total - want, want});
    });

    connect(m_charts, &RunCharts::refreshRequested, this, &RunView::redraw);
    m_timer = new QTimer(this);
    m_timer->setInterval(kRedrawMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_dirty)
            redraw();
    });
    m_timer->start();
    // A live run's clock moves each second, also while one step is long.
    m_clock = new QTimer(this);
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, [this] {
        if (m_data.status == RunStatus::Running && !m_data.progress.empty())
            updateProgress();
    });
}

void RunView::startLive(const QJsonObject &spec)
{
    m_data = RunData{};
    m_data.spec = spec;
    m_data.status = RunStatus::Running;
    m_imagesShown = -1;
    m_charts->clear();
    m_results->setResult(std::nullopt, RunStatus::Running);
    m_propagation->setResult(std::nullopt);
    m_log->clear();
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_sinceEvent.start();
    m_clock->start();
    m_dirty = true;
}

void RunView::showStored(RunData data)
{
    m_clock->stop();
    m_data = std::move(data);
    m_imagesShown = -1;
    m_charts->clear();
    m_log->clear();
    m_log->appendPlainText(tr("Stored run %1 (%2)").arg(m_data.runId).arg(QLatin1String(statusName(m_data.status))));
    if (!m_data.error.isEmpty())
        m_log->appendPlainText(m_data.error);
    m_results->setResult(m_data.result, m_data.status, m_data.error);
    m_propagation->setResult(m_data.result);
    redraw();
}

void RunView::onProgress(const ProgressUpdate &u)
{
    m_data.addProgress(u);
    m_sinceEvent.start();
    m_dirty = true;
}

void RunView::onLayerSample(const LayerSample &s)
{
    m_data.addLayerSample(s);
    m_dirty = true;
}

void RunView::onImage(const ImagePair &p)
{
    m_data.addImage(p);
    m_dirty = true;
}

void RunView::onLog(const QString &line)
{
    m_data.log << line;
    m_log->appendPlainText(line);
}

void RunView::onFinished(const RunFinished &f)
{
    m_clock->stop();
    m_data.finish(f);
    for (const QString &w : f.warnings)
        onLog(tr("warning: %1").arg(w));
    onLog(f.status == RunStatus::Succeeded ? tr("run %1 succeeded").arg(f.runId)
                                           : tr("run %1 %2: %3").arg(f.runId).arg(QLatin1String(statusName(f.status)), f.error));
    m_results->setResult(f.result, f.status, f.error);
    m_propagation->setResult(f.result);
    redraw();
}

QString RunView::progressText() const
{
    return m_progressLabel->text();
}

void RunView::updateProgress()
{
    const ProgressUpdate &u = m_data.last;
    const bool done = m_data.status != RunStatus::Running;
    if (done && m_data.result) {
        // A finished run says what it did, not where its last event was.
        m_progress->setRange(0, 1000);
        m_progress->setValue(1000);
        m_progressLabel->setText(tr("%1 · %2 units · wall time %3")
                                     .arg(QLatin1String(statusName(m_data.status)))
                                     .arg(m_data.result->units.size())
                                     .arg(durationText(m_data.result->wallSeconds)));
        return;
    }
    const double fraction = m_data.fractionDone();
    if (fraction < 0 && !done) {
        m_progress->setRange(0, 0);  // a step without a count: busy
    } else {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * std::max(0.0, fraction)));
    }
    // The run's clock goes on between events: the last event's time plus
    // the wall time since it came.
    const double now = u.elapsedSeconds + (done || !m_sinceEvent.isValid() ? 0.0 : m_sinceEvent.elapsed() / 1000.0);
    QString text;
    if (!m_data.progress.empty())
        text = done ? m_data.progress.stepText() : m_data.progress.text(now);  // as the CLI words it
    else
        text = u.unit >= 0 ? tr("unit %1/%2 %3").arg(u.unit + 1).arg(u.unitCount).arg(u.unitName) : u.phase;
    text += tr(" · elapsed %1").arg(durationText(now));
    if (done)
        text = tr("%1 · %2").arg(QLatin1String(statusName(m_data.status)), text);
    m_progressLabel->setText(text);
}

void RunView::redraw()
{
    m_dirty = false;
    ++m_redraws;
    updateProgress();
    m_charts->refresh(m_data);
    if (m_data.images.size() != m_imagesShown) {
        m_imagesShown = int(m_data.images.size());
        m_images->setPairs(m_data.images, m_data.unitNames);
    }
}

}  // namespace metaaug::ui
