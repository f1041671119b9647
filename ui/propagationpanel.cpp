// SPDX-License-Identifier: GPL-3.0-or-later
#include "propagationpanel.h"

#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <iterator>
#include <limits>

namespace metaaug::ui {

namespace {

// Injected noise in dB onto a colour: −40 dB and below pale, 0 dB (noise as
// strong as the signal) saturated red.
QColor heat(double injectedDb)
{
    const double t = std::clamp((injectedDb + 40.0) / 40.0, 0.0, 1.0);
    return QColor::fromHsvF(0.0, 0.08 + 0.62 * t, 1.0);
}

// A number that sorts as a number; an absent figure shows `none` and sorts
// below every number.
class NumberItem final : public QTableWidgetItem {
public:
    NumberItem(const std::optional<double> &v, const QString &none, int decimals)
        : QTableWidgetItem(v ? QString::number(*v, 'f', decimals) : none)
    {
        setData(Qt::UserRole, v ? *v : -std::numeric_limits<double>::infinity());
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    bool operator<(const QTableWidgetItem &other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

QTableWidgetItem *number(const std::optional<double> &v, const QString &none, int decimals = 2)
{
    return new NumberItem(v, none, decimals);
}

}  // namespace

PropagationPanel::PropagationPanel(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    m_note = new QLabel(tr("No result yet."), this);
    m_note->setObjectName(QStringLiteral("propagationNote"));
    m_note->setWordWrap(true);
    const std::pair<QString, QString> columns[] = {
        {tr("Layer"), tr("The conv/linear layer")},
        {tr("Injected dB"), tr("The noise this layer adds over the signal (dB; 0 dB: as strong as the signal). The table is ranked by it.")},
        {tr("In dB"), tr("SQNR of the layer's input in the quantized model, before its own quantizer: the error that reaches it")},
        {tr("Out dB"), tr("SQNR of the layer's output in the quantized model: the error that leaves it")},
        {tr("Drop"), tr("In − Out (dB): how much SQNR falls across the layer")},
        {tr("Local dB"), tr("This layer alone quantized, on FP input")},
        {tr("W dB"), tr("Only its weights quantized, on FP input")},
        {tr("A dB"), tr("Only its input quantized, FP weights")},
        {tr("Cosine"), tr("Cosine similarity of the FP and quantized outputs")}};
    m_table = new QTableWidget(0, int(std::size(columns)), this);
    m_table->setObjectName(QStringLiteral("propagationTable"));
    for (int c = 0; c < int(std::size(columns)); ++c) {
        auto *item = new QTableWidgetItem(columns[c].first);
        item->setToolTip(columns[c].second);
        m_table->setHorizontalHeaderItem(c, item);
    }
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_diagnosis = new QLabel(this);
    m_diagnosis->setObjectName(QStringLiteral("diagnosis"));
    m_diagnosis->setWordWrap(true);
    m_diagnosis->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->addWidget(m_note);
    l->addWidget(m_table, 1);
    l->addWidget(m_diagnosis);
    setResult(std::nullopt);
}

void PropagationPanel::setResult(const std::optional<RunResult> &result)
{
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    m_diagnosis->clear();
    if (!result || result->propagation.empty()) {
        m_note->setText(result ? tr("This run has no error-propagation table: it was stored by a version before it. "
                                    "Rerun it (Runs ▸ Rerun) to see where it loses accuracy.")
                               : tr("No result yet."));
        m_note->show();
        m_table->hide();
        return;
    }
    m_note->setText(tr("Where the run loses accuracy, on its first 64 calibration images: ranked by the noise each layer "
                       "injects (docs/inspector.md)."));
    m_table->show();
    const std::vector<analysis::LayerPropagation> rows = analysis::rankedByInjected(result->propagation);
    m_table->setRowCount(int(rows.size()));
    const QString exact = tr("exact"), none = tr("–");
    for (int i = 0; i < int(rows.size()); ++i) {
        const analysis::LayerPropagation &p = rows[size_t(i)];
        m_table->setItem(i, 0, new QTableWidgetItem(p.layer));
        m_table->setItem(i, 1, number(p.injectedDb, none));
        m_table->setItem(i, 2, number(p.inputDb, exact));
        m_table->setItem(i, 3, number(p.outputDb, exact));
        m_table->setItem(i, 4, number(p.dropDb, none));
        m_table->setItem(i, 5, number(p.localDb, exact));
        m_table->setItem(i, 6, number(p.localWeightDb, exact));
        m_table->setItem(i, 7, number(p.localActivationDb, exact));
        m_table->setItem(i, 8, number(p.outputCosine, none, 4));
        if (p.injectedDb)
            for (int c = 0; c < 2; ++c)
                m_table->item(i, c)->setBackground(heat(*p.injectedDb));
    }
    m_table->setSortingEnabled(true);
    m_table->sortItems(1, Qt::DescendingOrder);
    QStringList lines;
    for (const analysis::Finding &f : result->findings)
        lines << tr("<b>%1</b>: %2. <i>Try:</i> %3.").arg(f.check.toHtmlEscaped(), f.detail.toHtmlEscaped(), f.experiment.toHtmlEscaped());
    m_diagnosis->setText(lines.isEmpty() ? tr("Diagnosis: nothing found.") : tr("Diagnosis:<br>") + lines.join(QStringLiteral("<br>")));
}

QString PropagationPanel::diagnosisText() const { return m_diagnosis->text(); }

QString PropagationPanel::note() const { return m_note->text(); }

}  // namespace metaaug::ui
