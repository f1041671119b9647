// SPDX-License-Identifier: GPL-3.0-or-later
#include "runcharts.h"

#include "plotstyle.h"
#include "rundata.h"

#include "events/runsink.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

#include <qcustomplot.h>

namespace metaaug::ui {

namespace {

void setGraph(QCPGraph *g, const QVector<QPointF> &pts)
{
    QVector<double> x, y;
    x.reserve(pts.size());
    y.reserve(pts.size());
    for (const QPointF &p : pts) {
        x.append(p.x());
        y.append(p.y());
    }
    g->setData(x, y, true);
}

// Rescales to the data, keeping a log axis clear of non-positive values.
void rescale(QCustomPlot *p)
{
    p->rescaleAxes(true);
    p->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace

RunCharts::RunCharts(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto make = [this](const char *name, const QString &title, const QString &x, const QString &y) {
        return makePlot(this, name, title, x, y);
    };
    m_loss = make("lossPlot", tr("Reconstruction loss per unit"), tr("iteration"), tr("loss"));
    setLogAxis(m_loss->yAxis);
    m_loss->legend->setVisible(false);
    m_probe = make("probePlot", tr("Layer error vs FP on the probe batch"), tr("iteration"), tr("SQNR (dB), solid"));
    m_probe->yAxis2->setVisible(true);
    m_probe->yAxis2->setLabel(tr("MSE, dashed"));
    setLogAxis(m_probe->yAxis2);
    m_meta = make("metaPlot", tr("Method: warm-up and meta terms (dashed: targets)"), tr("warm-up / meta step"), tr("value"));
    setLogAxis(m_meta->yAxis);
    m_sqnr = make("sqnrPlot", tr("Per-layer output SQNR"), QString(), tr("dB"));
    m_sqnr->legend->setVisible(false);
    m_sqnr->xAxis->setTickLabelRotation(90);
    auto *bars = new QCPBars(m_sqnr->xAxis, m_sqnr->yAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(seriesColor(0));

    m_probeUnit = new QComboBox(this);
    m_probeUnit->setObjectName(QStringLiteral("probeUnit"));
    m_probeUnit->setToolTip(tr("Unit whose layers are shown: the one being reconstructed, or any finished one"));
    auto *probeBox = new QWidget(this);
    auto *pl = new QVBoxLayout(probeBox);
    pl->setContentsMargins(0, 0, 0, 0);
    pl->addWidget(m_probeUnit);
    pl->addWidget(m_probe, 1);

    connect(m_probeUnit, &QComboBox::activated, this, &RunCharts::refreshRequested);
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(probeBox, 0, 1);
    grid->addWidget(m_meta, 1, 0);
    grid->addWidget(m_sqnr, 1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    m_sqnr->setMinimumHeight(300);
    clear();
}

void RunCharts::clear()
{
    for (QCustomPlot *p : {m_loss, m_probe, m_meta}) {
        p->clearGraphs();
        p->replot();
    }
    // A new run starts from empty axes: no ranges or layer names of the last one.
    for (QCustomPlot *p : {m_loss, m_probe, m_meta, m_sqnr}) {
        p->xAxis->setRange(0, 1);
        p->yAxis->setRange(0, 1);
    }
    static_cast<QCPBars *>(m_sqnr->plottable(0))->data()->clear();
    setCategoryTicks(m_sqnr, {});
    m_sqnr->replot();
    m_probeUnit->clear();
    m_probeUnit->addItem(tr("Current unit"), -1);
    m_lastProbeUnits = -1;
    m_lossKey = m_probeKey = m_metaKey = -1;
    m_bars.clear();
}

void RunCharts::refresh(const RunData &d)
{
    const int current = d.currentUnit();
    refreshLoss(d, current);
    if (int(d.probeSqnr.size()) != m_lastProbeUnits) {
        m_lastProbeUnits = int(d.probeSqnr.size());
        const int chosen = m_probeUnit->currentData().toInt();
        m_probeUnit->blockSignals(true);
        while (m_probeUnit->count() > 1)
            m_probeUnit->removeItem(1);
        for (const auto &[unit, layers] : d.probeSqnr) {
            auto it = d.unitNames.find(unit);
            m_probeUnit->addItem(tr("Unit %1 %2").arg(unit + 1).arg(it == d.unitNames.end() ? QString() : it->second), unit);
        }
        m_probeUnit->setCurrentIndex(std::max(0, m_probeUnit->findData(chosen)));
        m_probeUnit->blockSignals(false);
    }
    const int chosen = m_probeUnit->currentData().toInt();
    const int shown = chosen >= 0 ? chosen : (d.probeSqnr.count(current) ? current : (d.probeSqnr.empty() ? -1 : d.probeSqnr.rbegin()->first));
    auto name = d.unitNames.find(shown);
    m_probeUnit->setItemText(0, shown < 0 ? tr("Current unit") : tr("Current unit (shown: %1 %2)").arg(shown + 1)
                                                                   .arg(name == d.unitNames.end() ? QString() : name->second));
    refreshProbe(d, shown);
    refreshMeta(d);
    refreshSqnr(d);
}

void RunCharts::refreshLoss(const RunData &d, int current)
{
    qint64 key = current;
    for (const auto &[unit, pts] : d.reconLoss)
        key += qint64(pts.size()) << 8;
    if (key == m_lossKey)
        return;
    m_lossKey = key;
    int i = 0;
    for (const auto &[unit, pts] : d.reconLoss) {
        QCPGraph *g = i < m_loss->graphCount() ? m_loss->graph(i) : m_loss->addGraph();
        setGraph(g, pts);
        const bool cur = unit == current;
        g->setPen(cur ? QPen(seriesColor(3), 2.0) : QPen(QColor(120, 120, 120, 110), 1.0));
        auto it = d.unitNames.find(unit);
        g->setName(it == d.unitNames.end() ? QString::number(unit + 1) : it->second);
        ++i;
    }
    rescale(m_loss);
}

void RunCharts::refreshProbe(const RunData &d, int unit)
{
    qint64 key = unit + 1;
    if (auto it = d.probeSqnr.find(unit); it != d.probeSqnr.end())
        for (const auto &[layer, pts] : it->second)
            key += qint64(pts.size()) << 8;
    if (key == m_probeKey)
        return;
    m_probeKey = key;
    m_probe->clearGraphs();
    auto sq = d.probeSqnr.find(unit);
    auto mse = d.probeMse.find(unit);
    if (sq != d.probeSqnr.end()) {
        int i = 0;
        for (const auto &[layer, pts] : sq->second) {
            QCPGraph *g = m_probe->addGraph(m_probe->xAxis, m_probe->yAxis);
            setGraph(g, pts);
            g->setPen(QPen(seriesColor(i), 1.8));
            g->setName(layer);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
            if (mse != d.probeMse.end() && mse->second.count(layer)) {
                QCPGraph *m = m_probe->addGraph(m_probe->xAxis, m_probe->yAxis2);
                setGraph(m, mse->second.at(layer));
                m->setPen(QPen(seriesColor(i), 1.0, Qt::DashLine));
                m->removeFromLegend();
            }
            ++i;
        }
    }
    rescale(m_probe);
}

void RunCharts::refreshMeta(const RunData &d)
{
    if (d.metaSteps == m_metaKey)
        return;
    m_metaKey = d.metaSteps;
    // Series and reference lines as the method's events declare them
    // (ProgressEvent::values: "ref." keys are dashed reference lines).
    const QString refPrefix = QLatin1String(ProgressEvent::kRefPrefix);
    int i = 0;
    for (const auto &[key, pts] : d.metaTerms) {
        QCPGraph *g = i < m_meta->graphCount() ? m_meta->graph(i) : m_meta->addGraph();
        setGraph(g, pts);
        const bool ref = key.startsWith(refPrefix);
        g->setPen(QPen(ref ? QColor(60, 60, 60) : seriesColor(i), ref ? 1.4 : 1.2, ref ? Qt::DashLine : Qt::SolidLine));
        g->setName(ref ? key.mid(refPrefix.size()) + tr(" (target)") : key);
        ++i;
    }
    rescale(m_meta);
}

void RunCharts::refreshSqnr(const RunData &d)
{
    // Final whole-model SQNR once evaluated; before that, each finished
    // unit's last probe sample (its layers' output SQNR with earlier units
    // quantized), so the bars fill in unit by unit.
    QVector<QPair<QString, double>> bars = d.layerSqnr;
    if (bars.isEmpty())
        for (const auto &[unit, layers] : d.probeSqnr) {
            if (unit == d.currentUnit() && d.status == RunStatus::Running)
                continue;
            for (const auto &[layer, pts] : layers)
                if (!pts.isEmpty())
                    bars.append({layer, pts.last().y()});
        }
    if (bars == m_bars)
        return;
    m_bars = bars;
    auto *b = static_cast<QCPBars *>(m_sqnr->plottable(0));
    QVector<double> keys, values;
    QStringList names;
    for (int i = 0; i < bars.size(); ++i) {
        keys.append(i);
        values.append(std::isfinite(bars[i].second) ? bars[i].second : 0.0);
        names << bars[i].first;
    }
    setCategoryTicks(m_sqnr, names);
    b->setData(keys, values, true);
    rescale(m_sqnr);
    m_sqnr->xAxis->setRange(-0.7, std::max<double>(1, bars.size()) - 0.3);
}

}  // namespace metaaug::ui
