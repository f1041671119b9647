// --screenshots DIR: drives the window through a short MetaAug run and a
// geniem run, saves the main window mid-run, the stored run and the
// comparison as PNGs in DIR, prints the event loop's lateness during the
// MetaAug run, then quits (scripts/gui_screenshots.sh runs it under Xvfb).
#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace metaaug::ui {
class MainWindow;
}

class ScreenshotDemo : public QObject {
    Q_OBJECT
public:
    ScreenshotDemo(metaaug::ui::MainWindow &window, QString dir);
    void begin();

private:
    void startRun(const QString &method);
    void save(const QString &name);
    void finish(int code);

    metaaug::ui::MainWindow &m_window;
    QString m_dir;
    QList<qint64> m_runs;
    bool m_midRunSaved = false;
};
