// SPDX-License-Identifier: GPL-3.0-or-later
// The calibration (and evaluation) data: source, image count, classes,
// skipped files and a few sample thumbnails.
#pragma once

#include <QtGui/QImage>
#include <QtWidgets/QWidget>

class QLabel;
class QListWidget;

namespace metaaug {
struct DataSummary;
}

namespace metaaug::ui {

class DataPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataPanel(QWidget *parent = nullptr);

    void setCalibration(const DataSummary &summary);
    void setCalibrationMessage(const QString &text);
    void setEvaluation(const QString &source, qint64 count, const QString &message = {});
    // Warnings about the data against the open model (class mismatch), in red; empty clears them.
    void setWarnings(const QStringList &warnings);
    QString warningsText() const;
    QString calibrationText() const;
    QListWidget *thumbnails() const { return m_thumbs; }
    QListWidget *skippedList() const { return m_skipped; }

private:
    QLabel *m_calib, *m_eval, *m_warnings;
    QListWidget *m_thumbs, *m_skipped;
};

}  // namespace metaaug::ui
