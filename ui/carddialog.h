// SPDX-License-Identifier: GPL-3.0-or-later
// Asks for a model card when a model comes without one: a card preset (core's
// table) or values of one's own, started from the input shape the file
// declares, with a preview of the first calibration image as the model will
// see it (prepared on the thread pool). Accepting writes the card: beside the
// model when asked and possible, else into the workbench's own data folder,
// so every run can record the card it used.
#pragma once

#include <QtCore/QJsonObject>
#include <QtWidgets/QDialog>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace metaaug::ui {

class CardDialog : public QDialog {
    Q_OBJECT
public:
    CardDialog(const QString &modelPath, const std::vector<int64_t> &declaredInput, const QString &calibSource,
               QWidget *parent = nullptr);

    // The card as entered (card keys).
    QJsonObject cardJson() const;
    // Where accept() wrote it.
    const QString &cardPath() const { return m_written; }

    void accept() override;

private:
    void applyPreset();
    void schedulePreview();
    void showPreview();

    QString m_modelPath, m_calibSource, m_written;
    QComboBox *m_preset;
    QSpinBox *m_channels, *m_height, *m_width, *m_resize;
    QLineEdit *m_mean, *m_std;
    QCheckBox *m_beside;
    QLabel *m_preview, *m_status;
    QTimer *m_previewTimer;
    int m_previewGeneration = 0;
};

}  // namespace metaaug::ui
