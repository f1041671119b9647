// SPDX-License-Identifier: GPL-3.0-or-later
// --screenshots DIR: drives the window through a short MetaAug run and a
// geniem run, saves the main window mid-run, the stored run and the
// comparison as PNGs in DIR, prints the event loop's lateness during the
// MetaAug run, then quits (scripts/gui_screenshots.sh runs it under Xvfb).
// With a spec (--screenshot-spec), it runs that one spec on the model and
// data given instead: the window before, during (two thirds through the
// units) and after the run, named PREFIX-*.png (scripts/gui_realsize.sh);
// a card dialog, if the model has no card, is answered with the ImageNet
// preset and saved as PREFIX-card-dialog.png.
#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>

namespace metaaug::ui {
class MainWindow;
}

class ScreenshotDemo : public QObject {
    Q_OBJECT
public:
    ScreenshotDemo(metaaug::ui::MainWindow &window, QString dir, QJsonObject spec = {}, QString prefix = QStringLiteral("workbench"));
    void begin();

private:
    void startRun(const QString &method);
    bool answerCardDialog();  // true while a card dialog is up
    void onFirstFinished();
    void compareAndFinish();
    void save(const QString &name);
    void finish(int code);

    metaaug::ui::MainWindow &m_window;
    QString m_dir;
    QJsonObject m_spec;  // empty: the bundled MetaAug + geniem pair
    QString m_prefix;
    QList<qint64> m_runs;
    bool m_midRunSaved = false;
    bool m_cardAnswered = false;
    QElapsedTimer m_clock;
};
