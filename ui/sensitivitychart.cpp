// SPDX-License-Identifier: GPL-3.0-or-later
#include "sensitivitychart.h"

#include "plotstyle.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <set>

namespace metaaug::ui {

namespace {
constexpr int kRowHeight = 18;   // px per layer: one line of tick label
constexpr int kChartMargin = 90; // px for the title, the KL axis and the legend
}  // namespace

SensitivityChart::SensitivityChart(QWidget *parent) : QWidget(parent)
{
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("sensitivityKind"));
    m_kind->addItem(tr("Weights, one layer at a time"), int(analysis::SensitivityKind::Weight));
    m_kind->addItem(tr("Activations, one input point at a time"), int(analysis::SensitivityKind::Activation));
    m_kind->setToolTip(tr("Each bar: the mean KL divergence of the model's output from FP when only this layer's weight (or "
                          "only this input) is quantized with RTN at the bar's bit-width."));
    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("sensitivityPlot"));
    stylePlot(m_plot, tr("Sensitivity (RTN, one at a time)"), tr("KL to FP (nats, log)"), QString());
    m_plot->setInteraction(QCP::iRangeDrag, false);
    m_plot->setInteraction(QCP::iRangeZoom, false);
    setLogAxis(m_plot->xAxis);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_plot);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_kind, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_scroll, 1);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &SensitivityChart::redraw);
}

void SensitivityChart::setRecords(const std::vector<analysis::SensitivityRecord> &records)
{
    m_records = records;
    redraw();
}

void SensitivityChart::clear()
{
    setRecords({});
}

void SensitivityChart::showKind(analysis::SensitivityKind kind)
{
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(int(kind))));
}

analysis::SensitivityKind SensitivityChart::kind() const
{
    return analysis::SensitivityKind(m_kind->currentData().toInt());
}

void SensitivityChart::redraw()
{
    m_plot->clearPlottables();
    const analysis::SensitivityKind k = kind();
    m_rows.clear();
    std::set<int> bits;
    for (const auto &r : m_records) {
        if (r.kind != k)
            continue;
        if (!m_rows.contains(r.target))
            m_rows << r.target;
        bits.insert(r.bits);
    }
    m_bits.assign(bits.begin(), bits.end());
    const int n = int(m_rows.size());
    // Row i (the i-th layer) at y = n - 1 - i: the first layer on top.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < n; ++i)
        ticker->addTick(n - 1 - i, m_rows[i]);
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setTickLabelFont(font());
    m_plot->yAxis->setRange(-0.6, std::max(n, 1) - 0.4);
    auto *group = new QCPBarsGroup(m_plot);
    group->setSpacing(0);
    const double width = 0.8 / std::max<size_t>(1, m_bits.size());
    double lo = 1e30, hi = 0;
    for (size_t b = 0; b < m_bits.size(); ++b) {
        auto *bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);  // horizontal: keys on y
        bars->setName(tr("%1 bits").arg(m_bits[b]));
        bars->setWidth(width);
        bars->setBarsGroup(group);
        bars->setBaseValue(kKlFloor);
        const QColor c = seriesColor(int(b));
        bars->setBrush(c);
        bars->setPen(QPen(c.darker(130)));
        QVector<double> keys, values;
        for (const auto &r : m_records) {
            if (r.kind != k || r.bits != m_bits[b])
                continue;
            const double v = std::max(r.kl, kKlFloor);
            keys << n - 1 - m_rows.indexOf(r.target);
            values << v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        bars->setData(keys, values);
    }
    if (hi > 0)
        m_plot->xAxis->setRange(std::max(kKlFloor, lo / 2), hi * 2);
    m_plot->legend->setVisible(!m_bits.empty());
    m_plot->setMinimumHeight(kChartMargin + n * kRowHeight);
    m_plot->replot();
}

}  // namespace metaaug::ui
