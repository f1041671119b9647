// SPDX-License-Identifier: GPL-3.0-or-later
#include "frontchart.h"

#include "plotstyle.h"

#include <QtWidgets/QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace metaaug::ui {

namespace {
constexpr double kClickRadius = 12;  // px: a click this near a front point chooses it
}

FrontChart::FrontChart(QWidget *parent) : QWidget(parent)
{
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("frontPlot"));
    stylePlot(m_plot, tr("Pareto front: bits vs predicted loss (click a point to use it)"), tr("mean weight bits"),
              tr("predicted KL (sum of per-layer effects)"));
    setLogAxis(m_plot->yAxis);
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("measured top-1 (%)"));
    m_front = m_plot->addGraph();
    m_front->setName(tr("predicted KL"));
    m_front->setPen(QPen(seriesColor(0), 1.5));
    m_front->setLineStyle(QCPGraph::lsStepLeft);
    m_front->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    m_chosen = m_plot->addGraph();
    m_chosen->setName(tr("chosen"));
    m_chosen->setLineStyle(QCPGraph::lsNone);
    m_chosen->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), Qt::NoBrush, 11));
    m_measuredFront = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_measuredFront->setName(tr("top-1, front point run"));
    m_measuredFront->setLineStyle(QCPGraph::lsNone);
    m_measuredFront->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, seriesColor(1), seriesColor(1), 9));
    m_measuredOther = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_measuredOther->setName(tr("top-1, other runs (uniform bits)"));
    m_measuredOther->setLineStyle(QCPGraph::lsNone);
    m_measuredOther->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangle, seriesColor(2), seriesColor(2), 8));
    m_plot->setInteractions({});  // a click chooses; no drag or zoom to fight it
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent *e) {
        const int i = pointAt(e->position());
        if (i < 0)
            return;
        m_chosen->setData(QVector<double>{m_points[size_t(i)].first}, QVector<double>{m_points[size_t(i)].second});
        m_plot->replot();
        Q_EMIT pointClicked(i);
    });
}

int FrontChart::frontSize() const
{
    return int(m_points.size());
}

void FrontChart::setFront(const std::vector<std::pair<double, double>> &points)
{
    m_points = points;
    m_onFront.clear();
    m_offFront.clear();
    QVector<double> x, y;
    for (const auto &[bits, kl] : points) {
        x << bits;
        y << std::max(kl, 1e-9);
    }
    m_front->setData(x, y);
    m_chosen->data()->clear();
    if (!points.empty()) {
        m_plot->xAxis->setRange(x.front() - 0.1, x.back() + 0.1);
        const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
        m_plot->yAxis->setRange(*lo / 2, *hi * 2);
    }
    redrawMeasured();
}

void FrontChart::addMeasured(int index, double avgBits, double top1)
{
    if (index >= 0 && index < frontSize())
        m_onFront[index] = top1;
    else
        m_offFront.emplace_back(avgBits, top1);
    redrawMeasured();
}

void FrontChart::clear()
{
    setFront({});
}

void FrontChart::redrawMeasured()
{
    QVector<double> fx, fy, ox, oy;
    for (const auto &[i, top1] : m_onFront) {
        fx << m_points[size_t(i)].first;
        fy << top1;
    }
    for (const auto &[bits, top1] : m_offFront) {
        ox << bits;
        oy << top1;
    }
    m_measuredFront->setData(fx, fy);
    m_measuredOther->setData(ox, oy);
    if (!fy.isEmpty() || !oy.isEmpty()) {
        double lo = 100, hi = 0;
        for (double v : fy + oy) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        m_plot->yAxis2->setRange(lo - 1, hi + 1);
    }
    m_plot->replot();
}

int FrontChart::pointAt(const QPointF &pos) const
{
    int best = -1;
    double bestD = kClickRadius;
    for (size_t i = 0; i < m_points.size(); ++i) {
        const double px = m_plot->xAxis->coordToPixel(m_points[i].first);
        const double py = m_plot->yAxis->coordToPixel(std::max(m_points[i].second, 1e-9));
        const double d = std::hypot(px - pos.x(), py - pos.y());
        if (d <= bestD) {
            bestD = d;
            best = int(i);
        }
    }
    return best;
}

}  // namespace metaaug::ui
