// SPDX-License-Identifier: GPL-3.0-or-later
#include "runprogress.h"

#include <algorithm>
#include <cmath>

namespace metaaug {

QString formatDuration(double s)
{
    if (!std::isfinite(s) || s < 0)
        return QStringLiteral("–");
    const qint64 t = qint64(s + 0.5);
    return t >= 3600 ? QStringLiteral("%1:%2:%3").arg(t / 3600).arg(t / 60 % 60, 2, 10, QLatin1Char('0')).arg(t % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

bool RunProgress::add(const ProgressEvent &e)
{
    const bool newStep = !m_any || e.phase != m_last.phase || e.unit != m_last.unit || e.detail != m_last.detail;
    if (newStep) {
        m_previousElapsed = m_any ? m_last.elapsedSeconds : 0.0;
        m_firstElapsed = e.elapsedSeconds;
        m_firstIteration = e.iteration;
    }
    m_last = e;
    m_any = true;
    return newStep;
}

double RunProgress::stepFraction() const
{
    const ProgressEvent &e = m_last;
    if (e.phase == RunPhase::Done)
        return 1;
    if (e.iterations <= 0)
        return -1;
    // A setup event announces step k as it begins: k - 1 are done.
    const int done = e.phase == RunPhase::Setup ? e.iteration - 1 : e.iteration;
    return std::clamp(double(done) / e.iterations, 0.0, 1.0);
}

double RunProgress::stepSecondsLeft(double now) const
{
    const ProgressEvent &e = m_last;
    // Setup steps differ too much from one another for a pace.
    if (e.phase == RunPhase::Setup || e.phase == RunPhase::Done || e.iterations <= 0 || e.iteration <= 0)
        return NAN;
    // The pace of the step's own events; with one event so far, the time
    // since the event before it (the step began about then).
    double perIteration = 0;
    if (e.iteration > m_firstIteration)
        perIteration = (e.elapsedSeconds - m_firstElapsed) / (e.iteration - m_firstIteration);
    else
        perIteration = (e.elapsedSeconds - m_previousElapsed) / e.iteration;
    const double sinceLast = std::max(0.0, now - e.elapsedSeconds);
    return std::max(0.0, perIteration * (e.iterations - e.iteration) - sinceLast);
}

QString RunProgress::text(double now) const
{
    QString s = stepText();
    const double left = stepSecondsLeft(now);
    if (std::isfinite(left)) {
        s += QStringLiteral(" · ETA ~") + formatDuration(left);
        // The warm-up stops once MSE(T(x), x) is near eps, often before its step limit.
        if (m_last.phase == RunPhase::Warmup)
            s += QStringLiteral(" (at most)");
    }
    return s;
}

QString RunProgress::stepText() const
{
    if (!m_any)
        return QString();
    const ProgressEvent &e = m_last;
    const QString count = e.iterations > 0 ? QStringLiteral("%1/%2").arg(e.iteration).arg(e.iterations) : QString();
    QString unit;
    if (e.unit >= 0)
        unit = QStringLiteral("unit %1/%2%3 · ").arg(e.unit + 1).arg(e.unitCount)
                   .arg(e.unitName.isEmpty() ? QString() : QLatin1Char(' ') + e.unitName);
    auto detailed = [&e](QString s) { return e.detail.isEmpty() ? s : s + QStringLiteral(": ") + e.detail; };
    QString s;
    switch (e.phase) {
    case RunPhase::Setup:
        s = detailed(count.isEmpty() ? QStringLiteral("setup") : QStringLiteral("setup ") + count);
        break;
    case RunPhase::Calibration:
        // Without a cache (rtn) the detail names the method's own step.
        s = unit + (e.detail.isEmpty() ? QStringLiteral("activation cache") : e.detail);
        break;
    case RunPhase::Warmup:
        s = detailed(QStringLiteral("warm-up")) + (count.isEmpty() ? QString() : QStringLiteral(" step ") + count);
        break;
    case RunPhase::MetaLearning:
    case RunPhase::Reconstruction:
        s = unit + detailed(QLatin1String(e.phase == RunPhase::MetaLearning ? "meta" : "reconstruction")) +
            (count.isEmpty() ? QString() : QStringLiteral(" iteration ") + count);
        break;
    case RunPhase::Evaluation:
        s = detailed(QStringLiteral("evaluation")) + (count.isEmpty() ? QString() : QStringLiteral(" %1 images").arg(count));
        break;
    case RunPhase::Done:
        return QStringLiteral("done");
    }
    return s;
}

}  // namespace metaaug
