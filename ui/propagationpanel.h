// SPDX-License-Identifier: GPL-3.0-or-later
// Why a run lost accuracy (docs/inspector.md): the error-propagation table,
// ranked by the noise each layer injects and coloured by it, and the
// diagnosis with the experiment each finding suggests.
#pragma once

#include "run/runresult.h"

#include <QtWidgets/QWidget>

#include <optional>

class QLabel;
class QTableWidget;

namespace metaaug::ui {

class PropagationPanel : public QWidget {
    Q_OBJECT
public:
    explicit PropagationPanel(QWidget *parent = nullptr);

    // A result without a table (stored before it, or none yet) shows a note.
    void setResult(const std::optional<RunResult> &result);
    QTableWidget *table() const { return m_table; }
    // The diagnosis as shown: one line per finding, or the note.
    QString diagnosisText() const;
    QString note() const;

private:
    QLabel *m_note;
    QTableWidget *m_table;
    QLabel *m_diagnosis;
};

}  // namespace metaaug::ui
