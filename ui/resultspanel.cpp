// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultspanel.h"

#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <iterator>

namespace metaaug::ui {

ResultsPanel::ResultsPanel(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    m_headline = new QLabel(tr("No result yet."), this);
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setWordWrap(true);
    m_metrics = new QWidget(this);
    auto *grid = new QGridLayout(m_metrics);
    grid->setContentsMargins(0, 0, 0, 0);
    int row = 0;
    for (const ResultMetric &m : resultMetrics()) {
        auto *name = new QLabel(m.label, m_metrics);
        auto *value = new QLabel(m_metrics);
        value->setObjectName(m.key);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(name, row, 0);
        grid->addWidget(value, row, 1);
        m_values[m.key] = value;
        ++row;
    }
    grid->setColumnStretch(2, 1);
    m_metrics->hide();
    m_layers = new QTableWidget(0, 6, this);
    m_layers->setObjectName(QStringLiteral("layerTable"));
    // Short headers keep the table narrow; the tooltips say what each column is.
    const std::pair<QString, QString> columns[] = {
        {tr("Layer"), tr("The conv/linear layer")},
        {tr("W"), tr("Weight bits")},
        {tr("A"), tr("Input activation bits (0: not quantized)")},
        {tr("W dB"), tr("Weight SQNR (dB): quantized vs floating-point weights")},
        {tr("Out dB"), tr("Output SQNR (dB) on 64 calibration images: the layer's output in the quantized vs the FP model")},
        {tr("Out MSE"), tr("Output MSE on the same images")}};
    for (int c = 0; c < int(std::size(columns)); ++c) {
        auto *item = new QTableWidgetItem(columns[c].first);
        item->setToolTip(columns[c].second);
        m_layers->setHorizontalHeaderItem(c, item);
    }
    m_layers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->setSortingEnabled(true);
    m_layers->verticalHeader()->setVisible(false);
    l->addWidget(m_headline);
    l->addWidget(m_metrics);
    l->addWidget(m_layers, 1);
}

void ResultsPanel::setResult(const std::optional<RunResult> &r, std::optional<RunStatus> status, const QString &error)
{
    m_layers->setSortingEnabled(false);
    m_layers->setRowCount(0);
    if (!r) {
        m_metrics->hide();
        m_headline->setText(!status ? tr("No result yet.")
                                    : tr("<b>Run %1.</b> %2").arg(QLatin1String(statusName(*status)), error.toHtmlEscaped()));
        return;
    }
    // Per-layer bits (bits auto, or layer_bits): the mean weight bits; each layer's are in the table below.
    const bool mixed = r->spec.value(QLatin1String("bits")).toString() == QLatin1String("auto") ||
                       !r->spec.value(QLatin1String("layer_bits")).toString().isEmpty();
    if (mixed && r->weightBitsAvg)
        m_headline->setText(tr("<b>%1, per-layer bits: W mean %2</b> (A%3 elsewhere), seed %4")
                                .arg(r->method).arg(*r->weightBitsAvg, 0, 'f', 2).arg(r->abits).arg(r->seed));
    else
        m_headline->setText(tr("<b>%1 W%2A%3</b>, seed %4").arg(r->method).arg(r->wbits).arg(r->abits).arg(r->seed));
    for (const ResultMetric &m : resultMetrics())
        m_values[m.key]->setText(m.key == QLatin1String("q_top1") ? QStringLiteral("<b>%1</b>").arg(m.format(*r)) : m.format(*r));
    m_metrics->show();
    m_layers->setRowCount(int(r->layers.size()));
    auto num = [](std::optional<double> v, int prec) {
        auto *it = new QTableWidgetItem;
        if (v)
            it->setData(Qt::DisplayRole, QString::number(*v, 'f', prec).toDouble());
        else
            it->setText(QStringLiteral("exact"));  // not finite: the layer is reproduced exactly
        return it;
    };
    for (int i = 0; i < int(r->layers.size()); ++i) {
        const LayerResult &l = r->layers[size_t(i)];
        m_layers->setItem(i, 0, new QTableWidgetItem(l.name));
        m_layers->setItem(i, 1, num(double(l.wbits), 0));
        m_layers->setItem(i, 2, num(double(l.abits), 0));
        m_layers->setItem(i, 3, num(l.weightSqnrDb, 2));
        m_layers->setItem(i, 4, num(l.outputSqnrDb, 2));
        auto *mse = new QTableWidgetItem;
        mse->setData(Qt::DisplayRole, QString::number(l.outputMse, 'g', 3).toDouble());
        m_layers->setItem(i, 5, mse);
    }
    m_layers->setSortingEnabled(true);
    m_layers->resizeColumnsToContents();
    Q_EMIT widthNeeded(neededWidth());
}

QString ResultsPanel::headline() const
{
    return m_headline->text();
}

QString ResultsPanel::metricText(const QString &key) const
{
    auto it = m_values.find(key);
    return it == m_values.end() ? QString() : it->second->text();
}

int ResultsPanel::neededWidth() const
{
    const QMargins m = layout()->contentsMargins();
    const int table = m_layers->horizontalHeader()->length() + 2 * m_layers->frameWidth() + m_layers->verticalScrollBar()->sizeHint().width();
    return m.left() + m.right() + std::max(m_metrics->sizeHint().width(), table);
}

}  // namespace metaaug::ui
