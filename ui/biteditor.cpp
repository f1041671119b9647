// SPDX-License-Identifier: GPL-3.0-or-later
#include "biteditor.h"

#include <QtCore/QLocale>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
// An input spin box's value below kMinBits stands for FP (shown "FP").
constexpr int kFpValue = quant::kMinBits - 1;

QTableWidgetItem *readOnly(const QString &text, bool number)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
}  // namespace

BitEditor::BitEditor(QWidget *parent) : QWidget(parent)
{
    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName(QStringLiteral("bitEditorTable"));
    m_table->setHorizontalHeaderLabels({tr("layer"), tr("weights"), tr("MACs"), tr("W bits"), tr("A bits")});
    m_table->horizontalHeaderItem(kInput)->setToolTip(tr("Bits of the layer's input. Layers that read the same tensor share them; "
                                                         "the image stays FP."));
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_figures = new QLabel(this);
    m_figures->setObjectName(QStringLiteral("bitEditorFigures"));
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_figures);
}

void BitEditor::setLayers(const std::vector<analysis::PlannedLayer> &layers, const std::set<QString> &pinned)
{
    m_updating = true;
    m_layers = layers;
    m_table->setRowCount(int(layers.size()));
    const QLocale locale;
    for (int row = 0; row < int(layers.size()); ++row) {
        const analysis::PlannedLayer &l = layers[size_t(row)];
        auto *name = readOnly(l.cost.name, false);
        if (pinned.count(l.cost.name))
            name->setToolTip(tr("The bit policy keeps this layer at its bits in a uniform run (first and last layers)."));
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, readOnly(locale.toString(qlonglong(l.cost.parameters)), true));
        m_table->setItem(row, 2, readOnly(locale.toString(qlonglong(l.cost.macs)), true));
        for (int column : {kWeight, kInput}) {
            auto *spin = new QSpinBox(m_table);
            // Only the image's readers show FP: layer_bits can change a quantized input's bits, not unquantize it.
            spin->setRange(column == kWeight || l.inputBits > 0 ? quant::kMinBits : kFpValue, quant::kMaxBits);
            if (column == kInput) {
                spin->setSpecialValueText(tr("FP"));
                spin->setEnabled(l.inputBits > 0);  // the image, kept FP by the policy
            }
            spin->setValue(column == kWeight ? l.weightBits : l.inputBits > 0 ? l.inputBits : kFpValue);
            connect(spin, &QSpinBox::valueChanged, this, [this, row, column](int v) { onEdited(row, column, v); });
            m_table->setCellWidget(row, column, spin);
        }
    }
    m_table->resizeColumnsToContents();
    m_updating = false;
    m_figures->setText(figuresText());
}

int BitEditor::spinValue(int row, int column) const
{
    return static_cast<QSpinBox *>(m_table->cellWidget(row, column))->value();
}

void BitEditor::setCell(int row, int column, int bits)
{
    static_cast<QSpinBox *>(m_table->cellWidget(row, column))->setValue(bits);
}

void BitEditor::onEdited(int row, int column, int value)
{
    if (m_updating)
        return;
    if (column == kInput) {  // one point, one width: its other readers follow
        m_updating = true;
        const int point = m_layers[size_t(row)].inputPoint;
        for (int r = 0; r < int(m_layers.size()); ++r)
            if (r != row && point >= 0 && m_layers[size_t(r)].inputPoint == point)
                setCell(r, kInput, value);
        m_updating = false;
    }
    m_figures->setText(figuresText());
    Q_EMIT changed();
}

void BitEditor::setBits(const quant::LayerBitsMap &bits)
{
    m_updating = true;
    for (int row = 0; row < int(m_layers.size()); ++row) {
        auto it = bits.find(m_layers[size_t(row)].cost.name);
        if (it == bits.end())
            continue;
        if (it->second.weight)
            setCell(row, kWeight, it->second.weight);
        if (it->second.activation && m_layers[size_t(row)].inputBits > 0)
            setCell(row, kInput, it->second.activation);
    }
    m_updating = false;
    m_figures->setText(figuresText());
    Q_EMIT changed();
}

quant::LayerBitsMap BitEditor::bits() const
{
    quant::LayerBitsMap out;
    for (int row = 0; row < int(m_layers.size()); ++row) {
        const analysis::PlannedLayer &l = m_layers[size_t(row)];
        const int a = spinValue(row, kInput);
        out[l.cost.name] = {spinValue(row, kWeight), l.inputBits > 0 && a != l.inputBits ? a : 0};
    }
    return out;
}

analysis::BudgetFigures BitEditor::figures() const
{
    std::vector<analysis::PlannedLayer> edited = m_layers;
    for (int row = 0; row < int(edited.size()); ++row) {
        edited[size_t(row)].weightBits = spinValue(row, kWeight);
        const int a = spinValue(row, kInput);
        edited[size_t(row)].inputBits = a == kFpValue ? 0 : a;
    }
    return analysis::budgetFigures(edited);
}

QString BitEditor::figuresText() const
{
    if (m_layers.empty())
        return tr("No model analysed yet.");
    const analysis::BudgetFigures f = figures();
    return tr("Mean weight bits %1 · weights %2 (packed) · %3 GBOPs per image")
        .arg(f.weightBitsAvg, 0, 'f', 3)
        .arg(QLocale().formattedDataSize(f.weightBytes, 1, QLocale::DataSizeTraditionalFormat))
        .arg(f.bops / 1e9, 0, 'f', 3);
}

}  // namespace metaaug::ui
