// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshotdemo.h"

#include "carddialog.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "runsbrowser.h"
#include "runsetuppanel.h"
#include "runview.h"
#include "stallmonitor.h"

#include <QtCore/QDir>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QTabWidget>

#include <cstdio>

using metaaug::ui::MainWindow;

ScreenshotDemo::ScreenshotDemo(MainWindow &window, QString dir, QJsonObject spec, QString prefix)
    : m_window(window), m_dir(std::move(dir)), m_spec(std::move(spec)), m_prefix(std::move(prefix))
{
}

void ScreenshotDemo::begin()
{
    QDir().mkpath(m_dir);
    m_clock.start();
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll] {
        if (answerCardDialog())
            return;
        // A card dialog comes after the file is read on the pool: give it time.
        if (m_window.isLoading() || (!m_window.modelReady() && m_clock.elapsed() < 15000))
            return;
        poll->stop();
        if (!m_window.modelReady()) {
            std::fprintf(stderr, "metaaug-workbench: the model did not load: %s\n", qPrintable(m_window.lastError()));
            finish(1);
            return;
        }
        if (m_spec.isEmpty()) {
            startRun(QStringLiteral("metaaug"));
            return;
        }
        // The model and data panels before the run (thumbnails, model tree).
        QTimer::singleShot(500, this, [this] {
            save(m_prefix + QStringLiteral("-model.png"));
            m_window.setupPanel()->setSpec(m_spec);
            m_window.startRun();
        });
    });
    poll->start(100);
    connect(m_window.controller(), &metaaug::ui::RunController::progress, this, [this](const metaaug::ui::ProgressUpdate &u) {
        if (!m_spec.isEmpty()) {
            // Two thirds through the units, half-way through a unit's reconstruction.
            if (!m_midRunSaved && u.unitCount > 0 && 3 * u.unit >= 2 * u.unitCount && u.phase == QLatin1String("reconstruction")
                && 2 * u.iteration >= u.iterations) {
                m_midRunSaved = true;
                QTimer::singleShot(200, this, [this] { save(m_prefix + QStringLiteral("-live-run.png")); });
            }
            return;
        }
        // Mid-run: MetaAug's meta phase of the fourth unit, after a few image events.
        if (!m_midRunSaved && u.unit >= 3 && u.phase == QLatin1String("meta") && m_window.liveView()->data().images.size() >= 3
            && u.iteration >= 15) {
            m_midRunSaved = true;
            QTimer::singleShot(200, this, [this] { save(m_prefix + QStringLiteral("-live-run.png")); });
        }
    });
    connect(&m_window, &MainWindow::runFinished, this, [this](qint64 id, metaaug::RunStatus status) {
        std::printf("run %lld %s\n", static_cast<long long>(id), metaaug::statusName(status));
        if (m_runs.isEmpty())
            std::printf("%s\n", qPrintable(m_window.stallMonitor()->summary()));
        std::fflush(stdout);
        if (status != metaaug::RunStatus::Succeeded) {
            finish(1);
            return;
        }
        m_runs << id;
        if (m_runs.size() == 1)
            onFirstFinished();
        else
            compareAndFinish();
    });
}

bool ScreenshotDemo::answerCardDialog()
{
    auto *dialog = m_window.findChild<metaaug::ui::CardDialog *>();
    if (!dialog || !dialog->isVisible() || m_cardAnswered)
        return dialog && dialog->isVisible();
    // A model without a card: the ImageNet preset, as a user of a torchvision model would choose.
    m_cardAnswered = true;
    auto *preset = dialog->findChild<QComboBox *>(QStringLiteral("cardPreset"));
    preset->setCurrentIndex(preset->findData(QStringLiteral("imagenet")));
    QTimer::singleShot(2500, this, [this, dialog] {  // the preview is prepared on the pool
        const QString file = QDir(m_dir).filePath(m_prefix + QStringLiteral("-card-dialog.png"));
        std::printf("%s %s\n", dialog->grab().save(file) ? "saved" : "could not save", qPrintable(file));
        dialog->accept();
    });
    return true;
}

void ScreenshotDemo::onFirstFinished()
{
    // Charts replot on their timer: let the last events land first.
    QTimer::singleShot(300, this, [this] {
        save(m_prefix + QStringLiteral("-finished-run.png"));
        auto *side = m_window.liveView()->findChild<QTabWidget *>(QStringLiteral("runSideTabs"));
        side->setCurrentIndex(1);  // Results
        QTimer::singleShot(300, this, [this, side] {
            save(m_prefix + QStringLiteral("-results.png"));
            side->setCurrentIndex(0);
            if (m_spec.isEmpty())
                startRun(QStringLiteral("geniem"));
            else
                finish(0);
        });
    });
}

void ScreenshotDemo::compareAndFinish()
{
    m_window.compareRuns(m_runs);
    QTimer::singleShot(500, this, [this] {  // both reads (comparison, run list) are off the GUI thread
        m_window.runsBrowser()->selectRuns(m_runs);
        save(m_prefix + QStringLiteral("-comparison.png"));
        m_window.tabs()->setCurrentIndex(1);
        QTimer::singleShot(300, this, [this] {
            save(m_prefix + QStringLiteral("-runs.png"));
            finish(0);
        });
    });
}

void ScreenshotDemo::startRun(const QString &method)
{
    m_window.setupPanel()->setSpec(QJsonObject{{"method", method}, {"wbits", 2}, {"abits", 4}, {"calib_size", 256},
                                               {"iters", 80}, {"eval_limit", 2000}, {"seed", "0"},
                                               {"method_options", QJsonObject{{"meta_iters", 40}, {"image_every", 5}}}});
    m_window.startRun();
}

void ScreenshotDemo::save(const QString &name)
{
    const QString file = QDir(m_dir).filePath(name);
    const bool ok = m_window.grab().save(file);
    std::printf("%s %s\n", ok ? "saved" : "could not save", qPrintable(file));
    std::fflush(stdout);
}

void ScreenshotDemo::finish(int code)
{
    QTimer::singleShot(0, qApp, [code] { QApplication::exit(code); });
}
