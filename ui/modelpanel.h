// SPDX-License-Identifier: GPL-3.0-or-later
// The loaded model as a tree: units and their layers, with shapes and
// parameter counts (from the graph engine).
#pragma once

#include "model/modelsummary.h"

#include <QtWidgets/QWidget>

class QLabel;
class QTreeWidget;

namespace metaaug::ui {

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget *parent = nullptr);

    void setSummary(const ModelSummary &summary);
    void setMessage(const QString &text);  // loading, or why there is no model
    QTreeWidget *tree() const { return m_tree; }

private:
    QLabel *m_header;
    QTreeWidget *m_tree;
};

}  // namespace metaaug::ui
