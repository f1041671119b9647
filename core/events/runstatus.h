// SPDX-License-Identifier: GPL-3.0-or-later
// Where a run stands: the status the store records, the jobs set and the
// front ends print. An enum all the way to the widget or line that shows it.
#pragma once

#include <QtCore/QString>

#include <optional>

namespace metaaug {

enum class RunStatus { Queued, Running, Succeeded, Failed, Cancelled, Interrupted };

// "queued", "running", ...: the store's column and the CLI's text.
const char *statusName(RunStatus s);
std::optional<RunStatus> statusFromName(const QString &name);
// A finished run: succeeded, failed, cancelled or interrupted.
inline bool isFinished(RunStatus s) { return s != RunStatus::Queued && s != RunStatus::Running; }

}  // namespace metaaug
