// SPDX-License-Identifier: GPL-3.0-or-later
// The Analysis tab's per-layer bit editor: one row per layer with its
// weights, MACs, and its weight and input bits as spin boxes; the budget
// figures (mean weight bits, packed weight bytes, BOPs: analysis/costs.h,
// the same figures a run reports) update live as bits are edited. Layers
// that read one activation point share its bits: editing one input edits all.
#pragma once

#include "analysis/costs.h"
#include "quant/layerbitsmap.h"

#include <QtWidgets/QWidget>

#include <set>

class QLabel;
class QTableWidget;

namespace metaaug::ui {

class BitEditor : public QWidget {
    Q_OBJECT
public:
    explicit BitEditor(QWidget *parent = nullptr);

    // The layers at the plan's bits; `pinned` ones (the policy's first and
    // last) are marked, and stay editable.
    void setLayers(const std::vector<analysis::PlannedLayer> &layers, const std::set<QString> &pinned = {});
    // Weight bits (and input bits where not 0) of the named layers; others keep theirs.
    void setBits(const quant::LayerBitsMap &bits);
    // Every layer's weight bits, with its input bits where they differ from the plan's.
    quant::LayerBitsMap bits() const;
    analysis::BudgetFigures figures() const;
    QString figuresText() const;

    QTableWidget *table() const { return m_table; }
    // Test access: sets one layer's weight (column kWeight) or input (kInput) bits as a user would.
    void setCell(int row, int column, int bits);
    static constexpr int kWeight = 3, kInput = 4;

Q_SIGNALS:
    void changed();

private:
    int spinValue(int row, int column) const;
    void onEdited(int row, int column, int value);

    QTableWidget *m_table;
    QLabel *m_figures;
    std::vector<analysis::PlannedLayer> m_layers;  // as planned (the reference for bits())
    bool m_updating = false;
};

}  // namespace metaaug::ui
