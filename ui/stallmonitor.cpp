// SPDX-License-Identifier: GPL-3.0-or-later
#include "stallmonitor.h"

#include <algorithm>
#include <cmath>

namespace metaaug::ui {

namespace {
constexpr int kIntervalMs = 10;
}

StallMonitor::StallMonitor(QObject *parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallMonitor::tick);
}

void StallMonitor::start()
{
    m_lateMs.clear();
    m_clock.start();
    m_expectedNs = qint64(kIntervalMs) * 1000000;
    m_timer.start();
}

void StallMonitor::stop()
{
    m_timer.stop();
}

void StallMonitor::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_lateMs.push_back(std::max<qint64>(0, now - m_expectedNs) / 1e6);
    // The next tick is due one interval after this one fired: lateness is
    // measured per tick, not accumulated.
    m_expectedNs = now + qint64(kIntervalMs) * 1000000;
}

double StallMonitor::percentileMs(double p) const
{
    if (m_lateMs.empty())
        return 0;
    std::vector<double> v = m_lateMs;
    const size_t k = std::min(v.size() - 1, size_t(std::ceil(p / 100.0 * double(v.size()))) - (p > 0 ? 1 : 0));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

double StallMonitor::maxMs() const
{
    return m_lateMs.empty() ? 0 : *std::max_element(m_lateMs.begin(), m_lateMs.end());
}

QString StallMonitor::summary() const
{
    return QStringLiteral("event-loop lateness p50 %1 ms, p99 %2 ms, max %3 ms over %4 ticks of 10 ms")
        .arg(percentileMs(50), 0, 'f', 1).arg(percentileMs(99), 0, 'f', 1).arg(maxMs(), 0, 'f', 1).arg(samples());
}

}  // namespace metaaug::ui
