// SPDX-License-Identifier: GPL-3.0-or-later
#include "processidentity.h"

#include <QtCore/QFile>
#include <QtCore/QSysInfo>

#include <unistd.h>

namespace metaaug::store {

namespace {
// Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces
// and parentheses, so fields are counted after its last ')'.
int64_t startTimeOf(int64_t pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = f.readAll();
    const int close = s.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = s.mid(close + 2).split(' ');
    return fields.size() > 19 ? fields[19].toLongLong() : -1;
}
}  // namespace

ProcessIdentity currentProcess()
{
    return processOnThisHost(::getpid());
}

ProcessIdentity processOnThisHost(int64_t pid)
{
    ProcessIdentity p;
    p.pid = pid;
    p.startTime = std::max<int64_t>(0, startTimeOf(p.pid));
    p.host = QSysInfo::machineHostName();
    return p;
}

bool processAlive(const ProcessIdentity &p)
{
    if (p.host != QSysInfo::machineHostName())
        return true;
    const int64_t start = startTimeOf(p.pid);
    if (start < 0)
        return false;
    return p.startTime == 0 || start == p.startTime;
}

}  // namespace metaaug::store
