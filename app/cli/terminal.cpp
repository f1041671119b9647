// SPDX-License-Identifier: GPL-3.0-or-later
#include "terminal.h"

#include <QtCore/QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace metaaug::cli {

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fputc('\n', stderr);
}

void printJson(const QJsonObject &object)
{
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Indented).constData(), stdout);
    std::fflush(stdout);
}

int fail(const QString &message, int code)
{
    printErr(QStringLiteral("metaaug: error: ") + message);
    return code;
}

ProgressBar::ProgressBar(QString label)
    : m_label(std::move(label)), m_enabled(isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()), m_last(m_start - std::chrono::seconds(1))
{
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(qint64 done, qint64 total, const QString &extra)
{
    if (!m_enabled)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - m_last < std::chrono::milliseconds(100))
        return;
    m_last = now;
    const double frac = total > 0 ? double(done) / double(total) : 0.0;
    const int width = 30;
    const int filled = int(frac * width);
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    const QString bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
    const QString line = QStringLiteral("\r%1 [%2] %3/%4 %5 elapsed %6s ETA %7s\x1b[K")
                             .arg(m_label, bar).arg(done).arg(total).arg(extra)
                             .arg(elapsed, 0, 'f', 1).arg(eta, 0, 'f', 0);
    std::fputs(line.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (m_drawn) {
        std::fputc('\n', stderr);
        m_drawn = false;
    }
}

}  // namespace metaaug::cli
