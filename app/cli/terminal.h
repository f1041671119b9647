// SPDX-License-Identifier: GPL-3.0-or-later
// Output helpers: messages to stderr, a progress bar only when stderr is a
// terminal, JSON to stdout.
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <chrono>

namespace metaaug::cli {

void printOut(const QString &text);          // stdout, newline appended
void printErr(const QString &text);          // stderr, newline appended
void printJson(const QJsonObject &object);   // stdout, indented

// "metaaug: error: <message>" on stderr; returns `code` for `return fail(...)`.
int fail(const QString &message, int code = 1);

class ProgressBar {
public:
    explicit ProgressBar(QString label);
    ~ProgressBar();
    // Redraws at most 10 times a second; no output when stderr is not a tty.
    void update(qint64 done, qint64 total, const QString &extra = {});
    void finish();

private:
    QString m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_start, m_last;
};

}  // namespace metaaug::cli
