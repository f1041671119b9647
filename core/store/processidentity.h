// SPDX-License-Identifier: GPL-3.0-or-later
// Which process owns a running run: pid, its start time (so a reused pid
// is not mistaken for the owner) and the host.
#pragma once

#include <QtCore/QString>

#include <cstdint>

namespace metaaug::store {

struct ProcessIdentity {
    int64_t pid = 0;
    int64_t startTime = 0;  // clock ticks since boot (/proc/<pid>/stat field 22); 0 if unknown
    QString host;
};

ProcessIdentity currentProcess();
// Another process of this host (a child just started): its pid, start time
// (0 when /proc does not say) and this host.
ProcessIdentity processOnThisHost(int64_t pid);

// False when the process is known to be gone: same host, and no process
// with that pid and start time. Another host's process counts as alive
// (this machine cannot tell).
bool processAlive(const ProcessIdentity &p);

}  // namespace metaaug::store
